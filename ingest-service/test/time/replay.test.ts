/**
 * SPEC §15 replay (回放): `GET /replay?scope=&day=` decides the event log again on a scratch world;
 * played with the domain's `ReplayPlayer` (what the wall runs), a day's end equals that day's
 * nightly rollup for every scope; the clock moves the figures through the day, back and forth;
 * the live store is untouched; a district's viewers replay their own district only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyStatsOn, rollupDays } from '@dudao/db';
import { flattenMetrics, ReplayPlayer, type ReplayResponse, type Snapshot } from '@dudao/domain';
import { D, SCENARIO_DAYS, SCENARIO_END, scenarioEvents } from '@dudao/testkit/nightly-scenario';
import { HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

const CITY_ADCODE = '430200';
const clock = testClock(new Date(SCENARIO_END).toISOString());
const events = scenarioEvents();
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({ clock });
  expect((await svc.post(events)).body).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
  await rollupDays(svc.database, {
    cityAdcode: CITY_ADCODE,
    fromDay: SCENARIO_DAYS[0],
    toDay: SCENARIO_DAYS[SCENARIO_DAYS.length - 1]!,
  });
});
afterAll(() => svc.close());

async function replay(scope: string, day: string, token = svc.keys.viewer): Promise<ReplayResponse> {
  const res = await svc.get(`/api/v1/replay?scope=${scope}&day=${day}`, token);
  expect(res.status).toBe(200);
  return res.body as ReplayResponse;
}

/** The metrics a rollup keeps: numbers only (`flattenMetrics`), nulls left out. */
const rolled = (s: Pick<Snapshot, 'metrics'>) =>
  Object.fromEntries(Object.entries(flattenMetrics(s.metrics)).filter(([, v]) => v !== null));

describe('SPEC §15 replay: a day played again', () => {
  it("a replay of each day ends with that day's rollup, for the city, each district and the city's districts", async () => {
    for (const day of SCENARIO_DAYS) {
      const stored = await dailyStatsOn(svc.database, day);
      for (const scope of ['city', TY, HT]) {
        const r = await replay(scope, day);
        expect(r.skipped).toBe(0);
        const player = new ReplayPlayer(r);
        player.seek(r.to - 1);
        expect(player.count).toBe(r.events.length);
        const snapshot = player.snapshot(r.to - 1);
        expect({ scope, day, ...rolled(snapshot) }).toEqual({ scope, day, ...stored.get(scope) });
        for (const d of snapshot.districts ?? [])
          expect({ scope: d.adcode, day, ...rolled(d) }).toEqual({
            scope: d.adcode,
            day,
            ...stored.get(d.adcode),
          });
      }
    }
  });

  it("sends the day's events only, in time order, with their feed lines", async () => {
    const r = await replay('city', '2026-11-25');
    const inDay = events.filter((e) => {
      const at = Date.parse(e.occurredAt);
      return at >= r.from && at < r.to;
    });
    expect(r.events.map((e) => e.feed.id).sort()).toEqual(inDay.map((e) => e.id).sort());
    const times = r.events.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(r.events[0]!.feed).toMatchObject({ type: 'issue.urged', districtName: '天元区' });
    // a district's replay holds that district's events only
    const ht = await replay(HT, '2026-11-25');
    expect(new Set(ht.events.map((e) => e.feed.district))).toEqual(new Set([HT]));
    expect(ht.events.length).toBe(inDay.filter((e) => e.district === HT).length);
  });

  it('the clock moves the figures as they moved that day, forward and back', async () => {
    const r = await replay(TY, '2026-11-25');
    const player = new ReplayPlayer(r);
    const at = (hhmm: string) => Date.parse(D('11-25', hhmm));
    const reopened = (t: number) => {
      player.seek(t);
      return player.snapshot(t).metrics.issues.reopened;
    };
    // X2's revisit failed at 10:00; X3 was closed at 16:00
    expect(player.snapshot(r.from).metrics.issues.closed).toBe(0);
    expect(reopened(at('09:59'))).toBe(0);
    expect(reopened(at('10:00'))).toBe(1);
    player.seek(at('16:00'));
    expect(player.snapshot(at('16:00')).metrics.issues.closed).toBe(1);
    expect(player.feed(1)[0]).toMatchObject({ type: 'issue.verified', detail: { result: 'passed' } });
    expect(reopened(at('09:00'))).toBe(0);
    expect(player.seek(at('10:00')).map((e) => e.feed.type)).toEqual(
      expect.arrayContaining(['issue.verified', 'school.report']),
    );
    // X1 (deadline 11-25 12:00) turns overdue by the clock alone
    player.seek(at('11:59'));
    expect(player.snapshot(at('11:59')).metrics.issues.overdue).toBe(0);
    expect(player.snapshot(at('12:01')).metrics.issues.overdue).toBe(1);
  });

  it('leaves the live figures and their version alone', async () => {
    const before = await svc.metrics('city');
    await replay('city', '2026-11-24');
    const after = await svc.metrics('city');
    expect(after.version).toBe(before.version);
    expect(after.metrics).toEqual(before.metrics);
  });
});

describe('SPEC §15 replay: who may replay what', () => {
  it('a district viewer replays its own district, not the city nor another district', async () => {
    expect((await svc.get(`/api/v1/replay?scope=${TY}&day=2026-11-25`, svc.keys.viewerTY)).status).toBe(200);
    expect((await svc.get(`/api/v1/replay?scope=city&day=2026-11-25`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/replay?day=2026-11-25`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/replay?scope=${HT}&day=2026-11-25`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/replay?scope=${TY}&day=2026-11-25`, svc.keys.ingestTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/replay?scope=${TY}&day=2026-11-25`, null)).status).toBe(401);
    expect((await svc.get(`/api/v1/replay?scope=999999&day=2026-11-25`)).status).toBe(404);
  });

  it('refuses a day that is not a calendar day or lies after today, naming the parameter; no day is today', async () => {
    for (const day of ['2026-11-31', '25-11-2026', '2026-11-27']) {
      const res = await svc.get(`/api/v1/replay?scope=city&day=${day}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_body', details: [{ path: '/day' }] });
    }
    // without a day: today so far (the clock's day, after the scripted ones)
    expect((await svc.get('/api/v1/replay?scope=city')).body).toMatchObject({ day: '2026-11-26' });
  });
});
