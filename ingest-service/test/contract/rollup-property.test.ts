/**
 * SPEC §10: a day's rollup is the day as it ended. Day after day, a random day of events is posted
 * as it happens (valid or not, acting on the day before's objects too);
 * at the day's last millisecond the nightly rollup of that day equals the live values, metric by
 * metric, for the city and each district.
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

/** A day's steps: within its 24 hours (23 hours and a minute at most before its end). */
const step = stepOf(23);

/** The live values of `scope` now, as the rollups keep them: numbers only, no nulls. */
async function liveValues(scope: string): Promise<Record<string, number>> {
  const flat = flattenMetrics((await svc.metrics(scope)).metrics);
  return Object.fromEntries(Object.entries(flat).filter((e): e is [string, number] => e[1] !== null));
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
          // Half the steps act on the day before's inspections, issues and complaints. The day is
          // posted as it happened, in time order, no two events at one instant: the rollup replays
          // the event log by occurredAt (ties by receivedAt, which a batch shares), the live store
          // applies events as they arrive, and the two orders must be one for the values to agree.
          const prefix = `d${run}`;
          const objectOf = (s: Step) => `${s.pick % 2 === 0 ? prefix : `d${run - 1}`}-${s.object}`;
          const events = steps
            .map((s, i) => toEvent(s, i, { prefix, now: clock.now(), objectOf, spreadMs: 1000 }))
            .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
          for (let i = 0; i < events.length; i += batchSize) {
            const res = await svc.post(events.slice(i, i + batchSize));
            expect(res.status).toBe(200);
            accepted += res.body.accepted;
          }
          await rollupDays(svc.database, { cityAdcode: CITY_ADCODE, fromDay: day, toDay: day });
          const stored = await dailyStatsOn(svc.database, day);
          for (const scope of ['city', TY, HT]) {
            const live = await liveValues(scope);
            expect({ day, scope, ...stored.get(scope) }).toEqual({ day, scope, ...live });
            nonZero += Object.values(live).filter((v) => v !== 0).length;
          }
        },
      ),
      // Days follow one another and state accumulates, so shrinking would not isolate a case.
      { numRuns: 25, endOnFailure: true },
    );
    // The days must exercise the rules, not be refused wholesale or stay empty.
    expect(accepted).toBeGreaterThan(250);
    expect(nonZero).toBeGreaterThan(25 * 3 * 10);
  }, 300_000);
});
