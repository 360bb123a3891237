/**
 * The live feed as two bounded lists: what is on screen (newest first) and what waits for the next
 * animation boundary. Neither ever grows past its cap, so the wall can run for days.
 */
import type { FeedItem } from '@dudao/domain';

export const FEED_VISIBLE_MAX = 30;
/** Beyond this backlog, older waiting items are dropped: they would scroll out unseen anyway. */
export const FEED_PENDING_MAX = 12;

export interface FeedWindow {
  visible: FeedItem[];
  /** oldest first: the next one to show is `pending[0]` */
  pending: FeedItem[];
}

export const emptyFeed = (): FeedWindow => ({ visible: [], pending: [] });

const known = (w: FeedWindow) => new Set([...w.visible, ...w.pending].map((i) => i.id));

/** Replace everything with a freshly fetched list (newest first), e.g. on (re)connect. */
export function resetFeed(items: FeedItem[], maxVisible = FEED_VISIBLE_MAX): FeedWindow {
  const seen = new Set<string>();
  const visible = items.filter((i) => !seen.has(i.id) && seen.add(i.id)).slice(0, maxVisible);
  return { visible, pending: [] };
}

/**
 * A fetched list (newest first) replaces the screen, except items pushed while the fetch was on its
 * way: the server may have read its list before they were written, and a step may already have put
 * them on screen, so they stay on top; those still waiting stay queued.
 */
export function reloadFeed(
  w: FeedWindow,
  fetched: FeedItem[],
  pushedDuringFetch: ReadonlySet<string>,
  maxVisible = FEED_VISIBLE_MAX,
): FeedWindow {
  const shown = w.visible.filter((i) => pushedDuringFetch.has(i.id));
  return enqueueFeed(resetFeed([...shown, ...fetched], maxVisible), w.pending);
}

/**
 * The part of a push (newest first) that is newer than anything this window holds: items below one
 * already known are history the fetch showed or left out, not arrivals to animate. The server
 * baselines a subscriber's feed at its snapshot, but a push after more than its lookback arrived at
 * once, or one racing the HTTP fetch, may still reach below what the window holds.
 */
export function newerThanKnown(w: FeedWindow, items: FeedItem[]): FeedItem[] {
  const ids = known(w);
  const firstKnown = items.findIndex((item) => ids.has(item.id));
  return firstKnown === -1 ? items : items.slice(0, firstKnown);
}

/** New items from a push (newest first) join the queue, duplicates skipped, backlog capped. */
export function enqueueFeed(w: FeedWindow, items: FeedItem[], maxPending = FEED_PENDING_MAX): FeedWindow {
  const ids = known(w);
  const fresh: FeedItem[] = [];
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (!ids.has(item.id)) {
      ids.add(item.id);
      fresh.push(item);
    }
  }
  if (fresh.length === 0) return w;
  const pending = [...w.pending, ...fresh];
  return { visible: w.visible, pending: pending.slice(Math.max(0, pending.length - maxPending)) };
}

/** One animation boundary: the oldest waiting item moves to the top of the screen. */
export function stepFeed(w: FeedWindow, maxVisible = FEED_VISIBLE_MAX): FeedWindow {
  const [next, ...rest] = w.pending;
  if (!next) return w;
  return { visible: [next, ...w.visible].slice(0, maxVisible), pending: rest };
}

/** Everything waiting goes on screen at once (after the page was hidden: no catch-up animation). */
export function flushFeed(w: FeedWindow, maxVisible = FEED_VISIBLE_MAX): FeedWindow {
  if (w.pending.length === 0) return w;
  return { visible: [...[...w.pending].reverse(), ...w.visible].slice(0, maxVisible), pending: [] };
}
