/**
 * Alert evaluation (SPEC §15), pure: the state of issues, complaints and each district's coverage
 * at an instant in, firings out. A firing's dedupe key names the rule and the object (and, for
 * coverage, the month), never the instant or a threshold, so evaluating again — on this tick, the
 * next, or on another leader after a hand-over — yields the same key, and the store keeps one.
 */
import type { AlertRule, AlertRules } from './alert-rules.ts';
import type { ComplaintState, IssueState } from './state.ts';
import { DAY_MS, localTime } from './time.ts';

/**
 * A critical issue fires when it is raised; one raised (by `occurredAt`) longer ago than this — a
 * backfill, a first start on an old database — is history, not news.
 */
export const CRITICAL_ISSUE_LOOKBACK_MS = DAY_MS;

export type AlertSeverity = 'critical' | 'warning';
export type AlertSubjectKind = 'issue' | 'complaint' | 'district';

export interface AlertFiring {
  rule: AlertRule;
  /** `${rule}:${subject}`: once per object per rule (per month for coverage) */
  dedupeKey: string;
  district: string;
  subject: { kind: AlertSubjectKind; id: string };
  severity: AlertSeverity;
  /** what the message says: the numbers behind the firing */
  facts: Record<string, string | number>;
}

/** A district's school coverage this month. */
export interface DistrictCoverage {
  district: string;
  covered: number;
  total: number;
}

export interface AlertState {
  now: number;
  timezone: string;
  rules: AlertRules;
  /**
   * Crossings before this instant (an issue's Nth day overdue, a complaint's Nth day open, an
   * issue's reopen that reached the count) are
   * history, not news: on a first start over a backfilled month the backlog would fire all at once.
   * The evaluator passes its start less a grace for restarts; absent, every crossing counts.
   */
  since?: number;
  issues: readonly IssueState[];
  complaints: readonly ComplaintState[];
  coverage: readonly DistrictCoverage[];
}

export const alertDedupeKey = (rule: AlertRule, subject: string): string => `${rule}:${subject}`;
/** The subject of a coverage firing: the district in one month. */
export const coverageSubject = (district: string, month: string): string => `${district}:${month}`;

/**
 * Which objects can fire at `now` under `rules`: the bounds a caller may use to fetch candidates
 * (rules disabled → null). `evaluateAlerts` applies the same bounds, so the rules live here only.
 */
export interface AlertBounds {
  /** critical issues raised at or after this instant */
  criticalRaisedSince: number | null;
  /** issues not closed whose deadline is at or before this instant */
  overdueDeadlineBefore: number | null;
  /** ... and at or after this one (crossed since `since`; null: no lower bound) */
  overdueDeadlineFrom: number | null;
  /** issues not closed reopened at least this many times */
  reopenedAtLeast: number | null;
  /** ... whose latest reopen is at or after this instant (null: no lower bound) */
  reopenedFrom: number | null;
  /** complaints open received at or before this instant */
  complaintReceivedBefore: number | null;
  /** ... and at or after this one (crossed since `since`; null: no lower bound) */
  complaintReceivedFrom: number | null;
  /** the local month whose coverage is checked (day ≥ dayOfMonth), with the floor in percent */
  coverage: { month: string; belowPercent: number } | null;
}

