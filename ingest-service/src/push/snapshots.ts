/** Reads a scope's snapshot (SPEC §6) from the live store: counters composed into metrics. */
import { snapshotOf, type DistrictCounters, type Snapshot } from '@dudao/domain';
import { CITY_SCOPE, type LiveStore, type Scope } from '../live/store.ts';
import type { Registry } from '../registry.ts';

export class SnapshotReader {
  constructor(
    readonly live: LiveStore,
    private readonly registry: Registry,
    readonly now: () => number = Date.now,
  ) {}

  isScope = (scope: string): boolean => scope === CITY_SCOPE || this.registry.districtCodes.has(scope);

  /** Every district of the city. */
  get districts(): string[] {
    return [...this.registry.districtCodes];
  }

  async read(scope: string): Promise<Snapshot> {
    const now = this.now();
    const { counters, versions } = await this.live.read(scope === CITY_SCOPE ? this.districts : [scope], now);
    return this.compose(scope, counters, versions, now);
  }

  /** A scope's snapshot from district counters (every district for the city) and scope versions. */
  compose(
    scope: string,
    counters: ReadonlyMap<string, DistrictCounters>,
    versions: ReadonlyMap<Scope, number>,
    now: number,
  ): Snapshot {
    const districts = this.districts.map((adcode) => ({ adcode, name: this.registry.districtName(adcode) }));
    return snapshotOf({ scope, version: versions.get(scope) ?? 0, now, districts, counters });
  }
}
