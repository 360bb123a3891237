/**
 * This instance's copy of every district's counters for the pusher. A change (here or on another
 * instance) marks its districts; a flush reads only those, not the whole scope, and one read serves
 * every scope flushing at that moment. The city's snapshot is composed from the copies.
 */
import type { DistrictCounters, Snapshot } from '@dudao/domain';
import { CITY_SCOPE, type Scope } from '../live/store.ts';
import type { SnapshotReader } from './snapshots.ts';

/** Reads per refresh that chase districts another instance changed before its word arrived. */
const MAX_CATCH_UP_READS = 3;

export class CountersCache {
  private readonly counters = new Map<string, DistrictCounters>();
  /** the version each district's copy was read at, and the city's */
  private readonly versions = new Map<Scope, number>();
  private readonly dirty: Set<string>;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly snapshots: SnapshotReader) {
    this.dirty = new Set(snapshots.districts);
  }

  markDirty(districts: readonly string[]): void {
    for (const d of districts) this.dirty.add(d);
  }

  /** Resolves once every change marked before the call is in the copies. */
  async refresh(): Promise<void> {
    while (this.refreshing) await this.refreshing;
    if (this.dirty.size === 0) return;
    this.refreshing = this.readDirty().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  snapshot(scope: string): Snapshot {
    return this.snapshots.compose(scope, this.counters, this.versions, this.snapshots.now());
  }

  /**
   * Reads the marked districts. The read also returns every district's version: one that moved
   * without a read here (its change was committed on another instance and the word is still on its
   * way) is read too, so a version means the same numbers on every instance.
   */
  private async readDirty(): Promise<void> {
    let stale = [...this.dirty];
    this.dirty.clear();
    try {
      for (let read = 0; stale.length > 0 && read < MAX_CATCH_UP_READS; read++) {
        const { counters, versions } = await this.snapshots.live.read(stale, this.snapshots.now());
        for (const [district, copy] of counters) {
          this.counters.set(district, copy);
          this.versions.set(district, versions.get(district) ?? 0);
        }
        this.versions.set(CITY_SCOPE, versions.get(CITY_SCOPE) ?? 0);
        stale = this.snapshots.districts.filter(
          (d) => !counters.has(d) && versions.has(d) && versions.get(d) !== this.versions.get(d),
        );
      }
    } catch (err) {
      this.markDirty(stale);
      throw err;
    }
    this.markDirty(stale);
  }
}
