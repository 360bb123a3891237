/**
 * Plans on screen (issue 11, SPEC §14) in Chromium against the real service: a month of history,
 * a city-wide theme and a district's campaign made through the API; the wall's 本月主题与专项督导
 * panel shows each district's progress as counted here by hand from the posted events, moves when an
 * inspection arrives (the `plans` push: nothing polls), and fits at 1920×1080, 3840×2160 and 32:9
 * wide with no console error, no text cut off and no part over another.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays, localTime, type DudaoEvent, type PlanInput } from '@dudao/domain';
import { createKey } from '@dudao/ingest-service';
import { launchChromium, openPage } from '../support/browser.ts';
import { inspectionStarted, monthOfHistory, postEvents, rng } from '../support/events.ts';
import { layoutProblems } from '../support/layout.ts';
import { buildDashboard, DISTRICT, SCREENSHOTS_DIR, startStack, type Stack } from './stack.ts';

const TIMEZONE = 'Asia/Shanghai';
const SIZES = [
  { width: 1920, height: 1080, query: '' },
  { width: 3840, height: 2160, query: '?kiosk=1' },
  { width: 3840, height: 1080, query: '?fit=wide' },
];
/** The parts of the panel that must not overlap: its lines, the district cells and their texts. */
const PANEL_PARTS = '.line, .districts li, .districts .name, .districts b, .others li, .tag, .title, .figure';

let stack: Stack;
let browser: Browser;
let history: DudaoEvent[];
const r = rng(1111);
const today = localTime(Date.now(), TIMEZONE).day;
const month = today.slice(0, 7);
const nextMonth = addDays(`${month}-28`, 4).slice(0, 7);
const lastDay = addDays(`${nextMonth}-01`, -1);

const theme: PlanInput = {
  id: 'theme-test-month',
  kind: 'theme',
  title: `${Number(month.slice(5))}月主题：课后服务`,
  scope: 'city',
  from: `${month}-01`,
  to: lastDay,
  theme: 'after_school',
  targets: { kind: 'school' },
};

