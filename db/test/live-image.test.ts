/**
 * The rebuild (SPEC §3): a hand-made city in the tables, and the counters the live store must then
 * hold, worked out by hand from what each event's deltas do (domain `decide`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeMetrics, countersAt, COUNTER_FIELD, type DudaoEvent } from '@dudao/domain';
import { openTestDatabase, type TestDatabase } from '../testing/database.ts';
import {
  complaints,
  events,
  inspections,
  inspectors,
  institutionActions,
  institutions,
  issues,
  schoolReports,
  schools,
} from '../src/schema/index.ts';
import { loadLiveImage } from '../src/queries/live-image.ts';

const TZ = 'Asia/Shanghai';
const A = '430202';
const B = '430203';
const HOUR_MS = 3_600_000;
/** a local time in Zhuzhou */
const at = (local: string) => new Date(`${local}+08:00`);
const NOW = at('2026-11-26T15:00:00').getTime();

let test: TestDatabase;

const named = (id: string, district: string) => ({ id, district, name: id });

type Kind = 'school' | 'institution';
const kindOf = (target: string): Kind => (target.startsWith('S') ? 'school' : 'institution');

const inspection = (
  id: string,
  district: string,
  target: string,
  inspector: string,
  done: boolean,
  local: string,
) => ({
  id,
  district,
  targetKind: kindOf(target),
  targetId: target,
  inspector,
  mode: 'routine',
  theme: 'double_reduction',
  status: done ? ('completed' as const) : ('in_progress' as const),
  startedAt: at(local),
});

type IssueStatus = 'open' | 'submitted' | 'closed';
const issue = (id: string, district: string, target: string, category: string, status: IssueStatus) => ({
  id,
  district,
  targetKind: kindOf(target),
  targetId: target,
  category,
  severity: 'major' as const,
  status,
});

const action = (eventId: string, district: string, institutionId: string, kind: string) => ({
  eventId,
  district,
  institutionId,
  action: kind,
  occurredAt: at('2026-11-03T10:00:00'),
});

const report = (
  schoolId: string,
  district: string,
  period: string,
  offered: boolean,
  bp: number,
  compliant: boolean,
) => ({
  schoolId,
  district,
  period,
  afterSchoolOffered: offered,
  participationBp: bp,
  homeworkCompliant: compliant,
  reportedAt: at('2026-11-25T10:00:00'),
});

/** An `events` row: what the live image counts is in its columns; the payload only has to be an event. */
const event = (id: string, district: string, inspector: string | null, local: string) => ({
  id,
  type: 'inspection.started',
  district,
  inspector,
  occurredAt: at(local),
  receivedAt: at(local),
  contentHash: id,
  payload: {
    id,
    type: 'inspection.started',
    occurredAt: at(local).toISOString(),
    district,
    inspector: inspector ?? '',
    inspectionId: id,
    target: { kind: 'school', id: 'S1' },
    mode: 'routine',
    theme: 'double_reduction',
  } satisfies DudaoEvent,
});

