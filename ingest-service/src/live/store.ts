/**
 * The live store: derived counters, the recent feed and per-scope versions. Two implementations
 * (in-process and Redis) apply the same deltas; both can be replaced wholesale by a rebuild image.
 */
import type { Delta, DistrictCounters, FeedItem, LiveImage } from '@dudao/domain';

/** Feed items kept per scope: more than any screen shows, few enough to hold for every district. */
export const MAX_FEED_ITEMS = 200;

/** `city` or a district adcode */
export type Scope = string;
export const CITY_SCOPE = 'city';

/** scope → its feed, newest first */
export type Feeds = ReadonlyMap<Scope, readonly FeedItem[]>;

export interface CountersRead {
  /** district adcode → counters at `now` */
  counters: Map<string, DistrictCounters>;
  /** version of the city, of each district asked for, and of every other scope the store knows */
  versions: Map<Scope, number>;
}

/**
 * What both stores observe alike (the contract test, `test/live/contract.test.ts`, runs on each):
 * - versions: a scope never changed reads 0; its first change sets it to the wall clock (ms), each
 *   later change adds 1, and a `replace` lifts every scope it names or knows to at least the wall
 *   clock. Versions are order, not time: the wall clock makes them outgrow a previous process's.
 * - windows: day and month windows are the city's calendar at the `now` a read is given. Read at
 *   the service's clock (`config.now`, which may differ from the wall clock), today and yesterday,
 *   this month and the last are always there; older windows go (the in-process store drops them
 *   when its injected clock reaches a new day, Redis lets their keys expire).
 */
export interface LiveStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Applies the deltas and feed items of one committed request, bumps the version of every touched
   * district and of the city, and tells every listener (on every instance) which districts changed.
   * One round trip to Redis.
   */
  apply(deltas: readonly Delta[], feed: readonly FeedItem[]): Promise<void>;
  /** The counters of `districts` at `now` (windows in the city's timezone) with consistent versions. */
  read(districts: readonly string[], now: number): Promise<CountersRead>;
  /** Bumps versions of districts whose values changed with the clock (a deadline passed, a new day). */
  touch(districts: readonly string[]): Promise<void>;
  /**
   * Replaces all counters with a rebuild, and the feed of each scope in `feeds` (newest first) with
   * its list; a scope not in `feeds` keeps its feed. Versions keep growing.
   */
  replace(image: LiveImage, feeds?: Feeds): Promise<void>;
  /** Newest first; `scope` is the city or a district. */
  feed(scope: Scope, limit: number): Promise<FeedItem[]>;
  /** Districts with an open-issue deadline in (from, to]: their `overdue` changed with the clock. */
  deadlinesPassed(from: number, to: number): Promise<string[]>;
  /** Listener gets the districts that changed (apply, touch or replace), here or on another instance. */
  onChange(listener: (districts: string[]) => void): () => void;
  /**
   * Listener is told when the store may have lost data or writes without a failed call saying so
   * (Redis restarted, failed over or dropped the connection): it must be rebuilt.
   */
  onLost(listener: () => void): () => void;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

type ChangeListener = (districts: string[]) => void;

/**
 * The change listeners of one store. A throwing listener must not fail the apply that triggered it
 * (the events are committed by then) nor starve the listeners after it, so its error becomes a warning.
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
