/** The metrics the map and the ranking can colour by (WALL.md chips: 覆盖率 · 逾期 · 销号率 · 今日督导). */
import type { DistrictSnapshot, Metrics } from '@dudao/domain';

export const MAP_METRICS = ['coverage', 'overdue', 'rectification', 'today'] as const;
export type MapMetric = (typeof MAP_METRICS)[number];

export interface MapMetricDef {
  value: (m: Metrics) => number;
  rate: boolean;
  /** high values are bad news (red scale) */
  bad: boolean;
}

export const MAP_METRIC_DEFS: Record<MapMetric, MapMetricDef> = {
  coverage: { value: (m) => m.coverage.schools.rate, rate: true, bad: false },
  overdue: { value: (m) => m.issues.overdue, rate: false, bad: true },
  rectification: { value: (m) => m.issues.rectificationRate, rate: true, bad: false },
  today: { value: (m) => m.inspections.today, rate: false, bad: false },
};

export const parseMapMetric = (v: unknown): MapMetric =>
  MAP_METRICS.includes(v as MapMetric) ? (v as MapMetric) : 'coverage';

export interface DistrictValue {
  adcode: string;
  name: string;
  value: number;
}

export function districtValues(
  districts: DistrictSnapshot[] | undefined,
  metric: MapMetric,
): DistrictValue[] {
  const def = MAP_METRIC_DEFS[metric];
  return (districts ?? []).map((d) => ({ adcode: d.adcode, name: d.name, value: def.value(d.metrics) }));
}

/** Best first: for a "bad" metric that is the lowest. */
export function rankDistricts(values: DistrictValue[], metric: MapMetric): DistrictValue[] {
  const dir = MAP_METRIC_DEFS[metric].bad ? 1 : -1;
  return [...values].sort((a, b) => dir * (a.value - b.value) || a.adcode.localeCompare(b.adcode));
}
