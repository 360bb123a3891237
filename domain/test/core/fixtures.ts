/**
 * The world the core's table (`decide.test.ts`) decides in: a two-district registry, the objects
 * events act on as they stand before the event, and builders of the exact deltas a row expects.
 * Field names are written out as SPEC §6 names them, not taken from `COUNTER_FIELD`, so a renamed
 * counter fails the table.
 */
import type {
  Bucket,
  ComplaintState,
  Delta,
  DudaoEvent,
  InspectionState,
  InstitutionState,
  IssueState,
  ItemCode,
  SchoolReportState,
  StateChange,
  World,
} from '../../src/index.ts';

/** 天元区 and 荷塘区 of 株洲 */
export const TY = '430211';
export const HT = '430202';
export const TZ = 'Asia/Shanghai';

/** Every event of the table happens at 10:00 local on 2026-11-26 unless it says otherwise. */
export const AT = '2026-11-26T10:00:00+08:00';
export const AT_MS = Date.parse(AT);
export const TODAY = 'day:2026-11-26' satisfies Bucket;
export const THIS_MONTH = 'month:2026-11' satisfies Bucket;
export const EVENT_ID = 'ev-table-1';

/** Registry: school S1, inspector P1, institutions N1 (subject) and N2 (non-subject) in TY; S2, P2, N3 in HT. */
const SCHOOLS: Record<string, string> = { S1: TY, S2: HT };
const INSPECTORS: Record<string, string> = { P1: TY, P2: HT };
const INSTITUTIONS: InstitutionState[] = [
  { id: 'N1', district: TY, category: 'subject', status: 'active' },
  { id: 'N2', district: TY, category: 'non_subject', status: 'active' },
  { id: 'N3', district: HT, category: 'subject', status: 'active' },
];

/** The objects as they stand before the event (an institution listed here replaces the registry's). */
export interface Before {
  inspection?: InspectionState;
  issue?: IssueState;
  complaint?: ComplaintState;
  institution?: InstitutionState;
  report?: SchoolReportState;
}

export function worldOf(before: Before = {}): World {
  const institutions = new Map(INSTITUTIONS.map((i) => [i.id, i]));
  if (before.institution) institutions.set(before.institution.id, before.institution);
  const find = <T>(state: T | undefined, id: string, key: (s: T) => string) =>
    state && key(state) === id ? state : undefined;
  return {
    timezone: TZ,
    isDistrict: (adcode) => adcode === TY || adcode === HT,
    hasSchool: (district, id) => SCHOOLS[id] === district,
    hasInspector: (district, id) => INSPECTORS[id] === district,
    institution: (id) => institutions.get(id),
    inspection: (id) => find(before.inspection, id, (s) => s.id),
    issue: (id) => find(before.issue, id, (s) => s.id),
    complaint: (id) => find(before.complaint, id, (s) => s.id),
    report: (schoolId, period) =>
      find(before.report, `${schoolId}/${period}`, (s) => `${s.schoolId}/${s.period}`),
  };
}

/** An event of TY at `AT`; the row names its type and fields. */
export const event = (fields: Record<string, unknown>): DudaoEvent =>
  ({ id: EVENT_ID, district: TY, occurredAt: AT, ...fields }) as DudaoEvent;

export const INSPECTION: InspectionState = {
  id: 'INS1',
  district: TY,
  target: { kind: 'school', id: 'S1' },
  inspector: 'P1',
  mode: 'routine',
  theme: 'homework',
  status: 'in_progress',
  startedAt: Date.parse('2026-11-26T08:00:00+08:00'),
  completedAt: null,
  findings: null,
};

export const DEADLINE = '2026-12-01T18:00:00+08:00';
/** An open issue of S1, raised an hour before `AT`. */
export const ISSUE: IssueState = {
  id: 'ISS1',
  district: TY,
  inspectionId: null,
  target: { kind: 'school', id: 'S1' },
  category: 'homework',
  severity: 'minor',
  status: 'open',
  deadline: Date.parse(DEADLINE),
  reopenCount: 0,
  reopenedAt: null,
  urgeCount: 0,
  raisedAt: Date.parse('2026-11-26T09:00:00+08:00'),
  submittedAt: null,
  closedAt: null,
};
export const SUBMITTED: IssueState = {
  ...ISSUE,
  status: 'submitted',
  submittedAt: Date.parse('2026-11-26T09:30:00+08:00'),
};
export const CLOSED: IssueState = {
  ...SUBMITTED,
  status: 'closed',
  closedAt: Date.parse('2026-11-26T09:45:00+08:00'),
};

export const COMPLAINT: ComplaintState = {
  id: 'C1',
  district: TY,
  channel: 'hotline',
  category: 'fees',
  target: null,
  status: 'open',
  receivedAt: Date.parse('2026-11-25T08:00:00+08:00'),
  resolvedAt: null,
};

/** S1's November report, sent on the 20th: after-school offered, 80 % take part, homework compliant. */
export const REPORT: SchoolReportState = {
  schoolId: 'S1',
  district: TY,
  period: '2026-11',
  afterSchoolOffered: true,
  participationBp: 8000,
  homeworkCompliant: true,
  reportedAt: Date.parse('2026-11-20T10:00:00+08:00'),
};

/** What a row expects: a rejection code, or the outcome (its row of the counter table), change and deltas. */
export type Expected = { code: ItemCode } | { outcome: string; change: StateChange; deltas: Delta[] };

export interface Row {
  rule: string;
  before?: Before;
  event: DudaoEvent;
  expected: Expected;
}

export const incr = (field: string, by = 1, bucket: Bucket = 'total'): Delta => ({
  op: 'incr',
  district: TY,
  bucket,
  field,
  by,
});
/** the newest occurredAt seen: every accepted event moves it */
export const seen = (at = AT_MS): Delta => ({ op: 'seen', district: TY, occurredAtMs: at });
export const inspectorToday = (member: string, day = '2026-11-26'): Delta => ({
  op: 'addMember',
  district: TY,
  set: 'inspectors',
  window: day,
  member,
});
export const covered = (
  set: 'coveredSchools' | 'coveredInstitutions',
  member: string,
  month = '2026-11',
): Delta => ({ op: 'addMember', district: TY, set, window: month, member });
export const setDeadline = (issueId: string, iso: string): Delta => ({
  op: 'setDeadline',
  district: TY,
  issueId,
  deadlineMs: Date.parse(iso),
});
export const clearDeadline = (issueId: string): Delta => ({ op: 'clearDeadline', district: TY, issueId });
