/** SPEC §6: every metric of a scripted scenario, computed by hand, on the city and its districts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ev, HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

const D = (day: string, hhmm: string) => `2026-${day}T${hhmm}:00+08:00`;
const clock = testClock(D('11-26', '10:00'));
let svc: TestService;

const zeroCategories = {
  homework: 0,
  after_school: 0,
  off_campus_training: 0,
  five_managements: 0,
  fees: 0,
  food_safety: 0,
  campus_safety: 0,
  teaching_order: 0,
  other: 0,
};
const zeroActions = { warning: 0, rectification_order: 0, fine: 0, suspension: 0, closure: 0 };
const hourly = (counts: Record<number, number>) => Array.from({ length: 24 }, (_, h) => counts[h] ?? 0);
const ht = { district: HT };

beforeAll(async () => {
  svc = await startTestService({ clock });
  const i1 = ev.started(D('11-26', '08:15'), { inspectionId: 'I1-insp', inspector: 'P-TY-1' });
  const events = [
    i1,
    ev.started(D('11-26', '09:30'), {
      inspectionId: 'I2-insp',
      target: { kind: 'institution', id: 'N-TY-1' },
      inspector: 'P-TY-2',
    }),
    ev.completed(D('11-26', '09:00'), 'I1-insp', { findings: 2 }),
    ev.started(D('11-20', '10:00'), { inspectionId: 'I3-insp', target: { kind: 'school', id: 'S-TY-2' } }),
    ev.started(D('10-15', '10:00'), { inspectionId: 'I4-insp' }),
    ev.raised(D('11-26', '09:05'), D('11-26', '10:30'), { issueId: 'X1-issue', inspectionId: 'I1-insp' }),
    ev.raised(D('11-20', '11:00'), D('11-25', '18:00'), {
      issueId: 'X2-issue',
      category: 'fees',
      target: { kind: 'school', id: 'S-TY-2' },
    }),
    ev.raised(D('11-20', '12:00'), D('12-01', '18:00'), { issueId: 'X3-issue' }),
    ev.rectified(D('11-22', '10:00'), 'X3-issue'),
    ev.verified(D('11-24', '12:00'), 'X3-issue', 'passed'),
    ev.raised(D('11-21', '09:00'), D('11-23', '09:00'), { issueId: 'X4-issue', category: 'after_school' }),
    ev.rectified(D('11-22', '09:00'), 'X4-issue'),
    ev.verified(D('11-23', '09:00'), 'X4-issue', 'failed', { deadline: D('12-05', '18:00') }),
    ev.raised(D('11-25', '10:00'), D('12-10', '18:00'), {
      issueId: 'X5-issue',
      category: 'food_safety',
      target: { kind: 'institution', id: 'N-TY-1' },
    }),
    ev.rectified(D('11-26', '09:40'), 'X5-issue'),
    ev.action(D('11-26', '09:45'), 'warning', { inspector: 'P-TY-2' }),
    ev.action(D('11-26', '09:50'), 'closure'),
    ev.complaint(D('11-26', '08:00'), { complaintId: 'C1-complaint' }),
    ev.complaint(D('11-25', '08:00'), { complaintId: 'C2-complaint', channel: 'online' }),
    ev.resolved(D('11-26', '09:55'), 'C2-complaint'),
    ev.report(D('11-10', '10:00'), { schoolId: 'S-TY-1', afterSchoolParticipation: 0.8 }),
    ev.report(D('11-11', '10:00'), {
      schoolId: 'S-TY-2',
      afterSchoolOffered: false,
      afterSchoolParticipation: 0,
      homeworkCompliant: false,
    }),
    ev.report(D('11-20', '10:00'), { schoolId: 'S-TY-1', afterSchoolParticipation: 0.9 }),
    ev.report(D('10-20', '10:00'), { schoolId: 'S-TY-3', period: '2026-10' }),
    // 荷塘区
    ev.started(D('11-26', '09:10'), {
      ...ht,
      inspectionId: 'I5-insp',
      target: { kind: 'school', id: 'S-HT-1' },
      inspector: 'P-HT-1',
    }),
    ev.raised(D('11-26', '09:20'), D('11-26', '09:50'), {
      ...ht,
      issueId: 'X6-issue',
      category: 'fees',
      target: { kind: 'school', id: 'S-HT-1' },
    }),
    ev.report(D('11-12', '10:00'), { ...ht, schoolId: 'S-HT-1', afterSchoolParticipation: 0.6 }),
  ];
  const res = await svc.post(events);
  expect(res.body).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
});
afterAll(() => svc.close());

const tianyuan = {
  inspections: { today: 2, month: 3, total: 4, inProgress: 3 },
  coverage: {
    schools: { covered: 2, total: 3, rate: 0.6667 },
    institutions: { covered: 1, total: 2, rate: 0.5 },
  },
  issues: {
    raised: 5,
    open: 3,
    submitted: 1,
    closed: 1,
    overdue: 1,
    reopened: 1,
    urged: 0,
    rectificationRate: 0.2,
    avgHoursToClose: 96,
    byCategory: { ...zeroCategories, homework: 2, fees: 1, after_school: 1, food_safety: 1 },
  },
  institutions: {
    subject: { baseline: 1, active: 0, closed: 1, reductionRate: 1 },
    actions: { ...zeroActions, warning: 1, closure: 1 },
  },
  complaints: { received: 2, resolved: 1, open: 1 },
  reports: {
    schoolsReporting: 2,
    afterSchoolCoverage: 0.5,
    afterSchoolParticipation: 0.9,
    homeworkCompliance: 0.5,
  },
  activity: {
    inspectorsToday: 2,
    lastEventAt: new Date(D('11-26', '09:55')).toISOString(),
    hourly: hourly({ 8: 1, 9: 1 }),
  },
};

const hetang = {
  inspections: { today: 1, month: 1, total: 1, inProgress: 1 },
  coverage: { schools: { covered: 1, total: 1, rate: 1 }, institutions: { covered: 0, total: 1, rate: 0 } },
  issues: {
    raised: 1,
    open: 1,
    submitted: 0,
    closed: 0,
    overdue: 1,
    reopened: 0,
    urged: 0,
    rectificationRate: 0,
    avgHoursToClose: null,
    byCategory: { ...zeroCategories, fees: 1 },
  },
  institutions: { subject: { baseline: 1, active: 1, closed: 0, reductionRate: 0 }, actions: zeroActions },
  complaints: { received: 0, resolved: 0, open: 0 },
  reports: {
    schoolsReporting: 1,
    afterSchoolCoverage: 1,
    afterSchoolParticipation: 0.6,
    homeworkCompliance: 1,
  },
  activity: {
    inspectorsToday: 1,
    lastEventAt: new Date(D('11-26', '09:20')).toISOString(),
    hourly: hourly({ 9: 1 }),
  },
};

const city = {
  inspections: { today: 3, month: 4, total: 5, inProgress: 4 },
  coverage: {
    schools: { covered: 3, total: 4, rate: 0.75 },
    institutions: { covered: 1, total: 3, rate: 0.3333 },
  },
  issues: {
    raised: 6,
    open: 4,
    submitted: 1,
    closed: 1,
    overdue: 2,
    reopened: 1,
    urged: 0,
    rectificationRate: 0.1667,
    avgHoursToClose: 96,
    byCategory: { ...zeroCategories, homework: 2, fees: 2, after_school: 1, food_safety: 1 },
  },
  institutions: {
    subject: { baseline: 2, active: 1, closed: 1, reductionRate: 0.5 },
    actions: { ...zeroActions, warning: 1, closure: 1 },
  },
  complaints: { received: 2, resolved: 1, open: 1 },
  reports: {
    schoolsReporting: 3,
    afterSchoolCoverage: 0.6667,
    afterSchoolParticipation: 0.75,
    homeworkCompliance: 0.6667,
  },
  activity: {
    inspectorsToday: 3,
    lastEventAt: tianyuan.activity.lastEventAt,
    hourly: hourly({ 8: 1, 9: 2 }),
  },
};

describe('metrics of a scripted day', () => {
  it('a district snapshot holds every metric, computed by hand', async () => {
    const snap = await svc.metrics(TY);
    expect(snap).toMatchObject({ scope: TY, asOf: new Date(D('11-26', '10:00')).toISOString() });
    expect(snap.metrics).toEqual(tianyuan);
    expect((await svc.metrics(HT)).metrics).toEqual(hetang);
  });

  it('the city is the sum of its districts (rates are ratios of sums)', async () => {
    const snap = await svc.metrics('city');
    expect(snap.metrics).toEqual(city);
    expect(snap.districts).toHaveLength(9);
    expect(snap.districts.find((d: { adcode: string }) => d.adcode === TY)).toMatchObject({
      name: '天元区',
      metrics: tianyuan,
    });
  });

  it('a rebuild from the database gives the same numbers as the incremental path', async () => {
    const before = await svc.metrics('city');
    await svc.server.rebuild();
    const after = await svc.metrics('city');
    expect(after.metrics).toEqual(before.metrics);
    expect(after.districts).toEqual(before.districts);
    expect(after.version).toBeGreaterThan(before.version);
  });

  it('issues.overdue follows the clock: a deadline passes with no new event', async () => {
    const before = await svc.metrics(TY);
    clock.set(D('11-26', '10:31'));
    expect(await svc.server.clock.tick()).toEqual([TY]);
    const after = await svc.metrics(TY);
    expect(after.metrics.issues.overdue).toBe(2);
    expect(after.version).toBeGreaterThan(before.version);
    expect((await svc.metrics('city')).metrics.issues.overdue).toBe(3);
  });

  it('a new day empties the day windows and keeps the month', async () => {
    clock.set(D('11-27', '00:05'));
    await svc.server.clock.tick();
    const m = (await svc.metrics('city')).metrics;
    expect(m.inspections).toEqual({ today: 0, month: 4, total: 5, inProgress: 4 });
    expect(m.activity.inspectorsToday).toBe(0);
    expect(m.activity.hourly).toEqual(hourly({}));
    expect(m.coverage.schools.covered).toBe(3);
  });
});
