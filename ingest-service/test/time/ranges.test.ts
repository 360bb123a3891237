/**
 * SPEC §15 ranges: `GET /trends?from=&to=` over the scripted city of the nightly's tests (rolled up,
 * then read back against the values worked out by hand in `nightly-scenario.ts`), today from the
 * live store when the range reaches it, every bad range refused naming its parameter; the ledger's
 * `from`/`to` (city days) against the days the scripted issues were raised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollupDays } from '@dudao/db';
import { CITY, SCENARIO_END, scenarioEvents, TIANYUAN } from '@dudao/testkit/nightly-scenario';
import { HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({ clock: testClock(new Date(SCENARIO_END).toISOString()) });
  const events = scenarioEvents();
  expect((await svc.post(events)).body).toMatchObject({ accepted: events.length });
  // The nightly of 11-23..11-25; 11-26 is "today" at the test's clock.
  await rollupDays(svc.database, { cityAdcode: '430200', fromDay: '2026-11-23', toDay: '2026-11-25' });
});
afterAll(() => svc.close());

describe('SPEC §15 GET /trends?from=&to=', () => {
  it('a past range is served from the rollups, day by day as worked out by hand', async () => {
    const res = await svc.get(`/api/v1/trends?scope=${TY}&from=2026-11-24&to=2026-11-25`);
    expect(res.status).toBe(200);
    expect(res.body.days).toEqual(['2026-11-24', '2026-11-25']);
    for (const [metric, values] of Object.entries({
      'issues.open': [1, 2],
      'issues.raised': [3, 3],
      'inspections.month': [1, 2],
      'coverage.schools.rate': [0.3333, 0.6667],
      'issues.overdue': [0, 1],
      'complaints.open': [1, 1],
    }))
      expect({ metric, values: res.body.series[metric] }).toEqual({ metric, values });
    expect(res.body.series['issues.open']).toEqual([
      TIANYUAN['2026-11-24']!['issues.open'],
      TIANYUAN['2026-11-25']!['issues.open'],
    ]);
  });

  it('a range reaching today ends with the live values; one ending before today has no live day', async () => {
    const withToday = await svc.get('/api/v1/trends?scope=city&from=2026-11-25&to=2026-11-26');
    expect(withToday.body.days).toEqual(['2026-11-25', '2026-11-26']);
    expect(withToday.body.series['issues.overdue']).toEqual([2, CITY['2026-11-26']!['issues.overdue']]);
    expect(withToday.body.series['issues.open']).toEqual([3, 2]);
    const past = await svc.get('/api/v1/trends?scope=city&from=2026-11-20&to=2026-11-25');
    expect(past.body.days).toHaveLength(6);
    // Days before the first rollup have no values; the range still lists them.
    expect(past.body.series['issues.open']).toEqual([null, null, null, 0, 1, 3]);
    expect(past.body.series['inspections.inProgress']?.at(-1)).toBe(3);
  });

  it('from alone runs to today; to alone takes the 30 days before it', async () => {
    const from = await svc.get('/api/v1/trends?scope=city&from=2026-11-24');
    expect(from.body.days).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
    const to = await svc.get('/api/v1/trends?scope=city&to=2026-11-25');
    expect(to.body.days).toHaveLength(30);
    expect(to.body.days.at(-1)).toBe('2026-11-25');
  });

  it('refuses a bad range with 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['from=2026-11-25&to=2026-11-24', '/from'],
      ['from=2026-02-30', '/from'],
      ['from=yesterday', '/from'],
      ['to=2026-13-01', '/to'],
      ['to=2026-11-27', '/to'],
      ['from=2025-10-01&to=2026-11-26', '/from'],
    ];
    for (const [query, path] of cases) {
      const res = await svc.get(`/api/v1/trends?scope=city&${query}`);
      expect({ query, status: res.status, error: res.body.error }).toEqual({
        query,
        status: 400,
        error: 'invalid_body',
      });
      expect(res.body.details).toEqual([{ path, message: expect.any(String) }]);
      expect(res.body.message).toContain(path.slice(1));
    }
    // 400 days, both included, is the longest range taken.
    expect((await svc.get('/api/v1/trends?scope=city&from=2025-10-23&to=2026-11-26')).status).toBe(200);
  });

  it('a district key reads its own district over any range and is refused another', async () => {
    const own = await svc.get(`/api/v1/trends?scope=${TY}&from=2026-11-25&to=2026-11-25`, svc.keys.viewerTY);
    expect(own.status).toBe(200);
    expect(own.body.series['issues.open']).toEqual([2]);
    const other = await svc.get(
      `/api/v1/trends?scope=${HT}&from=2026-11-25&to=2026-11-25`,
      svc.keys.viewerTY,
    );
    expect(other.status).toBe(403);
  });
});

describe('SPEC §15 the ledger by dates (GET /issues?from=&to=)', () => {
  const ids = async (query: string) => {
    const res = await svc.get(`/api/v1/issues?scope=city&${query}`);
    expect(res.status).toBe(200);
    return (res.body.items as { id: string }[]).map((i) => i.id).sort();
  };

  it('takes the issues raised within the city days asked for', async () => {
    expect(await ids('from=2026-11-24&to=2026-11-24')).toEqual(['X1-issue', 'X2-issue']);
    expect(await ids('from=2026-11-24&to=2026-11-25')).toEqual(['X1-issue', 'X2-issue', 'X4-issue']);
    expect(await ids('to=2026-11-23')).toEqual(['X3-issue']);
    expect(await ids('from=2026-11-26')).toEqual([]);
  });

  it('refuses from after to naming from', async () => {
    const res = await svc.get('/api/v1/issues?scope=city&from=2026-11-25&to=2026-11-24');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path: '/from', message: expect.any(String) }]);
  });
});
