/**
 * Pushes live changes to this instance's subscribers as patches against what each room last
 * received (SPEC §8). A change after a quiet moment goes out at once; within a burst a scope sends at
 * most one message per coalescing window (`BurstWindow`). Only the districts that changed are read
 * back (`CountersCache`), one read for every scope sending at that moment, and the feed is read
 * alongside. Each instance serves its own sockets from the shared store (same versions everywhere),
 * so patches chain per connection.
 */
import {
  diffSnapshot,
  type ClientToServerEvents,
  type FeedItem,
  type ServerToClientEvents,
  type Snapshot,
} from '@dudao/domain';
import type { Namespace } from 'socket.io';
import { COALESCE_WINDOW_MS } from '../config.ts';
import { CITY_SCOPE, type LiveStore } from '../live/store.ts';
import { BurstWindow } from './burst-window.ts';
import { CountersCache } from './counters-cache.ts';
import type { SnapshotReader } from './snapshots.ts';

export const roomOf = (scope: string) => `scope:${scope}`;
/** Feed items per scope read back to find what is new since the last push. */
const FEED_PUSH_LOOKBACK = 50;

interface ScopeState {
  /** what the room last received; null until someone subscribes */
  last: Snapshot | null;
  /** a first read in flight, shared by subscribers arriving together */
  loading: Promise<Snapshot> | null;
  /** the joins of subscribers waiting for that read, run the moment it sets the base */
  joining: (() => void)[];
  window: BurstWindow;
  lastFeedId: string | null;
}

export class LivePusher {
  private readonly scopes = new Map<string, ScopeState>();
  private readonly unsubscribe: () => void;
  private readonly cache: CountersCache;

  constructor(
    private readonly nsp: Namespace<ClientToServerEvents, ServerToClientEvents>,
    private readonly live: LiveStore,
    snapshots: SnapshotReader,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.cache = new CountersCache(snapshots);
    this.unsubscribe = live.onChange((districts) => {
      this.cache.markDirty(districts);
      this.markDirty(CITY_SCOPE);
      for (const d of districts) this.markDirty(d);
    });
  }

  private state(scope: string): ScopeState {
    let s = this.scopes.get(scope);
    if (!s) {
      const created: ScopeState = {
        last: null,
        loading: null,
        joining: [],
        lastFeedId: null,
        window: new BurstWindow({
          run: () => this.flush(scope, created),
          windowMs: COALESCE_WINDOW_MS,
          onError: this.onError,
        }),
      };
      this.scopes.set(scope, (s = created));
    }
    return s;
  }

  private hasSubscribers(scope: string): boolean {
    return (this.nsp.adapter.rooms.get(roomOf(scope))?.size ?? 0) > 0;
  }

  /**
   * The snapshot a new subscriber starts from: the room's base, so the next patch applies to it, and
   * the feed's baseline, so the next feed push carries only items newer than that snapshot. `join`
   * puts the subscriber in the room and runs in the same tick as the base is taken: a push after it
   * reaches the subscriber, and the room is not empty when the read's own follow-up flush looks
   * (an empty room there dropped the base and the baseline: the next push was a whole snapshot and
   * the whole feed lookback). A change already waiting for its window is sent first, so a
   * (re)subscriber never starts behind.
   */
  async snapshotFor(scope: string, join: () => void): Promise<Snapshot> {
    const s = this.state(scope);
    await s.window.idle();
    if (s.last) {
      join();
      return s.last;
    }
    s.joining.push(join);
    s.loading ??= this.firstRead(scope, s);
    return s.loading;
  }

  private async firstRead(scope: string, s: ScopeState): Promise<Snapshot> {
    try {
      const [, newest] = await Promise.all([this.cache.refresh(), this.live.feed(scope, 1)]);
      s.last ??= this.cache.snapshot(scope);
      s.lastFeedId ??= newest[0]?.id ?? null;
      for (const join of s.joining) join();
      return s.last;
    } finally {
      s.joining = [];
      s.loading = null;
      // A change that landed during the read may be missing from it: one more (cheap) look.
      this.markDirty(scope);
    }
  }

  markDirty(scope: string): void {
    this.state(scope).window.mark();
  }

  private async flush(scope: string, s: ScopeState): Promise<void> {
    if (!this.hasSubscribers(scope) && !s.loading) {
      // Nobody to chain patches for: the next subscriber starts from a fresh snapshot.
      s.last = null;
      s.lastFeedId = null;
      return;
    }
    // The feed is read alongside the counters: one round trip's wait, not two in a row.
    const [, recent] = await Promise.all([this.cache.refresh(), this.live.feed(scope, FEED_PUSH_LOOKBACK)]);
    const next = this.cache.snapshot(scope);
    const room = this.nsp.local.to(roomOf(scope));
    const fresh = newFeedItems(recent, s);
    const patch = s.last ? diffSnapshot(s.last, next) : null;
    const metrics = !s.last ? next : patch && next.version > s.last.version ? patch : null;
    if (!s.last || next.version > s.last.version) s.last = next;
    if (metrics || fresh.length > 0) s.window.sent();
    if (metrics) room.emit('metrics', metrics);
    if (fresh.length > 0) room.emit('feed', { scope, items: fresh });
  }

  close(): void {
    this.unsubscribe();
    for (const s of this.scopes.values()) s.window.close();
    this.scopes.clear();
  }
}

/** Items newer than the last one pushed (all of the lookback when that one fell out of it). */
function newFeedItems(recent: FeedItem[], s: ScopeState): FeedItem[] {
  const seen = s.lastFeedId === null ? -1 : recent.findIndex((item) => item.id === s.lastFeedId);
  if (recent[0]) s.lastFeedId = recent[0].id;
  return seen === -1 ? recent : recent.slice(0, seen);
}