async function seed(): Promise<void> {
  const { db } = test.database;
  const school = { stage: 'primary', ownership: 'public', students: 800 } as const;
  await db
    .insert(schools)
    .values(
      [named('S1', A), named('S2', A), named('S3', A), named('S4', B)].map((r) => ({ ...r, ...school })),
    );
  await db.insert(institutions).values([
    { id: 'N1', district: A, name: 'N1', category: 'subject', status: 'active' },
    { id: 'N2', district: A, name: 'N2', category: 'subject', status: 'closed' },
    { id: 'N3', district: A, name: 'N3', category: 'non_subject', status: 'active' },
    { id: 'N4', district: B, name: 'N4', category: 'subject', status: 'suspended' },
  ]);
  const role = 'part_time' as const;
  await db
    .insert(inspectors)
    .values([named('P1', A), named('P2', A), named('P4', A), named('P3', B)].map((r) => ({ ...r, role })));
  await db.insert(inspections).values([
    // 07:00 local is still yesterday in UTC: today's window is the city's day, not UTC's.
    inspection('X1', A, 'S1', 'P1', false, '2026-11-26T07:00:00'),
    inspection('X2', A, 'S2', 'P2', true, '2026-11-26T09:45:00'),
    inspection('X3', A, 'N1', 'P4', true, '2026-11-25T23:30:00'),
    inspection('X4', A, 'S3', 'P1', true, '2026-10-31T23:59:00'),
    inspection('X5', B, 'S4', 'P3', false, '2026-11-26T00:00:00'),
  ]);
  await db.insert(issues).values([
    {
      ...issue('Q1', A, 'S1', 'homework', 'open'),
      deadline: at('2026-11-20T00:00:00'),
      raisedAt: at('2026-11-10T10:00:00'),
    },
    {
      ...issue('Q2', A, 'S2', 'fees', 'open'),
      deadline: at('2026-12-01T00:00:00'),
      raisedAt: at('2026-11-01T10:00:00'),
      reopenCount: 1,
    },
    {
      ...issue('Q3', A, 'S1', 'homework', 'closed'),
      deadline: at('2026-11-04T00:00:00'),
      raisedAt: at('2026-11-02T10:00:00'),
      closedAt: at('2026-11-05T16:30:00'),
    },
    {
      ...issue('Q5', A, 'N1', 'off_campus_training', 'closed'),
      deadline: at('2026-11-21T00:00:00'),
      raisedAt: at('2026-11-20T08:00:00'),
      closedAt: at('2026-11-21T08:00:00'),
      reopenCount: 1,
    },
    {
      ...issue('Q4', B, 'S4', 'campus_safety', 'submitted'),
      deadline: at('2026-11-01T00:00:00'),
      raisedAt: at('2026-10-20T10:00:00'),
      submittedAt: at('2026-10-30T10:00:00'),
    },
  ]);
  await db
    .insert(institutionActions)
    .values([
      action('ea1', A, 'N2', 'closure'),
      action('ea2', A, 'N1', 'warning'),
      { ...action('ea3', A, 'N1', 'fine'), amountYuan: 5000 },
      action('ea4', B, 'N4', 'suspension'),
    ]);
  const complaint = {
    district: A,
    channel: 'hotline',
    category: 'fees',
    receivedAt: at('2026-11-05T10:00:00'),
  };
  await db.insert(complaints).values([
    { ...complaint, id: 'C1', status: 'open' },
    { ...complaint, id: 'C2', status: 'resolved', resolvedAt: at('2026-11-06T10:00:00') },
  ]);
  await db.insert(schoolReports).values([
    report('S1', A, '2026-11', true, 8000, true),
    // Not offering after-school service: its participation does not count.
    report('S2', A, '2026-11', false, 5000, false),
    // A report for last month.
    report('S3', A, '2026-10', true, 9000, true),
    report('S4', B, '2026-11', true, 6000, true),
  ]);
  await db
    .insert(events)
    .values([
      event('e1', A, 'P1', '2026-11-26T07:00:00'),
      event('e2', A, 'P2', '2026-11-26T09:45:00'),
      event('e3', A, 'P4', '2026-11-25T23:30:00'),
      event('e4', A, null, '2026-11-26T14:00:00'),
      event('e5', B, 'P3', '2026-11-26T00:00:00'),
      event('e6', B, 'P3', '2026-11-25T10:00:00'),
    ]);
}

