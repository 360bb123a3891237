/**
 * Reconciliation (SPEC §10): the live store rebuilt from the database, and the drift it had — every
 * metric of every district that the store's counters gave differently from what the database says.
 * Both sides are read under the city's ingest lock, inside the rebuild, so ingest going on meanwhile
 * shows as no drift and loses nothing.
 */
import { composeMetrics, countersAt, emptyCounters, flattenMetrics, type Metrics } from '@dudao/domain';
import { rebuildLiveStore, type RebuildDeps } from '../live/rebuild.ts';

export interface Drift {
  district: string;
  /** dotted SPEC §6 name; `activity.hourly.8` for one hour of the hourly series */
  metric: string;
  live: number | null;
  database: number | null;
}

export interface Reconciliation {
  /** what differed, district by district, before the rebuild replaced the store */
  drift: Drift[];
  /** the instant both sides were read at */
  at: number;
}

/** Every metric as a number: the flattened ones, plus the newest event time and each hour. */
function comparable(m: Metrics): Record<string, number | null> {
  const out = flattenMetrics(m);
  out['activity.lastEventAt'] = m.activity.lastEventAt === null ? null : Date.parse(m.activity.lastEventAt);
  m.activity.hourly.forEach((n, hour) => (out[`activity.hourly.${hour}`] = n));
  return out;
}

export async function reconcileLiveStore(
  deps: RebuildDeps & { districts: readonly string[] },
): Promise<Reconciliation> {
  const drift: Drift[] = [];
  let at = 0;
  await rebuildLiveStore(deps, async (image, now) => {
    at = now;
    const { counters } = await deps.live.read(deps.districts, now);
    for (const district of deps.districts) {
      const live = comparable(composeMetrics(counters.get(district) ?? emptyCounters()));
      const truth = comparable(composeMetrics(countersAt(image.get(district), now, deps.timezone)));
      for (const metric of new Set([...Object.keys(live), ...Object.keys(truth)])) {
        const l = live[metric] ?? null;
        const d = truth[metric] ?? null;
        if (l !== d) drift.push({ district, metric, live: l, database: d });
      }
    }
  });
  return { drift, at };
}

export function formatDrift(d: Drift, districtName: (adcode: string) => string = (a) => a): string {
  const show = (v: number | null) => (v === null ? '—' : String(v));
  return `${d.district} ${districtName(d.district)} ${d.metric}: live ${show(d.live)}, database ${show(d.database)}`;
}
