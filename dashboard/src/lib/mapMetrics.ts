/** The metrics the map and the ranking can colour by (docs/WALL.md chips: 覆盖率 · 逾期 · 销号率 · 今日督导). */
import type { DistrictSnapshot, Metrics, ResponsibilityRow } from '@dudao/domain';
import type { WeakEnd } from './mapScale.ts';

export const MAP_METRICS = ['coverage', 'overdue', 'rectification', 'today'] as const;
export type MapMetric = (typeof MAP_METRICS)[number];

export interface MapMetricDef {
  value: (m: Metrics) => number;
  rate: boolean;
  /** high values are bad news (ranked lowest first; the darkest on the map is the highest) */
  bad: boolean;
}

export const MAP_METRIC_DEFS: Record<MapMetric, MapMetricDef> = {
  coverage: { value: (m) => m.coverage.schools.rate, rate: true, bad: false },
  overdue: { value: (m) => m.issues.overdue, rate: false, bad: true },
  rectification: { value: (m) => m.issues.rectificationRate, rate: true, bad: false },
  // the quietest district today is the one to look at
  today: { value: (m) => m.inspections.today, rate: false, bad: false },
};

/** The weak end of a metric's scale (lib/mapScale.ts): its darkest colour. */
export const weakEnd = (metric: MapMetric): WeakEnd => (MAP_METRIC_DEFS[metric].bad ? 'high' : 'low');

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

/** The 责任区 rows the wall's ranking can switch to (SPEC §14), each with the map metric's value. */
const ZONE_VALUE: Record<MapMetric, (r: ResponsibilityRow) => number> = {
  coverage: (r) => (r.assigned > 0 ? r.visited / r.assigned : 0),
  overdue: (r) => r.overdueIssues,
  rectification: (r) => (r.issuesRaised > 0 ? r.issuesClosed / r.issuesRaised : 0),
  today: (r) => r.inspectionsToday,
};

/**
 * Zones as ranking rows: named "天元区第一责任区", keyed by the district a click opens. Targets
 * nobody answers for are no zone and are left out.
 */
export function zoneValues(
  rows: readonly ResponsibilityRow[],
  metric: MapMetric,
  districtName: (adcode: string) => string,
): DistrictValue[] {
  return rows
    .filter((r) => r.zone !== null && r.assigned > 0)
    .map((r) => ({
      adcode: r.district,
      name: `${districtName(r.district)}${r.name}`,
      value: ZONE_VALUE[metric](r),
    }));
}

/** 销号率 a city expects: nine in ten issues closed. */
export const RECTIFICATION_TARGET = 0.9;

export type MetricTargetKind = 'pace' | 'goal' | 'mean';
export interface MetricTarget {
  value: number;
  kind: MetricTargetKind;
}

/**
 * The line a district is judged against: coverage keeps pace with the month (every school visited
 * by its end: day 10 of 30 → 33.3 %); 销号率 has a fixed goal; today's inspections compare with the
 * city's mean; overdue's target is none at all (zero), which the red scale already says.
 */
export function metricTarget(
  metric: MapMetric,
  ctx: { dayOfMonth: number; daysInMonth: number; values: readonly number[] },
): MetricTarget | null {
  switch (metric) {
    case 'coverage':
      return { value: ctx.dayOfMonth / ctx.daysInMonth, kind: 'pace' };
    case 'rectification':
      return { value: RECTIFICATION_TARGET, kind: 'goal' };
    case 'today':
      return ctx.values.length > 0
        ? { value: ctx.values.reduce((a, b) => a + b, 0) / ctx.values.length, kind: 'mean' }
        : null;
    case 'overdue':
      return null;
  }
}
