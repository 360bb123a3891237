/**
 * SPEC §15 briefings for everyone: a district's own daily briefing and 月报 are read with a key of
 * that district (or of the city); a district key is refused another district's and the city's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveBriefing } from '@dudao/db';
import { HT, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

const DAY = '2026-11-26';
const MONTH = '2026-10';
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
  for (const scope of ['city', TY, HT])
    await saveBriefing(svc.database, {
      day: DAY,
      issueNo: 330,
      scope,
      html: `<!doctype html><p>简报 ${scope}</p>`,
    });
  for (const scope of ['city', TY, HT])
    await saveBriefing(svc.database, {
      day: `${MONTH}-01`,
      kind: 'monthly',
      issueNo: 10,
      scope,
      html: `<!doctype html><p>月报 ${scope}</p>`,
    });
});
afterAll(() => svc.close());

const page = (path: string, token: string) =>
  fetch(`${svc.url}${path}${path.includes('?') ? '&' : '?'}token=${token}`);

describe('SPEC §15 a district-scoped daily briefing', () => {
  it('a district key lists and reads its own district briefings', async () => {
    const list = await svc.get(`/api/v1/briefings?scope=${TY}`, svc.keys.viewerTY);
    expect(list.status).toBe(200);
    expect(list.body.briefings).toEqual([
      expect.objectContaining({ day: DAY, issueNo: 330, path: `/api/v1/briefings/${DAY}?scope=${TY}` }),
    ]);
    const res = await page(list.body.briefings[0].path, svc.keys.viewerTY);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain(`简报 ${TY}`);
  });

  it("a district key is refused another district's briefing and the city's", async () => {
    expect((await svc.get(`/api/v1/briefings?scope=${HT}`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/briefings/${DAY}?scope=${HT}`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/briefings/${DAY}`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get('/api/v1/briefings', svc.keys.viewerTY)).status).toBe(403);
  });

  it("a city key reads every district's briefing and the city's, each its own page", async () => {
    expect(await (await page(`/api/v1/briefings/${DAY}?scope=${HT}`, svc.keys.viewer)).text()).toContain(
      `简报 ${HT}`,
    );
    expect(await (await page(`/api/v1/briefings/${DAY}`, svc.keys.viewer)).text()).toContain('简报 city');
    expect((await svc.get(`/api/v1/briefings?scope=999999`)).status).toBe(404);
    expect((await svc.get(`/api/v1/briefings/2026-11-25?scope=${TY}`)).status).toBe(404);
  });
});

describe('SPEC §15 a district-scoped monthly report (月报)', () => {
  it('a district key lists its own 月报 by month (kind=monthly) and reads it at /briefings/YYYY-MM', async () => {
    const list = await svc.get(`/api/v1/briefings?scope=${TY}&kind=monthly`, svc.keys.viewerTY);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ scope: TY, kind: 'monthly' });
    expect(list.body.briefings).toEqual([
      expect.objectContaining({
        kind: 'monthly',
        month: MONTH,
        period: MONTH,
        issueNo: 10,
        path: `/api/v1/briefings/${MONTH}?scope=${TY}`,
      }),
    ]);
    const res = await page(list.body.briefings[0].path, svc.keys.viewerTY);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain(`月报 ${TY}`);
  });

  it('the list is of daily briefings unless kind=monthly is asked for', async () => {
    const list = await svc.get(`/api/v1/briefings?scope=${TY}`, svc.keys.viewerTY);
    expect(list.body.kind).toBe('daily');
    expect(list.body.briefings.map((b: { period: string; kind: string }) => [b.kind, b.period])).toEqual([
      ['daily', DAY],
    ]);
    expect((await svc.get(`/api/v1/briefings?scope=${TY}&kind=weekly`, svc.keys.viewerTY)).status).toBe(400);
  });

  it("a district key is refused another district's 月报 and the city's", async () => {
    expect((await svc.get(`/api/v1/briefings?scope=${HT}&kind=monthly`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/briefings/${MONTH}?scope=${HT}`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/briefings/${MONTH}`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get('/api/v1/briefings?kind=monthly', svc.keys.viewerTY)).status).toBe(403);
  });

  it("a city key reads the city's 月报 and every district's; a month without one is 404, no month 400", async () => {
    expect(await (await page(`/api/v1/briefings/${MONTH}`, svc.keys.viewer)).text()).toContain('月报 city');
    expect(await (await page(`/api/v1/briefings/${MONTH}?scope=${HT}`, svc.keys.viewer)).text()).toContain(
      `月报 ${HT}`,
    );
    expect((await svc.get(`/api/v1/briefings/2026-09?scope=${TY}`)).status).toBe(404);
    expect((await svc.get('/api/v1/briefings/2026-13')).status).toBe(400);
  });
});
