/**
 * SPEC §10: a day's rollup is the day as it ended. Day after day, a random day of events is posted
 * (valid or not, acting on the day before's objects too), in random order, in random batches: events
 * arrive out of `occurredAt` order, several share an instant (within a batch and across batches,
 * which share `receivedAt` too), and some occurred the day before (late arrivals); at the day's last
 * millisecond the nightly rollup of that day equals the live values, metric by metric, for the city
 * and each district.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyStatsOn, rollupDays } from '@dudao/db';
import { addDays, flattenMetrics, startOfLocalDay } from '@dudao/domain';
import { HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { stepOf, toEvent, type Step } from './event-stream.ts';

const CITY_ADCODE = '430200';
const TZ = 'Asia/Shanghai';
const MINUTE = 60_000;
/** The first generated day; the runs go on day by day, across the end of November. */
const FIRST_DAY = '2026-11-20';
const clock = testClock(FIRST_DAY);
let svc: TestService;
let run = 0;
let accepted = 0;
let nonZero = 0;

beforeAll(async () => {
  svc = await startTestService({ clock });
});
afterAll(() => svc.close());

/**
 * A day's steps: at whole hours before its last minute, up to 35 (a third of them the day before:
 * late arrivals). Steps at the same hour share an instant.
 */
const step = stepOf(35);

/** The live values of `scope` now, as the rollups keep them: numbers only, no nulls. */
async function liveValues(scope: string): Promise<Record<string, number>> {
  const flat = flattenMetrics((await svc.metrics(scope)).metrics);
  return Object.fromEntries(Object.entries(flat).filter((e): e is [string, number] => e[1] !== null));
}

/** Rolls `day` up and expects it to equal the live values of the city and each district; returns the city's. */
async function expectRollupEqualsLive(day: string): Promise<Record<string, number>> {
  await rollupDays(svc.database, { cityAdcode: CITY_ADCODE, fromDay: day, toDay: day });
  const stored = await dailyStatsOn(svc.database, day);
  const values: Record<string, Record<string, number>> = {};
  for (const scope of ['city', TY, HT]) {
    values[scope] = await liveValues(scope);
    expect({ day, scope, ...stored.get(scope) }).toEqual({ day, scope, ...values[scope] });
  }
  return values.city!;
}

describe('SPEC §10 the rollup of a day equals the live values at its end', () => {
  it('day after day of random events, for the city and each district', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 20, maxLength: 60 }),
        fc.integer({ min: 3, max: 25 }),
        async (steps, batchSize) => {
          const day = addDays(FIRST_DAY, run++);
          clock.set(startOfLocalDay(addDays(day, 1), TZ) - 1);
          // Half the steps act on the day before's inspections, issues and complaints. The events are
          // posted in the order generated, not in time order: the rollup must replay the event log in
          // the order the live store applied it, whatever `occurredAt` and `receivedAt` say.
          const prefix = `d${run}`;
          const objectOf = (s: Step) => `${s.pick % 2 === 0 ? prefix : `d${run - 1}`}-${s.object}`;
          // Whole hours before 23:59: no deadline falls on the clock's millisecond, where the live
          // store (deadline before now) and the day's end (deadline before midnight) would differ.
          const now = clock.now() + 1 - MINUTE;
          const events = steps.map((s, i) => toEvent(s, i, { prefix, now, objectOf }));
          for (let i = 0; i < events.length; i += batchSize) {
            const res = await svc.post(events.slice(i, i + batchSize));
            expect(res.status).toBe(200);
            accepted += res.body.accepted;
          }
          const city = await expectRollupEqualsLive(day);
          nonZero += Object.values(city).filter((v) => v !== 0).length;
        },
      ),
      // Days follow one another and state accumulates, so shrinking would not isolate a case.
      { numRuns: 40, endOnFailure: true },
    );
    // The days must exercise the rules, not be refused wholesale or stay empty.
    expect(accepted).toBeGreaterThan(400);
    expect(nonZero).toBeGreaterThan(40 * 10);
  }, 300_000);

  // The cases the generator finds only now and then, each on a day of its own after the runs above.
  const at = (day: string, time: string) => `${day}T${time}+08:00`;
  const report = (id: string, occurredAt: string, offered: boolean) => ({
    id,
    type: 'school.report',
    district: TY,
    occurredAt,
    schoolId: 'S-TY-1',
    period: occurredAt.slice(0, 7),
    afterSchoolOffered: offered,
    afterSchoolParticipation: 0.5,
    homeworkCompliant: offered,
  });

  it('an issue rectified at an earlier time than it was raised, sent after it', async () => {
    const day = '2027-01-11';
    clock.set(startOfLocalDay(addDays(day, 1), TZ) - 1);
    const issue = { district: TY, issueId: 'late-order-1' };
    const raised = {
      ...issue,
      id: 'late-order-raised',
      type: 'issue.raised',
      occurredAt: at(day, '10:00:00'),
      target: { kind: 'school', id: 'S-TY-1' },
      category: 'fees',
      severity: 'minor',
      deadline: at(day, '11:00:00'),
    };
    expect((await svc.post([raised])).body.accepted).toBe(1);
    // The issue is open when these arrive: both are accepted, though they happened before it was raised.
    const later = [
      {
        ...issue,
        id: 'late-order-urged',
        type: 'issue.urged',
        occurredAt: at(day, '08:00:00'),
        note: '请加快整改',
        actor: 'supervisor-ty',
      },
      { ...issue, id: 'late-order-rectified', type: 'issue.rectified', occurredAt: at(day, '09:00:00') },
    ];
    expect((await svc.post(later)).body.accepted).toBe(2);
    await expectRollupEqualsLive(day);
  });

  it.each([
    ['in one batch', [[true, false]]],
    ['in two batches', [[true], [false]]],
  ])(
    'two reports of a school for a month at one instant, %s: the one applied last counts',
    async (_, batches) => {
      const day = batches.length === 1 ? '2027-02-11' : '2027-03-11';
      clock.set(startOfLocalDay(addDays(day, 1), TZ) - 1);
      let n = 0;
      for (const batch of batches) {
        const res = await svc.post(
          batch.map((offered) => report(`tie-${day}-${n++}`, at(day, '09:00:00'), offered)),
        );
        expect(res.body.accepted).toBe(batch.length);
      }
      const city = await expectRollupEqualsLive(day);
      expect([city['reports.schoolsReporting'], city['reports.afterSchoolCoverage']]).toEqual([1, 0]);
    },
  );
});
