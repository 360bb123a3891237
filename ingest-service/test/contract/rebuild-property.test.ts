/**
 * SPEC §3: the live store is derived. After any stream of events (valid or not, in any order), a
 * rebuild from the database gives exactly the numbers the incremental path produced.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { stepOf, toEvent } from './event-stream.ts';

const HOUR = 3_600_000;
const clock = testClock('2026-11-26T10:00:00+08:00');
let svc: TestService;
let run = 0;
let accepted = 0;

beforeAll(async () => {
  svc = await startTestService({ clock });
});
afterAll(() => svc.close());

/** Steps up to 40 days back: across days, months and deadlines. */
const step = stepOf(24 * 40);

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
          const events = steps.map((s, i) => toEvent(s, i, { prefix, now: clock.now() }));
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