export function alertBounds(rules: AlertRules, now: number, timezone: string, since?: number): AlertBounds {
  const local = localTime(now, timezone);
  const dayOfMonth = Number(local.day.slice(8, 10));
  const { critical_issue, issue_overdue, issue_reopened, complaint_open, coverage_low } = rules;
  /** the instant `days` before `at`, when the rule is on */
  const daysBefore = (enabled: boolean, at: number | undefined, days: number) =>
    enabled && at !== undefined ? at - days * DAY_MS : null;
  return {
    criticalRaisedSince: critical_issue.enabled ? now - CRITICAL_ISSUE_LOOKBACK_MS : null,
    overdueDeadlineBefore: daysBefore(issue_overdue.enabled, now, issue_overdue.days),
    overdueDeadlineFrom: daysBefore(issue_overdue.enabled, since, issue_overdue.days),
    reopenedAtLeast: issue_reopened.enabled ? issue_reopened.times : null,
    reopenedFrom: issue_reopened.enabled && since !== undefined ? since : null,
    complaintReceivedBefore: daysBefore(complaint_open.enabled, now, complaint_open.days),
    complaintReceivedFrom: daysBefore(complaint_open.enabled, since, complaint_open.days),
    coverage:
      coverage_low.enabled && dayOfMonth >= coverage_low.dayOfMonth
        ? { month: local.month, belowPercent: coverage_low.belowPercent }
        : null,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

function issueFirings(issue: IssueState, b: AlertBounds, now: number): AlertFiring[] {
  const out: AlertFiring[] = [];
  const subject = { kind: 'issue' as const, id: issue.id };
  const fire = (rule: AlertRule, severity: AlertSeverity, facts: AlertFiring['facts']) =>
    out.push({
      rule,
      dedupeKey: alertDedupeKey(rule, issue.id),
      district: issue.district,
      subject,
      severity,
      facts: { category: issue.category, severity: issue.severity, target: issue.target.id, ...facts },
    });
  const open = issue.status !== 'closed';
  if (
    b.criticalRaisedSince !== null &&
    issue.severity === 'critical' &&
    issue.raisedAt >= b.criticalRaisedSince
  )
    fire('critical_issue', 'critical', { raisedAt: iso(issue.raisedAt), deadline: iso(issue.deadline) });
  if (
    b.overdueDeadlineBefore !== null &&
    open &&
    issue.deadline <= b.overdueDeadlineBefore &&
    issue.deadline >= (b.overdueDeadlineFrom ?? -Infinity)
  )
    fire('issue_overdue', 'warning', {
      deadline: iso(issue.deadline),
      daysOverdue: Math.floor((now - issue.deadline) / DAY_MS),
    });
  if (
    b.reopenedAtLeast !== null &&
    open &&
    issue.reopenCount >= b.reopenedAtLeast &&
    (b.reopenedFrom === null || (issue.reopenedAt !== null && issue.reopenedAt >= b.reopenedFrom))
  )
    fire('issue_reopened', 'warning', { reopenCount: issue.reopenCount });
  return out;
}

function complaintFiring(complaint: ComplaintState, b: AlertBounds, now: number): AlertFiring | null {
  if (b.complaintReceivedBefore === null || complaint.status !== 'open') return null;
  if (complaint.receivedAt > b.complaintReceivedBefore) return null;
  if (complaint.receivedAt < (b.complaintReceivedFrom ?? -Infinity)) return null;
  return {
    rule: 'complaint_open',
    dedupeKey: alertDedupeKey('complaint_open', complaint.id),
    district: complaint.district,
    subject: { kind: 'complaint', id: complaint.id },
    severity: 'warning',
    facts: {
      ...(complaint.target ? { target: complaint.target.id } : {}),
      channel: complaint.channel,
      category: complaint.category,
      receivedAt: iso(complaint.receivedAt),
      daysOpen: Math.floor((now - complaint.receivedAt) / DAY_MS),
    },
  };
}

function coverageFiring(c: DistrictCoverage, b: AlertBounds): AlertFiring | null {
  if (!b.coverage || c.total === 0) return null;
  // Compared in whole numbers: covered/total < belowPercent/100.
  if (c.covered * 100 >= b.coverage.belowPercent * c.total) return null;
  const subject = coverageSubject(c.district, b.coverage.month);
  return {
    rule: 'coverage_low',
    dedupeKey: alertDedupeKey('coverage_low', subject),
    district: c.district,
    subject: { kind: 'district', id: subject },
    severity: 'warning',
    facts: {
      month: b.coverage.month,
      covered: c.covered,
      total: c.total,
      percent: Math.floor((c.covered * 1000) / c.total) / 10,
      belowPercent: b.coverage.belowPercent,
    },
  };
}

/** Every firing the state calls for at `state.now`, each key once, in a stable order. */
export function evaluateAlerts(state: AlertState): AlertFiring[] {
  const bounds = alertBounds(state.rules, state.now, state.timezone, state.since);
  const firings = [
    ...state.issues.flatMap((issue) => issueFirings(issue, bounds, state.now)),
    ...state.complaints.map((c) => complaintFiring(c, bounds, state.now)),
    ...state.coverage.map((c) => coverageFiring(c, bounds)),
  ].filter((f): f is AlertFiring => f !== null);
  const byKey = new Map(firings.map((f) => [f.dedupeKey, f]));
  return [...byKey.values()];
}

/** The firings whose keys have not fired yet: what a store that keeps keys would add. */
export const unfired = (firings: readonly AlertFiring[], fired: ReadonlySet<string>): AlertFiring[] =>
  firings.filter((f) => !fired.has(f.dedupeKey));

/** A firing as the API and the live push show it. */
export interface AlertItem {
  id: string;
  rule: AlertRule;
  district: string;
  districtName: string;
  subject: AlertFiring['subject'];
  severity: AlertSeverity;
  facts: AlertFiring['facts'];
  firedAt: string;
  acknowledgedAt: string | null;
  /** who acknowledged it: a login, or `key:<id>` */
  acknowledgedBy: string | null;
}

/** The live push's `alert` message: a new firing, or one acknowledged since. */
export interface AlertMessage {
  alert: AlertItem;
}
