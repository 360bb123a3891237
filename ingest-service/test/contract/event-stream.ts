/**
 * Random streams of events for the property tests (rebuild == incremental, rollup == live): every
 * event type, on a few objects so that steps collide (an issue rectified twice, a complaint resolved
 * before it was received…), valid or not, at times the test chooses.
 */
import fc from 'fast-check';
import { HT, TY } from '@dudao/testkit';

const HOUR = 3_600_000;

const DISTRICTS = {
  [TY]: {
    schools: ['S-TY-1', 'S-TY-2', 'S-TY-3'],
    institutions: ['N-TY-1', 'N-TY-2'],
    inspectors: ['P-TY-1', 'P-TY-2'],
  },
  [HT]: { schools: ['S-HT-1'], institutions: ['N-HT-1'], inspectors: ['P-HT-1'] },
} as const;

/**
 * One generated step: kind, a small object index (so steps collide on objects), how many hours
 * before the clock it happened (0..maxHoursAgo).
 */
export const stepOf = (maxHoursAgo: number) =>
  fc.record({
    kind: fc.constantFrom(
      'started',
      'completed',
      'raised',
      'rectified',
      'passed',
      'failed',
      'extended',
      'urged',
      'commented',
      'action',
      'complaint',
      'resolved',
      'report',
    ),
    district: fc.constantFrom(TY, HT),
    object: fc.nat(5),
    pick: fc.nat(10),
    hoursAgo: fc.integer({ min: 0, max: maxHoursAgo }),
    deadlineHours: fc.integer({ min: 1, max: 24 * 20 }),
    flag: fc.boolean(),
  });
export type Step = ReturnType<typeof stepOf> extends fc.Arbitrary<infer T> ? T : never;

export interface StreamPlace {
  /** event ids are `<prefix>-event-<i>` */
  prefix: string;
  /** the clock: a step happens `hoursAgo` before it */
  now: number;
  /** the id of the inspection, issue or complaint a step acts on (default `<prefix>-<object>`) */
  objectOf?: (s: Step) => string;
  /** event `i` happens `i × spreadMs` earlier still, so that no two events share an instant */
  spreadMs?: number;
}

export function toEvent(s: Step, i: number, { prefix, now, objectOf, spreadMs = 0 }: StreamPlace) {
  const reg = DISTRICTS[s.district];
  const occurred = now - s.hoursAgo * HOUR - i * spreadMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  const school = reg.schools[s.pick % reg.schools.length]!;
  const institution = reg.institutions[s.pick % reg.institutions.length]!;
  const inspector = reg.inspectors[s.pick % reg.inspectors.length]!;
  const base = { id: `${prefix}-event-${i}`, district: s.district, occurredAt: iso(occurred) };
  const obj = objectOf ? objectOf(s) : `${prefix}-${s.object}`;
  const deadline = iso(occurred + s.deadlineHours * HOUR);
  const target = s.flag ? { kind: 'school', id: school } : { kind: 'institution', id: institution };
  switch (s.kind) {
    case 'started':
      return {
        ...base,
        type: 'inspection.started',
        inspectionId: obj,
        target,
        mode: 'routine',
        theme: 'homework',
        inspector,
      };
    case 'completed':
      return { ...base, type: 'inspection.completed', inspectionId: obj, findings: s.pick, inspector };
    case 'raised':
      return {
        ...base,
        type: 'issue.raised',
        issueId: obj,
        target,
        category: 'fees',
        severity: 'minor',
        deadline,
      };
    case 'rectified':
      return { ...base, type: 'issue.rectified', issueId: obj };
    case 'passed':
      return { ...base, type: 'issue.verified', issueId: obj, result: 'passed', inspector };
    case 'failed':
      return { ...base, type: 'issue.verified', issueId: obj, result: 'failed', deadline };
    case 'extended':
      // A later deadline than most: an overdue issue may stop being overdue.
      return {
        ...base,
        type: 'issue.deadline_extended',
        issueId: obj,
        deadline: iso(occurred + 2 * s.deadlineHours * HOUR),
        reason: '整改需要施工',
        actor: 'supervisor-ty',
      };
    case 'urged':
      return { ...base, type: 'issue.urged', issueId: obj, note: '请加快整改', actor: 'supervisor-ty' };
    case 'commented':
      return {
        ...base,
        type: 'issue.commented',
        issueId: obj,
        note: '已电话沟通',
        ...(s.flag ? { inspector } : {}),
      };
    case 'action': {
      const actions = ['warning', 'rectification_order', 'fine', 'suspension', 'closure'];
      return { ...base, type: 'institution.action', institutionId: institution, action: actions[s.pick % 5] };
    }
    case 'complaint':
      return { ...base, type: 'complaint.received', complaintId: obj, channel: 'online', category: 'fees' };
    case 'resolved':
      return { ...base, type: 'complaint.resolved', complaintId: obj };
    case 'report':
      return {
        ...base,
        type: 'school.report',
        schoolId: school,
        period: iso(occurred + 8 * HOUR).slice(0, 7),
        afterSchoolOffered: s.flag,
        afterSchoolParticipation: (s.pick % 10) / 10,
        homeworkCompliant: s.pick % 3 !== 0,
      };
  }
}
