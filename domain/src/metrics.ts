/** SPEC §6: the metrics, composed from the raw counters a live store holds for one scope. */
import { COUNTER_FIELD } from './counters.ts';
import {
  INSTITUTION_ACTIONS,
  ISSUE_CATEGORIES,
  type InstitutionActionType,
  type IssueCategory,
} from './events.ts';

/** What a live store reads for one district at one instant: the buckets of "now" and the set sizes. */
export interface DistrictCounters {
  total: Record<string, number>;
  today: Record<string, number>;
  month: Record<string, number>;
  inspectorsToday: number;
  coveredSchools: number;
  coveredInstitutions: number;
  overdue: number;
  lastEventAt: number | null;
}

export interface Coverage {
  covered: number;
  total: number;
  rate: number;
}

export interface Metrics {
  inspections: { today: number; month: number; total: number; inProgress: number };
  coverage: { schools: Coverage; institutions: Coverage };
  issues: {
    raised: number;
    open: number;
    submitted: number;
    closed: number;
    overdue: number;
    reopened: number;
    /** open issues urged (督办) at least once */
    urged: number;
    rectificationRate: number;
    /** null while no issue has been closed */
    avgHoursToClose: number | null;
    byCategory: Record<IssueCategory, number>;
  };
  institutions: {
    subject: { baseline: number; active: number; closed: number; reductionRate: number };
    actions: Record<InstitutionActionType, number>;
  };
  complaints: { received: number; resolved: number; open: number };
  reports: {
    schoolsReporting: number;
    /** null while no school has reported this month */
    afterSchoolCoverage: number | null;
    /** null while no reporting school offers after-school service */
    afterSchoolParticipation: number | null;
    homeworkCompliance: number | null;
  };
  activity: { inspectorsToday: number; lastEventAt: string | null; hourly: number[] };
}

export interface DistrictSnapshot {
  adcode: string;
  name: string;
  metrics: Metrics;
}

/** A snapshot of one scope (`city` or a district adcode), versioned so clients can drop stale ones. */
export interface Snapshot {
  scope: string;
  version: number;
  asOf: string;
  metrics: Metrics;
  districts?: DistrictSnapshot[];
}

export const emptyCounters = (): DistrictCounters => ({
  total: {},
  today: {},
  month: {},
  inspectorsToday: 0,
  coveredSchools: 0,
  coveredInstitutions: 0,
  overdue: 0,
  lastEventAt: null,
});

/** Rates keep four decimals: enough for "12.3%" and stable across JSON round trips. */
const ratio = (num: number, den: number): number =>
  den === 0 ? 0 : Math.round((num / den) * 10_000) / 10_000;
const ratioOrNull = (num: number, den: number): number | null => (den === 0 ? null : ratio(num, den));