async function post(path: string, key: string, body: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** The theme's progress per district, counted from the events posted: no help from the service. */
function countByHand(events: readonly DudaoEvent[]): Map<string, { targets: number; visited: number }> {
  const out = new Map<string, { targets: number; visited: number }>();
  for (const d of stack.registry) {
    const visited = new Set<string>();
    for (const e of events) {
      if (e.type !== 'inspection.started' || e.district !== d.adcode) continue;
      if (e.theme !== theme.theme || e.target.kind !== 'school') continue;
      const day = localTime(Date.parse(e.occurredAt), TIMEZONE).day;
      if (day >= theme.from && day <= theme.to) visited.add(e.target.id);
    }
    out.set(d.adcode, { targets: d.schools.length, visited: visited.size });
  }
  return out;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await buildDashboard();
  stack = await startStack({ backend: 'env' });
  history = monthOfHistory(stack.registry, Date.now(), 23, 4);
  const res = await postEvents(stack.url, stack.keys.ingest, history);
  expect(res.rejected).toEqual([]);
  const admin = (await createKey(stack.database, { role: 'admin', scope: 'city' })).token;
  const tianyuan = stack.registry.find((d) => d.adcode === DISTRICT)!;
  const campaign: PlanInput = {
    id: 'campaign-test-tianyuan',
    kind: 'campaign',
    title: '校外培训机构专项督导',
    scope: DISTRICT,
    from: theme.from,
    to: theme.to,
    phases: [
      { name: '摸底数', from: theme.from, to: today },
      ...(today < theme.to ? [{ name: '督整改', from: addDays(today, 1), to: theme.to }] : []),
    ],
    targets: { kind: 'institution', ids: tianyuan.institutions.slice(0, 8).map((i) => i.id) },
  };
  for (const plan of [theme, campaign]) expect((await post('/api/v1/plans', admin, plan)).status).toBe(201);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function open(path: string, viewport: { width: number; height: number }) {
  const sep = path.includes('?') ? '&' : '?';
  return openPage(browser, `${stack.url}${path}${sep}token=${stack.keys.viewer}`, viewport);
}

const cell = (page: Page, adcode: string) => page.locator(`[data-testid="plans-district-${adcode}"]`);
const shown = async (page: Page, adcode: string) => ({
  targets: Number(await cell(page, adcode).getAttribute('data-targets')),
  visited: Number(await cell(page, adcode).getAttribute('data-visited')),
});

describe('SPEC §14 the wall’s plan panel: this month’s theme per district, and the campaigns', () => {
  it('shows each district’s progress as counted by hand from the events', async () => {
    const { page, errors } = await open('/', { width: 1920, height: 1080 });
    await page.waitForSelector('[data-testid="plans-theme"]', { timeout: 15_000 });
    const hand = countByHand(history);
    let total = { targets: 0, visited: 0 };
    for (const [adcode, want] of hand) {
      expect(await shown(page, adcode), adcode).toEqual(want);
      total = { targets: total.targets + want.targets, visited: total.visited + want.visited };
    }
    expect(await page.textContent('[data-testid="plans-theme"] .figure')).toContain(
      `${total.visited}/${total.targets}`,
    );
    const campaign = await page.textContent('[data-testid="plans-other-campaign-test-tianyuan"]');
    expect(campaign).toContain('天元区');
    expect(campaign).toContain('摸底数');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('moves within seconds when an inspection of the theme starts: the live push, no reload', async () => {
    const { page, errors } = await open('/', { width: 1920, height: 1080 });
    await page.waitForSelector('[data-testid="plans-theme"]', { timeout: 15_000 });
    const before = await shown(page, DISTRICT);
    const tianyuan = stack.registry.find((d) => d.adcode === DISTRICT)!;
    const seen = new Set(
      history.flatMap((e) =>
        e.type === 'inspection.started' && e.theme === theme.theme ? [e.target.id] : [],
      ),
    );
    const school = tianyuan.schools.find((s) => !seen.has(s.id))!;
    const visit = {
      ...inspectionStarted(tianyuan, Date.now() - 1_000, r, { kind: 'school', id: school.id }),
      theme: theme.theme!,
    };
    expect((await postEvents(stack.url, stack.keys.ingest, [visit])).rejected).toEqual([]);
    history.push(visit);
    await page.waitForFunction(
      ([sel, n]) => document.querySelector(sel!)?.getAttribute('data-visited') === n,
      [`[data-testid="plans-district-${DISTRICT}"]`, String(before.visited + 1)] as const,
      { timeout: 5_000 },
    );
    expect(await shown(page, DISTRICT)).toEqual(countByHand(history).get(DISTRICT));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const size of SIZES)
    it(`fits at ${size.width}×${size.height}${size.query ? ` (${size.query.slice(1)})` : ''}: nothing cut off or overlapping`, async () => {
      const { page, errors } = await open(`/${size.query}`, size);
      await page.waitForSelector('[data-testid="plans-theme"]', { timeout: 15_000 });
      await page.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: 15_000 });
      await page.waitForTimeout(1000);
      expect(await layoutProblems(page, '[data-testid="panel-plans"]', PANEL_PARTS)).toEqual([]);
      // its neighbours keep their room
      for (const id of ['panel-trend', 'panel-hourly', 'panel-map'])
        expect(await layoutProblems(page, `[data-testid="${id}"]`, '.panel-head, .panel-body'), id).toEqual(
          [],
        );
      await page.screenshot({ path: join(SCREENSHOTS_DIR, `plans-wall-${size.width}x${size.height}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    });
});

describe('SPEC §14 the district’s 督导计划 tab', () => {
  for (const size of SIZES.slice(0, 2))
    it(`at ${size.width}×${size.height}: fits, and moves with the live push`, async () => {
      const { page, errors } = await open(`/district/${DISTRICT}?tab=plans`, size);
      await page.waitForSelector('[data-testid="plan-campaign-test-tianyuan"]', { timeout: 15_000 });
      await page.click('[data-testid="plan-campaign-test-tianyuan"]');
      await page.waitForSelector('[data-testid="plan-unvisited"] tbody tr');
      expect(
        await layoutProblems(
          page,
          '[data-testid="plans-tab"]',
          '.plan-list li, .pending, .head .tag, .title',
        ),
      ).toEqual([]);
      await page.screenshot({
        path: join(SCREENSHOTS_DIR, `plans-district-${size.width}x${size.height}.png`),
      });
      const rows = await page.locator('[data-testid="plan-unvisited"] tbody tr').count();
      const pushes = Number(await page.getAttribute('[data-testid="plans-tab"]', 'data-pushes'));
      const tianyuan = stack.registry.find((d) => d.adcode === DISTRICT)!;
      const name = (await page.textContent('[data-testid="plan-unvisited"] tbody tr td'))!
        .split('·')[0]!
        .trim();
      const target = tianyuan.institutions.find((i) => i.name === name)!;
      const visit = inspectionStarted(tianyuan, Date.now() - 1_000, r, {
        kind: 'institution',
        id: target.id,
      });
      expect((await postEvents(stack.url, stack.keys.ingest, [visit])).rejected).toEqual([]);
      history.push(visit);
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="plan-unvisited"] tbody tr').length === n,
        rows - 1,
        { timeout: 8_000 },
      );
      expect(Number(await page.getAttribute('[data-testid="plans-tab"]', 'data-pushes'))).toBeGreaterThan(
        pushes,
      );
      expect(errors).toEqual([]);
      await page.context().close();
    });
});
