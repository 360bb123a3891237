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
import { CITY_SCOPE, type CountersRead, type LiveStore, type Scope } from './store.ts';

/** Feed items kept per scope: more than any screen shows, few enough to hold for every district. */
export const MAX_FEED_ITEMS = 200;

export interface MemoryLiveStoreOptions {
  /** the city's timezone: windows are its calendar days and months */
  timezone: string;
}

type ChangeListener = (districts: string[]) => void;

/**
 * The listeners of one store. A throwing listener must not fail the apply that triggered it (the
 * events are committed by then) nor starve the listeners after it, so its error becomes a warning.
 */
export class ChangeListeners {
  private readonly listeners = new Set<ChangeListener>();

  add(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(districts: readonly string[]): void {
    if (districts.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener([...districts]);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : String(error), 'LiveStoreListenerWarning');
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
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
  private image: LiveImage = new Map();
  private readonly feeds = new Map<Scope, FeedRing>();
  /** A scope never changed since start-up reads as the start time, so versions grow across restarts. */
  private readonly startVersion = Date.now();
  private readonly versions = new Map<Scope, number>();
  private readonly listeners = new ChangeListeners();
  private prunedOn: string | null = null;

  constructor(options: MemoryLiveStoreOptions) {
    this.timezone = options.timezone;
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
    this.changed([...touched], (current) => current + 1);
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
    this.changed([...new Set(districts)], (current) => current + 1);
  }

  async replace(image: LiveImage): Promise<void> {
    // Every district known so far may have changed, and a rebuild is the moment to say so to all.
    const districts = new Set([...this.image.keys(), ...image.keys(), ...this.versions.keys()]);
    districts.delete(CITY_SCOPE);
    this.image = new Map([...image].map(([district, d]) => [district, cloneDistrict(d)]));
    // A rebuild may follow a restart of clients that saw higher versions; the clock lifts it past them.
    const now = Date.now();
    this.changed([...districts], (current) => Math.max(current + 1, now));
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

  onChange(listener: ChangeListener): () => void {
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
    return this.versions.get(scope) ?? this.startVersion;
  }

  /** Bumps the districts and, when any changed, the city; then tells the listeners. */
  private changed(districts: string[], next: (current: number) => number): void {
    if (districts.length === 0) return;
    for (const scope of [...districts, CITY_SCOPE]) this.versions.set(scope, next(this.version(scope)));
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
    const { day, month } = localTime(Date.now(), this.timezone);
    if (this.prunedOn === day) return;
    pruneImage(this.image, addDays(day, -1), previousMonth(month));
    this.prunedOn = day;
  }
}
