/**
 * The live feed of a scope: fetched on (re)subscribe, then fed by `feed` pushes into a bounded
 * queue that the screen takes one item per animation boundary (never a growing array).
 */
import { getCurrentScope, onScopeDispose, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { FeedItem } from '@dudao/domain';
import {
  emptyFeed,
  enqueueFeed,
  FEED_VISIBLE_MAX,
  flushFeed,
  newerThanKnown,
  reloadFeed,
  stepFeed,
  type FeedWindow,
} from '../lib/feedWindow.ts';
import { motion } from '../theme/tokens.ts';
import { apiGet } from './useApi.ts';
import { subscribeScope } from './useLiveSocket.ts';
import { usePageVisibility } from './usePageVisibility.ts';

export interface UseFeedOptions {
  maxVisible?: number;
  stepMs?: number;
  /** called for every new item as it arrives (before it is shown), e.g. for the map's ripple */
  onArrive?: (items: FeedItem[]) => void;
}

export function useFeed(scope: MaybeRefOrGetter<string | null>, opts: UseFeedOptions = {}) {
  const maxVisible = opts.maxVisible ?? FEED_VISIBLE_MAX;
  const stepMs = opts.stepMs ?? motion.feedStepMs;
  const win = shallowRef<FeedWindow>(emptyFeed());
  const items = shallowRef<FeedItem[]>([]);
  const loaded = shallowRef(false);
  const visible = usePageVisibility();
  let timer: ReturnType<typeof setInterval> | null = null;
  let unsubscribe: (() => void) | null = null;
  let fetchSeq = 0;
  /** ids pushed while a fetch is on its way (empty otherwise) */
  const pushedDuringFetch = new Set<string>();
  let fetching = false;

  const set = (w: FeedWindow) => {
    win.value = w;
    if (items.value !== w.visible) items.value = w.visible;
  };

  async function reload(s: string) {
    const seq = ++fetchSeq;
    pushedDuringFetch.clear();
    fetching = true;
    try {
      const fresh = await apiGet<FeedItem[]>(
        `/api/v1/feed?scope=${encodeURIComponent(s)}&limit=${maxVisible}`,
      );
      if (seq !== fetchSeq) return;
      // pushes that raced the fetch stay, on screen or queued
      set(reloadFeed(win.value, fresh, pushedDuringFetch, maxVisible));
      loaded.value = true;
    } catch {
      // keep what is on screen
    } finally {
      if (seq === fetchSeq) {
        fetching = false;
        pushedDuringFetch.clear();
      }
    }
  }

  function start(s: string | null) {
    unsubscribe?.();
    unsubscribe = null;
    fetchSeq++; // a fetch for the previous scope lands nowhere
    fetching = false;
    pushedDuringFetch.clear();
    set(emptyFeed());
    loaded.value = false;
    if (!s) return;
    unsubscribe = subscribeScope(s, {
      onSnapshot: () => void reload(s),
      onFeed(msg) {
        if (msg.scope !== s) return;
        const arrived = newerThanKnown(win.value, msg.items);
        if (arrived.length === 0) return;
        opts.onArrive?.(arrived);
        if (fetching) for (const item of arrived) pushedDuringFetch.add(item.id);
        set(enqueueFeed(win.value, arrived));
        loaded.value = true;
      },
    });
  }

  function tick() {
    if (win.value.pending.length > 0) set(stepFeed(win.value, maxVisible));
  }

  watch(() => toValue(scope), start, { immediate: true });
  watch(
    visible,
    (v) => {
      if (timer !== null) clearInterval(timer);
      timer = null;
      if (v) {
        set(flushFeed(win.value, maxVisible)); // no catch-up animation after being hidden
        timer = setInterval(tick, stepMs);
      }
    },
    { immediate: true },
  );
  if (getCurrentScope()) {
    onScopeDispose(() => {
      unsubscribe?.();
      if (timer !== null) clearInterval(timer);
    });
  }
  return { items, loaded };
}
