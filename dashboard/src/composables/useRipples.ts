/** The map's ripples: added as inspections start, swept away after `motion.rippleMs`. */
import { getCurrentScope, onScopeDispose, shallowRef } from 'vue';
import type { FeedItem } from '@dudao/domain';
import { addRipples, expireRipples, type TimedRipple } from '../lib/ripples.ts';
import { motion } from '../theme/tokens.ts';

export const RIPPLE_SWEEP_MS = 1_000;

export function useRipples(centerOf: (adcode: string) => [number, number] | null) {
  const ripples = shallowRef<TimedRipple[]>([]);
  let timer: ReturnType<typeof setInterval> | null = null;

  const sweep = () => {
    ripples.value = expireRipples(ripples.value, Date.now(), motion.rippleMs);
    if (ripples.value.length === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };

  function add(items: FeedItem[]) {
    if (document.visibilityState === 'hidden') return; // nobody would see them
    const next = addRipples(ripples.value, items, centerOf, Date.now());
    if (next === ripples.value) return;
    ripples.value = next;
    if (timer === null) timer = setInterval(sweep, RIPPLE_SWEEP_MS);
  }

  if (getCurrentScope()) onScopeDispose(() => timer !== null && clearInterval(timer));
  return { ripples, add };
}
