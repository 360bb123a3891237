/**
 * SPEC §3: the live store is derived. After any stream of events (valid or not, in any order), a
 * rebuild from the database gives exactly the numbers the incremental path produced.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

const HOUR = 3_600_000;
const clock = testClock('2026-11-26T10:00:00+08:00');
let svc: TestService;
let run = 0;
let accepted = 0;

beforeAll(async () => {
  svc = await startTestService({ clock });
});
afterAll(() => svc.close());

const DISTRICTS = {
  [TY]: {
    schools: ['S-TY-1', 'S-TY-2', 'S-TY-3'],
    institutions: ['N-TY-1', 'N-TY-2'],
    inspectors: ['P-TY-1', 'P-TY-2'],
  },
  [HT]: { schools: ['S-HT-1'], institutions: ['N-HT-1'], inspectors: ['P-HT-1'] },
} as const;

/** One generated step: kind, a small object index (so steps collide on objects), a time offset. */
const step = fc.record({
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
  hoursAgo: fc.integer({ min: 0, max: 24 * 40 }),
  deadlineHours: fc.integer({ min: 1, max: 24 * 20 }),
  flag: fc.boolean(),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function toEvent(s: Step, i: number, prefix: string) {
  const reg = DISTRICTS[s.district];
  const occurred = clock.now() - s.hoursAgo * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  const school = reg.schools[s.pick % reg.schools.length]!;
  const institution = reg.institutions[s.pick % reg.institutions.length]!;
  const inspector = reg.inspectors[s.pick % reg.inspectors.length]!;
  const base = { id: `${prefix}-event-${i}`, district: s.district, occurredAt: iso(occurred) };
  const obj = `${prefix}-${s.object}`;
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

describe('rebuild equals incremental', () => {
  it('after long random streams, in random batches, with the clock moving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 20, maxLength: 60 }),
        fc.integer({ min: 3, max: 25 }),
        fc.integer({ min: 0, max: 12 }),
        async (steps, batchSize, clockHours) => {
          const prefix = `r${++run}`;
          // Time only moves forward, across day boundaries now and then.
          clock.advance(clockHours * HOUR);
          const events = steps.map((s, i) => toEvent(s, i, prefix));
          for (let i = 0; i < events.length; i += batchSize) {
            const res = await svc.post(events.slice(i, i + batchSize));
            expect(res.status).toBe(200);
            accepted += res.body.accepted;
          }
          const incremental = await svc.metrics('city');
          await svc.server.rebuild();
          const rebuilt = await svc.metrics('city');
          expect(rebuilt.metrics).toEqual(incremental.metrics);
          expect(rebuilt.districts).toEqual(incremental.districts);
        },
      ),
      // State accumulates across runs (as in production), so shrinking would not isolate a case.
      { numRuns: 30, endOnFailure: true },
    );
    // The streams must exercise the rules, not be refused wholesale.
    expect(accepted).toBeGreaterThan(300);
  }, 180_000);
});