export function composeMetrics(c: DistrictCounters): Metrics {
  const t = (field: string) => c.total[field] ?? 0;
  const m = (field: string) => c.month[field] ?? 0;
  const schools = t(COUNTER_FIELD.registrySchools);
  const institutions = t(COUNTER_FIELD.registryInstitutions);
  const baseline = t(COUNTER_FIELD.registrySubject);
  const closedSubject = t(COUNTER_FIELD.subject('closed'));
  const raised = t(COUNTER_FIELD.raised);
  const closed = t(COUNTER_FIELD.closed);
  const reporting = m(COUNTER_FIELD.reporting);
  const offering = m(COUNTER_FIELD.offering);
  const received = t(COUNTER_FIELD.complaintsReceived);
  const resolved = t(COUNTER_FIELD.complaintsResolved);
  return {
    inspections: {
      today: c.today[COUNTER_FIELD.inspections] ?? 0,
      month: m(COUNTER_FIELD.inspections),
      total: t(COUNTER_FIELD.inspections),
      inProgress: t(COUNTER_FIELD.inProgress),
    },
    coverage: {
      schools: { covered: c.coveredSchools, total: schools, rate: ratio(c.coveredSchools, schools) },
      institutions: {
        covered: c.coveredInstitutions,
        total: institutions,
        rate: ratio(c.coveredInstitutions, institutions),
      },
    },
    issues: {
      raised,
      open: t(COUNTER_FIELD.open),
      submitted: t(COUNTER_FIELD.submitted),
      closed,
      overdue: c.overdue,
      reopened: t(COUNTER_FIELD.reopened),
      urged: t(COUNTER_FIELD.urged),
      rectificationRate: ratio(closed, raised),
      avgHoursToClose:
        closed === 0 ? null : Math.round((t(COUNTER_FIELD.closeMsSum) / closed / 3_600_000) * 10) / 10,
      byCategory: Object.fromEntries(
        ISSUE_CATEGORIES.map((k) => [k, t(COUNTER_FIELD.byCategory(k))]),
      ) as Record<IssueCategory, number>,
    },
    institutions: {
      subject: {
        baseline,
        active: t(COUNTER_FIELD.subject('active')),
        closed: closedSubject,
        reductionRate: ratio(closedSubject, baseline),
      },
      actions: Object.fromEntries(INSTITUTION_ACTIONS.map((k) => [k, t(COUNTER_FIELD.action(k))])) as Record<
        InstitutionActionType,
        number
      >,
    },
    complaints: { received, resolved, open: received - resolved },
    reports: {
      schoolsReporting: reporting,
      afterSchoolCoverage: ratioOrNull(offering, reporting),
      afterSchoolParticipation: ratioOrNull(m(COUNTER_FIELD.participationBp) / 10_000, offering),
      homeworkCompliance: ratioOrNull(m(COUNTER_FIELD.compliant), reporting),
    },
    activity: {
      inspectorsToday: c.inspectorsToday,
      lastEventAt: c.lastEventAt === null ? null : new Date(c.lastEventAt).toISOString(),
      hourly: Array.from({ length: 24 }, (_, h) => c.today[COUNTER_FIELD.hour(h)] ?? 0),
    },
  };
}

function addRecords(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** City counters are the sums of its districts' (so city rates are ratios of sums). */
export function sumCounters(all: DistrictCounters[]): DistrictCounters {
  return all.reduce(
    (acc, c) => ({
      total: addRecords(acc.total, c.total),
      today: addRecords(acc.today, c.today),
      month: addRecords(acc.month, c.month),
      inspectorsToday: acc.inspectorsToday + c.inspectorsToday,
      coveredSchools: acc.coveredSchools + c.coveredSchools,
      coveredInstitutions: acc.coveredInstitutions + c.coveredInstitutions,
      overdue: acc.overdue + c.overdue,
      lastEventAt:
        acc.lastEventAt === null
          ? c.lastEventAt
          : Math.max(acc.lastEventAt, c.lastEventAt ?? acc.lastEventAt),
    }),
    emptyCounters(),
  );
}

/** Numeric leaves of a metrics object by dotted name (`issues.overdue`), for rollups and trends. */
export function flattenMetrics(metrics: Metrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'number' || value === null) out[path] = value;
    else if (typeof value === 'object' && value !== null && !Array.isArray(value))
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(metrics, '');
  return out;
}

/**
 * A scope's snapshot (SPEC §6) from its districts' counters: a district's own metrics, or for the
 * city the sum of every district in `districts` with each district's metrics beside it.
 */
export function snapshotOf(p: {
  scope: string;
  version: number;
  now: number;
  /** every district of the city, in the order the city snapshot lists them */
  districts: readonly { adcode: string; name: string }[];
  counters: ReadonlyMap<string, DistrictCounters>;
}): Snapshot {
  const { scope, version } = p;
  const asOf = new Date(p.now).toISOString();
  if (scope !== 'city')
    return { scope, version, asOf, metrics: composeMetrics(p.counters.get(scope) ?? emptyCounters()) };
  const all = p.districts.map((d) => p.counters.get(d.adcode) ?? emptyCounters());
  return {
    scope,
    version,
    asOf,
    metrics: composeMetrics(sumCounters(all)),
    districts: p.districts.map((d, i) => ({
      adcode: d.adcode,
      name: d.name,
      metrics: composeMetrics(all[i]!),
    })),
  };
}
