/**
 * The in-process live store (no REDIS_URL): the live image itself, mutated with the domain's
 * `applyDeltas`, so this store is the reference the Redis one is tested against.
 */
import {
  addDays,
  applyDeltas,
  countersAt,
  firstDayOfMonth,
  localTime,
  pruneImage,
  type Delta,
  type DistrictCounters,
  type DistrictImage,
  type FeedItem,
  type LiveImage,
} from '@dudao/domain';
import {
  ChangeListeners,
  CITY_SCOPE,
  MAX_FEED_ITEMS,
  type CountersRead,
  type Feeds,
  type LiveStore,
  type Scope,
} from './store.ts';

export interface MemoryLiveStoreOptions {
  /** the city's timezone: windows are its calendar days and months */
  timezone: string;
  /** the service's clock (default the wall clock): old windows are pruned when it reaches a new day */
  now?: () => number;
}

/** A fixed-size ring of the newest items: pushing never allocates once it is full. */
class FeedRing {
  private readonly items: FeedItem[] = [];
  private next = 0;

  push(item: FeedItem): void {
    if (this.items.length < MAX_FEED_ITEMS) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % MAX_FEED_ITEMS;
  }

  /** Newest first. */
  newest(limit: number): FeedItem[] {
    const out: FeedItem[] = [];
    const count = Math.min(limit, this.items.length);
    for (let i = 1; i <= count; i++) {
      const item = this.items[(this.next - i + MAX_FEED_ITEMS) % MAX_FEED_ITEMS];
      if (item) out.push(item);
    }
    return out;
  }
}

/** The month before `month` (`YYYY-MM`). */
const previousMonth = (month: string): string => addDays(firstDayOfMonth(month), -1).slice(0, 7);

function cloneDistrict(d: DistrictImage): DistrictImage {
  return {
    buckets: new Map([...d.buckets].map(([bucket, fields]) => [bucket, new Map(fields)])),
    members: new Map([...d.members].map(([key, set]) => [key, new Set(set)])),
    deadlines: new Map(d.deadlines),
    lastEventAt: d.lastEventAt,
  };
}

export class MemoryLiveStore implements LiveStore {
  readonly kind = 'memory';
  private readonly timezone: string;
  private readonly now: () => number;
  private image: LiveImage = new Map();
  private readonly feeds = new Map<Scope, FeedRing>();
  private readonly versions = new Map<Scope, number>();
  private readonly listeners = new ChangeListeners();
  private prunedOn: string | null = null;

  constructor(options: MemoryLiveStoreOptions) {
    this.timezone = options.timezone;
    this.now = options.now ?? Date.now;
  }

  async apply(deltas: readonly Delta[], feed: readonly FeedItem[]): Promise<void> {
    this.pruneOncePerDay();
    const touched = applyDeltas(this.image, deltas);
    // Items come in acceptance order, so the last one pushed is the newest.
    for (const item of feed) {
      this.ring(CITY_SCOPE).push(item);
      this.ring(item.district).push(item);
      touched.add(item.district);
    }
    this.changed([...touched], 0);
  }

  async read(districts: readonly string[], now: number): Promise<CountersRead> {
    const counters = new Map<string, DistrictCounters>();
    const versions = new Map<Scope, number>([...this.versions, [CITY_SCOPE, this.version(CITY_SCOPE)]]);
    for (const district of districts) {
      counters.set(district, countersAt(this.image.get(district), now, this.timezone));
      versions.set(district, this.version(district));
    }
    return { counters, versions };
  }

  async touch(districts: readonly string[]): Promise<void> {
    this.changed([...new Set(districts)], 0);
  }

  async replace(image: LiveImage, feeds?: Feeds): Promise<void> {
    // Every district known so far may have changed, and a rebuild is the moment to say so to all.
    const districts = new Set([
      ...this.image.keys(),
      ...image.keys(),
      ...this.versions.keys(),
      ...(feeds?.keys() ?? []),
    ]);
    districts.delete(CITY_SCOPE);
    this.image = new Map([...image].map(([district, d]) => [district, cloneDistrict(d)]));
    for (const [scope, items] of feeds ?? []) {
      const ring = new FeedRing();
      for (const item of items.slice(0, MAX_FEED_ITEMS).reverse()) ring.push(item);
      this.feeds.set(scope, ring);
    }
    // A rebuild may follow a restart of clients that saw higher versions; the clock lifts it past them.
    this.changed([...districts], Date.now());
  }

  async feed(scope: Scope, limit: number): Promise<FeedItem[]> {
    return this.feeds.get(scope)?.newest(limit) ?? [];
  }

  async deadlinesPassed(from: number, to: number): Promise<string[]> {
    const passed: string[] = [];
    for (const [district, d] of this.image) {
      for (const deadline of d.deadlines.values()) {
        if (deadline > from && deadline <= to) {
          passed.push(district);
          break;
        }
      }
    }
    return passed;
  }

  onChange(listener: (districts: string[]) => void): () => void {
    return this.listeners.add(listener);
  }

  /** The process's own memory is not lost while the process runs: never told. */
  onLost(): () => void {
    return () => {};
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private version(scope: Scope): number {
    return this.versions.get(scope) ?? 0;
  }

  /**
   * Bumps the districts and, when any changed, the city (a first change to the wall clock, then +1,
   * at least `floor`, as the Redis store's script does); then tells the listeners.
   */
  private changed(districts: string[], floor: number): void {
    if (districts.length === 0) return;
    const first = Date.now();
    for (const scope of [...districts, CITY_SCOPE]) {
      const current = this.versions.get(scope);
      this.versions.set(scope, Math.max(current === undefined ? first : current + 1, floor));
    }
    this.listeners.notify(districts);
  }

  private ring(scope: Scope): FeedRing {
    let ring = this.feeds.get(scope);
    if (!ring) {
      ring = new FeedRing();
      this.feeds.set(scope, ring);
    }
    return ring;
  }

  /** Keeps today and yesterday, this month and the last: enough for late events and for reads at midnight. */
  private pruneOncePerDay(): void {
    const { day, month } = localTime(this.now(), this.timezone);
    if (this.prunedOn === day) return;
    pruneImage(this.image, addDays(day, -1), previousMonth(month));
    this.prunedOn = day;
  }
}
