/**
 * The Redis live store with the database behind it (SPEC §3: the database is the truth). While the
 * store cannot be trusted — Redis was away at start-up, a delta failed, the connection dropped —
 * and until a rebuild has filled it again, counters are read from the database instead (the same
 * SQL image a rebuild computes, composed at `now`), and so is the feed (the event log's newest
 * events). So reads keep working, slower, while Redis is down, and a failed write still tells this
 * instance's listeners which districts changed, so the walls it serves keep moving. Everything else
 * goes to the store as it is (a write that fails still fails, for the pipeline to report).
 */
import { loadLiveImage, type Database } from '@dudao/db';
import { countersAt, type Delta, type FeedItem, type LiveImage } from '@dudao/domain';
import { isRedisUnavailable } from '../redis/connections.ts';
import {
  ChangeListeners,
  CITY_SCOPE,
  MAX_FEED_ITEMS,
  type CountersRead,
  type Feeds,
  type LiveStore,
  type Scope,
} from './store.ts';

/**
 * One answer from the database serves every read within this long: the pusher re-reads each changed
 * scope every coalescing window, and one SQL image (or feed) per scope and window would be a heavy load.
 */
const DATABASE_REUSE_MS = 1_000;

export interface DatabaseFallbackOptions {
  database: Database;
  timezone: string;
  /** the newest `limit` feed items of `scope` from the event log */
  feed: (scope: Scope, limit: number) => Promise<FeedItem[]>;
}

/** A database answer kept for DATABASE_REUSE_MS (a failed one is not kept). */
class Reused<T> {
  private entry: { loadedAt: number; value: Promise<T> } | null = null;

  /** The kept answer, or `load()`'s. */
  get(load: () => Promise<T>): Promise<T> {
    const at = performance.now();
    if (this.entry && at - this.entry.loadedAt < DATABASE_REUSE_MS) return this.entry.value;
    const entry = { loadedAt: at, value: load() };
    this.entry = entry;
    entry.value.catch(() => {
      if (this.entry === entry) this.entry = null;
    });
    return entry.value;
  }

  clear(): void {
    this.entry = null;
  }
}

export class DatabaseBackedLiveStore implements LiveStore {
  readonly kind: LiveStore['kind'];
  /** true until a rebuild has filled the store, and again whenever it missed writes */
  private stale = true;
  private readonly unlisten: () => void;
  private readonly listeners = new ChangeListeners();
  private readonly image = new Reused<LiveImage>();
  /** per scope, its newest MAX_FEED_ITEMS items */
  private readonly feeds = new Map<Scope, Reused<FeedItem[]>>();

  constructor(
    private readonly store: LiveStore,
    private readonly options: DatabaseFallbackOptions,
  ) {
    this.kind = store.kind;
    this.unlisten = store.onLost(() => (this.stale = true));
  }

  /** Whether reads come from the database now. */
  get servingFromDatabase(): boolean {
    return this.stale;
  }

  async apply(deltas: readonly Delta[], feed: readonly FeedItem[]): Promise<void> {
    try {
      await this.store.apply(deltas, feed);
    } catch (err) {
      this.stale = true;
      this.forgetDatabaseReads(); // the group just committed is in neither
      this.listeners.notify([...new Set([...deltas, ...feed].map((x) => x.district))]);
      throw err;
    }
  }

  async read(districts: readonly string[], now: number): Promise<CountersRead> {
    if (!this.stale) {
      try {
        return await this.store.read(districts, now);
      } catch (err) {
        if (!isRedisUnavailable(err)) throw err;
      }
    }
    return this.readDatabase(districts, now);
  }

  async replace(image: LiveImage, feeds?: Feeds): Promise<void> {
    await this.store.replace(image, feeds);
    this.stale = false;
    this.forgetDatabaseReads();
  }

  touch(districts: readonly string[]): Promise<void> {
    return this.store.touch(districts);
  }

  async feed(scope: Scope, limit: number): Promise<FeedItem[]> {
    if (!this.stale) {
      try {
        return await this.store.feed(scope, limit);
      } catch (err) {
        if (!isRedisUnavailable(err)) throw err;
      }
    }
    const count = Math.min(limit, MAX_FEED_ITEMS);
    if (count <= 0) return [];
    let feed = this.feeds.get(scope);
    if (!feed) this.feeds.set(scope, (feed = new Reused()));
    return (await feed.get(() => this.options.feed(scope, MAX_FEED_ITEMS))).slice(0, count);
  }

  deadlinesPassed(from: number, to: number): Promise<string[]> {
    return this.store.deadlinesPassed(from, to);
  }

  onChange(listener: (districts: string[]) => void): () => void {
    const offStore = this.store.onChange(listener);
    const offHere = this.listeners.add(listener);
    return () => {
      offStore();
      offHere();
    };
  }

  onLost(listener: () => void): () => void {
    return this.store.onLost(listener);
  }

  ping(): Promise<boolean> {
    return this.store.ping();
  }

  async close(): Promise<void> {
    this.unlisten();
    this.listeners.clear();
    await this.store.close();
  }

  /**
   * Counters from the database's image. Every scope's version is the read's instant: it grows with
   * each read, and the store's own versions after a rebuild start at the clock, above it.
   */
  private async readDatabase(districts: readonly string[], now: number): Promise<CountersRead> {
    const { database, timezone } = this.options;
    const image = await this.image.get(() => loadLiveImage(database, { timezone, now }));
    const counters = new Map(districts.map((d) => [d, countersAt(image.get(d), now, timezone)]));
    const versions = new Map<Scope, number>([CITY_SCOPE, ...districts].map((scope) => [scope, now]));
    return { counters, versions };
  }

  private forgetDatabaseReads(): void {
    this.image.clear();
    this.feeds.clear();
  }
}