describe('loadLiveImage', () => {
  beforeAll(async () => {
    test = await openTestDatabase();
  });
  afterAll(() => test.drop());

  it('is empty for an empty database', async () => {
    expect((await loadLiveImage(test.database, { timezone: TZ, now: NOW })).size).toBe(0);
  });

  describe('a hand-made city', () => {
    beforeAll(seed);

    it('gives every counter of a district, in the city timezone windows of now', async () => {
      const image = await loadLiveImage(test.database, { timezone: TZ, now: NOW });
      expect(countersAt(image.get(A), NOW, TZ)).toEqual({
        total: {
          [COUNTER_FIELD.inspections]: 4,
          [COUNTER_FIELD.inProgress]: 1,
          [COUNTER_FIELD.raised]: 4,
          [COUNTER_FIELD.open]: 2,
          [COUNTER_FIELD.closed]: 2,
          [COUNTER_FIELD.reopened]: 2,
          // Q3: 3 days 6.5 hours; Q5: 24 hours
          [COUNTER_FIELD.closeMsSum]: (3 * 24 + 6.5 + 24) * HOUR_MS,
          [COUNTER_FIELD.byCategory('homework')]: 2,
          [COUNTER_FIELD.byCategory('fees')]: 1,
          [COUNTER_FIELD.byCategory('off_campus_training')]: 1,
          [COUNTER_FIELD.action('closure')]: 1,
          [COUNTER_FIELD.action('warning')]: 1,
          [COUNTER_FIELD.action('fine')]: 1,
          [COUNTER_FIELD.complaintsReceived]: 2,
          [COUNTER_FIELD.complaintsResolved]: 1,
          [COUNTER_FIELD.registrySchools]: 3,
          [COUNTER_FIELD.registryInstitutions]: 3,
          [COUNTER_FIELD.registrySubject]: 2,
          [COUNTER_FIELD.subject('active')]: 1,
          [COUNTER_FIELD.subject('closed')]: 1,
        },
        // X3 started yesterday, X4 last month
        today: { [COUNTER_FIELD.inspections]: 2, [COUNTER_FIELD.hour(7)]: 1, [COUNTER_FIELD.hour(9)]: 1 },
        // S3's report is for October
        month: {
          [COUNTER_FIELD.inspections]: 3,
          [COUNTER_FIELD.reporting]: 2,
          [COUNTER_FIELD.offering]: 1,
          [COUNTER_FIELD.participationBp]: 8000,
          [COUNTER_FIELD.compliant]: 1,
        },
        // P4 was active yesterday only
        inspectorsToday: 2,
        // S3 was visited last month
        coveredSchools: 2,
        coveredInstitutions: 1,
        // Q1's deadline has passed, Q2's has not
        overdue: 1,
        lastEventAt: at('2026-11-26T14:00:00').getTime(),
      });
      expect(image.get(A)?.deadlines).toEqual(
        new Map([
          ['Q1', at('2026-11-20T00:00:00').getTime()],
          ['Q2', at('2026-12-01T00:00:00').getTime()],
        ]),
      );
    });

    it('counts midnight in the new day and a submitted issue as not overdue', async () => {
      const image = await loadLiveImage(test.database, { timezone: TZ, now: NOW });
      expect(countersAt(image.get(B), NOW, TZ)).toEqual({
        total: {
          [COUNTER_FIELD.inspections]: 1,
          [COUNTER_FIELD.inProgress]: 1,
          [COUNTER_FIELD.raised]: 1,
          [COUNTER_FIELD.submitted]: 1,
          [COUNTER_FIELD.byCategory('campus_safety')]: 1,
          [COUNTER_FIELD.action('suspension')]: 1,
          [COUNTER_FIELD.registrySchools]: 1,
          [COUNTER_FIELD.registryInstitutions]: 1,
          [COUNTER_FIELD.registrySubject]: 1,
          [COUNTER_FIELD.subject('suspended')]: 1,
        },
        today: { [COUNTER_FIELD.inspections]: 1, [COUNTER_FIELD.hour(0)]: 1 },
        month: {
          [COUNTER_FIELD.inspections]: 1,
          [COUNTER_FIELD.reporting]: 1,
          [COUNTER_FIELD.offering]: 1,
          [COUNTER_FIELD.participationBp]: 6000,
          [COUNTER_FIELD.compliant]: 1,
        },
        inspectorsToday: 1,
        coveredSchools: 1,
        coveredInstitutions: 0,
        overdue: 0,
        lastEventAt: at('2026-11-26T00:00:00').getTime(),
      });
    });

    it('composes into the SPEC §6 metrics', async () => {
      const image = await loadLiveImage(test.database, { timezone: TZ, now: NOW });
      const metrics = composeMetrics(countersAt(image.get(A), NOW, TZ));
      expect(metrics.issues.avgHoursToClose).toBe(Math.round(((3 * 24 + 6.5 + 24) / 2) * 10) / 10);
      expect(metrics.issues.rectificationRate).toBe(0.5);
      expect(metrics.reports.afterSchoolParticipation).toBe(0.8);
      expect(metrics.institutions.subject).toEqual({ baseline: 2, active: 1, closed: 1, reductionRate: 0.5 });
      expect(metrics.activity.hourly.reduce((a, b) => a + b, 0)).toBe(2);
    });

    it('rebuilt on another day, has that day as today and keeps the month', async () => {
      const tomorrow = at('2026-11-27T10:00:00').getTime();
      const image = await loadLiveImage(test.database, { timezone: TZ, now: tomorrow });
      const counters = countersAt(image.get(A), tomorrow, TZ);
      expect(counters.today).toEqual({});
      expect(counters.inspectorsToday).toBe(0);
      expect(counters.month[COUNTER_FIELD.inspections]).toBe(3);
      expect(counters.coveredSchools).toBe(2);
    });
  });
});
