/** Reads a scope's snapshot (SPEC §6) from the live store: counters composed into metrics. */
import { composeMetrics, sumCounters, type Snapshot } from '@dudao/domain';
import { CITY_SCOPE, type LiveStore } from '../live/store.ts';
import type { Registry } from '../registry.ts';

export class SnapshotReader {
  constructor(
    private readonly live: LiveStore,
    private readonly registry: Registry,
    private readonly now: () => number = Date.now,
  ) {}

  isScope = (scope: string): boolean => scope === CITY_SCOPE || this.registry.districtCodes.has(scope);

  async read(scope: string): Promise<Snapshot> {
    const now = this.now();
    const asOf = new Date(now).toISOString();
    if (scope !== CITY_SCOPE) {
      const { counters, versions } = await this.live.read([scope], now);
      return {
        scope,
        version: versions.get(scope) ?? 0,
        asOf,
        metrics: composeMetrics(counters.get(scope) ?? sumCounters([])),
      };
    }
    const codes = [...this.registry.districtCodes];
    const { counters, versions } = await this.live.read(codes, now);
    const all = codes.map((adcode) => counters.get(adcode) ?? sumCounters([]));
    return {
      scope,
      version: versions.get(CITY_SCOPE) ?? 0,
      asOf,
      metrics: composeMetrics(sumCounters(all)),
      districts: codes.map((adcode, i) => ({
        adcode,
        name: this.registry.districtName(adcode),
        metrics: composeMetrics(all[i]!),
      })),
    };
  }
}
