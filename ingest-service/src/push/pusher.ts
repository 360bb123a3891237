/**
 * Pushes live changes to this instance's subscribers: a scope that changed is re-read at most once
 * per coalescing window and sent as a patch against what its room last received (SPEC §8). Each
 * instance serves its own sockets from the shared store, so patches chain per connection.
 */
import { diffSnapshot, type FeedItem, type Snapshot } from '@dudao/domain';
import type { Namespace } from 'socket.io';
import { COALESCE_WINDOW_MS } from '../config.ts';
import { CITY_SCOPE, type LiveStore } from '../live/store.ts';
import type { SnapshotReader } from './snapshots.ts';

export const roomOf = (scope: string) => `scope:${scope}`;
/** Feed items per scope read back to find what is new since the last push. */
const FEED_PUSH_LOOKBACK = 50;

interface ScopeState {
  /** what the room last received; null until someone subscribes */
  last: Snapshot | null;
  lastFlushAt: number;
  /** a first read in flight, shared by subscribers arriving together */
  loading: Promise<Snapshot> | null;
  timer: NodeJS.Timeout | null;
  /** settles when the scheduled flush has run */
  flushed: Promise<void> | null;
  lastFeedId: string | null;
}

export class LivePusher {
  private readonly scopes = new Map<string, ScopeState>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly nsp: Namespace,
    private readonly live: LiveStore,
    private readonly snapshots: SnapshotReader,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.unsubscribe = live.onChange((districts) => {
      this.markDirty(CITY_SCOPE);
      for (const d of districts) this.markDirty(d);
    });
  }

  private state(scope: string): ScopeState {
    let s = this.scopes.get(scope);
    if (!s) {
      s = { last: null, loading: null, lastFlushAt: 0, timer: null, flushed: null, lastFeedId: null };
      this.scopes.set(scope, s);
    }
    return s;
  }

  private hasSubscribers(scope: string): boolean {
    return (this.nsp.adapter.rooms.get(roomOf(scope))?.size ?? 0) > 0;
  }

  /**
   * The snapshot a new subscriber starts from: the room's base, so the next patch applies to it.
   * A change already waiting for its window is flushed first, so a (re)subscriber never starts
   * behind. The caller joins the room right after, in the same tick.
   */
  async snapshotFor(scope: string): Promise<Snapshot> {
    const s = this.state(scope);
    if (s.flushed) await s.flushed;
    if (s.last) return s.last;
    s.loading ??= this.firstRead(scope, s);
    return s.loading;
  }

  private async firstRead(scope: string, s: ScopeState): Promise<Snapshot> {
    try {
      const [snapshot, newest] = await Promise.all([this.snapshots.read(scope), this.live.feed(scope, 1)]);
      s.last ??= snapshot;
      s.lastFeedId ??= newest[0]?.id ?? null;
      return s.last;
    } finally {
      s.loading = null;
      // A change that landed during the read may be missing from it: one more (cheap) look.
      this.markDirty(scope);
    }
  }

  /** Leading edge when idle (low latency), then at most one flush per window (coalescing). */
  markDirty(scope: string): void {
    const s = this.state(scope);
    if (s.timer) return;
    const wait = Math.max(0, s.lastFlushAt + COALESCE_WINDOW_MS - Date.now());
    s.flushed = new Promise((resolve) => {
      s.timer = setTimeout(() => {
        s.timer = null;
        this.flush(scope)
          .catch(this.onError)
          .finally(() => {
            s.flushed = null;
            resolve();
          });
      }, wait);
    });
  }

  private async flush(scope: string): Promise<void> {
    const s = this.state(scope);
    s.lastFlushAt = Date.now();
    if (!this.hasSubscribers(scope) && !s.loading) {
      // Nobody to chain patches for: the next subscriber starts from a fresh read.
      s.last = null;
      s.lastFeedId = null;
      return;
    }
    const next = await this.snapshots.read(scope);
    const room = this.nsp.local.to(roomOf(scope));
    const patch = s.last ? diffSnapshot(s.last, next) : null;
    if (!s.last) room.emit('metrics', next);
    else if (patch && next.version > s.last.version) room.emit('metrics', patch);
    if (!s.last || next.version > s.last.version) s.last = next;
    const fresh = await this.newFeedItems(scope, s);
    if (fresh.length > 0) room.emit('feed', { scope, items: fresh });
  }

  /** Items newer than the last one pushed (all of the lookback when that one fell out of it). */
  private async newFeedItems(scope: string, s: ScopeState): Promise<FeedItem[]> {
    const recent = await this.live.feed(scope, FEED_PUSH_LOOKBACK);
    const seen = s.lastFeedId === null ? -1 : recent.findIndex((item) => item.id === s.lastFeedId);
    if (recent[0]) s.lastFeedId = recent[0].id;
    return seen === -1 ? recent : recent.slice(0, seen);
  }

  close(): void {
    this.unsubscribe();
    for (const s of this.scopes.values()) if (s.timer) clearTimeout(s.timer);
    this.scopes.clear();
  }
}
