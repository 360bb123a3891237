/** One shared clock ticking each second, stopped while the page is hidden (and caught up on return). */
import { getCurrentScope, onScopeDispose, readonly, ref, watch } from 'vue';
import { usePageVisibility } from './usePageVisibility.ts';

export const CLOCK_TICK_MS = 1_000;

const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;
let stopWatch: (() => void) | null = null;

function start() {
  if (timer !== null) return;
  now.value = Date.now();
  // align to the second so the clock and ages move together
  timer = setInterval(() => {
    now.value = Date.now();
  }, CLOCK_TICK_MS);
}
function stop() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

export function useClock() {
  const visible = usePageVisibility();
  if (users++ === 0) {
    stopWatch = watch(visible, (v) => (v ? start() : stop()), { immediate: true });
  }
  if (getCurrentScope()) {
    onScopeDispose(() => {
      if (--users === 0) {
        stopWatch?.();
        stopWatch = null;
        stop();
      }
    });
  }
  return readonly(now);
}
