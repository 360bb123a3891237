/**
 * SPEC §10 rollups and §7 trends: a scripted city posted through the real ingest, rolled up day by
 * day, against values worked out by hand; a re-run writes nothing; the last day equals the live
 * snapshot at that day's last millisecond; `/trends` joins the rollups with today's live values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailySeries, rollupDays } from '@dudao/db';
import {
  CITY,
  HETANG,
  SCENARIO_DAYS,
  SCENARIO_END,
  scenarioEvents,
  TIANYUAN,
} from '@dudao/testkit/nightly-scenario';
import { HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../testing/index.ts';
import { flattenMetrics } from '@dudao/domain';

const CITY_ADCODE = '430200';
const [FIRST, , , LAST] = SCENARIO_DAYS;
const clock = testClock(new Date(SCENARIO_END).toISOString());
let svc: TestService;

const allRows = () =>
  svc.database.query<{ day: string; scope: string; metric: string; value: number; computed_at: Date }>(
    `select day::text as day, scope, metric, value, computed_at from daily_stats order by day, scope, metric`,
  );

beforeAll(async () => {
  svc = await startTestService({ clock });
  const events = scenarioEvents();
  const res = await svc.post(events);
  expect(res.body).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
});
afterAll(() => svc.close());

describe('SPEC §10 daily rollups', () => {
  it('every scripted day ends with the values worked out by hand, per district and for the city', async () => {
    const result = await rollupDays(svc.database, { cityAdcode: CITY_ADCODE, fromDay: FIRST, toDay: LAST });
    expect(result.days).toBe(4);
    expect(result.changed).toBe(result.rows);
    for (const [scope, expected] of [
      [TY, TIANYUAN],
      [HT, HETANG],
      ['city', CITY],
    ] as const) {
      const series = await dailySeries(svc.database, { scope, fromDay: FIRST, toDay: LAST });
      for (const [day, values] of Object.entries(expected)) {
        expect({ scope, day, ...series.get(day) }).toMatchObject({ scope, day, ...values });
      }
    }
  });

  it('a metric without a value that day (no closed issue yet) has no row', async () => {
    const series = await dailySeries(svc.database, { scope: HT, fromDay: FIRST, toDay: LAST });
    expect(series.get('2026-11-26')).not.toHaveProperty('issues.avgHoursToClose');
    expect(series.get('2026-11-26')).not.toHaveProperty('reports.afterSchoolCoverage');
  });

  it('the last day equals the live snapshot at its last millisecond, metric by metric', async () => {
    const stored = await dailySeries(svc.database, { scope: 'city', fromDay: LAST, toDay: LAST });
    const live = Object.fromEntries(
      Object.entries(flattenMetrics((await svc.metrics('city')).metrics)).filter(([, v]) => v !== null),
    );
    expect(stored.get(LAST)).toEqual(live);
    const storedTY = await dailySeries(svc.database, { scope: TY, fromDay: LAST, toDay: LAST });
    const liveTY = flattenMetrics((await svc.metrics(TY)).metrics);
    expect(storedTY.get(LAST)).toEqual(
      Object.fromEntries(Object.entries(liveTY).filter(([, v]) => v !== null)),
    );
  });

  it('a re-run over the same data writes nothing: same rows, same computed_at', async () => {
    const before = await allRows();
    const again = await rollupDays(svc.database, { cityAdcode: CITY_ADCODE, fromDay: FIRST, toDay: LAST });
    expect(again).toMatchObject({ changed: 0, removed: 0, rows: before.length });
    expect(await allRows()).toEqual(before);
    // One day of the range alone gives the same values as the range did.
    const single = await rollupDays(svc.database, {
      cityAdcode: CITY_ADCODE,
      fromDay: '2026-11-25',
      toDay: '2026-11-25',
    });
    expect(single.changed).toBe(0);
  });

  it('a stale row of the range is corrected and one no longer produced is removed', async () => {
    await svc.database.query(
      `update daily_stats set value = 99 where day = '2026-11-25' and scope = 'city' and metric = 'issues.open'`,
    );
    await svc.database.query(
      `insert into daily_stats (day, scope, metric, value) values ('2026-11-25', 'city', 'no.such.metric', 1)`,
    );
    const fixed = await rollupDays(svc.database, { cityAdcode: CITY_ADCODE, fromDay: FIRST, toDay: LAST });
    expect(fixed).toMatchObject({ changed: 1, removed: 1 });
    const series = await dailySeries(svc.database, {
      scope: 'city',
      fromDay: '2026-11-25',
      toDay: '2026-11-25',
    });
    expect(series.get('2026-11-25')?.['issues.open']).toBe(3);
    expect(series.get('2026-11-25')).not.toHaveProperty('no.such.metric');
  });
});

describe('SPEC §7 GET /trends', () => {
  it('answers from the rollups for past days and from the live snapshot for today', async () => {
    const res = await svc.get('/api/v1/trends?scope=city&days=4');
    expect(res.status).toBe(200);
    expect(res.body.days).toEqual([...SCENARIO_DAYS]);
    expect(res.body.series['issues.overdue']).toEqual([0, 0, 2, 1]);
    expect(res.body.series['inspections.today']).toEqual([0, 1, 2, 1]);
    expect(res.body.series['complaints.open']).toEqual([0, 1, 1, 1]);
  });

  it('a district key sees its own district trend', async () => {
    const res = await svc.get(`/api/v1/trends?scope=${TY}&days=2`, svc.keys.viewerTY);
    expect(res.status).toBe(200);
    expect(res.body.series['issues.open']).toEqual([2, 1]);
  });
});
