/**
 * Issue 3 in a real browser (Debian's Chromium via playwright-core) against the real service:
 * the wall at 1920×1080 and 3840×2160, live KPI updates, the map click into a district, a district
 * key kept in its district, and the stale state when the link dies and recovers.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ISSUE_CATEGORIES } from '@dudao/domain';
import { launchChromium, openPage } from '../support/browser.ts';
import { inspectionStarted, monthOfHistory, postEvents, rng } from '../support/events.ts';
import {
  buildDashboard,
  DISTRICT,
  OTHER_DISTRICT,
  SCREENSHOTS_DIR,
  startStack,
  type Stack,
} from './stack.ts';

const PANELS = [
  'panel-ranking',
  'panel-indicators',
  'panel-institutions',
  'panel-map',
  'panel-trend',
  'panel-hourly',
  'panel-funnel',
  'panel-categories',
  'panel-feed',
];

/** Every panel with a chart; all but the map's are created after the wall's first paint. */
const CHART_PANELS = PANELS.filter((p) => p !== 'panel-feed');
const STAGED_CHARTS = CHART_PANELS.filter((p) => p !== 'panel-map');

/**
 * Runs before the page's scripts: in which MutationObserver delivery (one per task that changed the
 * page) the figures, the map and each panel's chart (its canvas, made when it first draws) came.
 */
const ARRIVAL_SCRIPT = `(() => {
  const arrival = (window.__arrival = {});
  let delivery = 0;
  const check = () => {
    delivery++;
    const mark = (k, q) => { if (!(k in arrival) && document.querySelector(q)) arrival[k] = delivery; };
    mark('kpi', '[data-testid="kpi-inspectionsMonth"] [data-value]:not([data-value=""])');
    mark('map', '[data-testid="city-map"][data-ready="yes"]');
    for (const id of ${JSON.stringify(STAGED_CHARTS)}) mark(id, '[data-testid="' + id + '"] canvas');
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

let stack: Stack;
let browser: Browser;
const r = rng(42);

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await buildDashboard();
  stack = await startStack();
  const history = monthOfHistory(stack.registry, Date.now(), 11, 3);
  const res = await postEvents(stack.url, stack.keys.ingest, history);
  expect(res.rejected).toEqual([]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function open(path: string, viewport: { width: number; height: number }, token = stack.keys.viewer) {
  const sep = path.includes('?') ? '&' : '?';
  return openPage(browser, `${stack.url}${path}${sep}token=${token}`, viewport);
}

const kpi = async (page: Page, key: string) =>
  Number(await page.getAttribute(`[data-testid="kpi-${key}"] [data-value]`, 'data-value'));

/** Waits until the KPI `key` on screen reads `n`. */
const kpiReaches = (page: Page, key: string, n: number, opts: { timeout: number; polling?: number }) =>
  page.waitForFunction(
    ([k, want]) =>
      Number(document.querySelector(`[data-testid="kpi-${k}"] [data-value]`)?.getAttribute('data-value')) ===
      want,
    [key, n] as const,
    opts,
  );

/** Live, and every chart drawn (they come one by one after the first paint). */
async function waitLive(page: Page) {
  await page.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: 15_000 });
  await page.waitForSelector('[data-testid="city-map"][data-ready="yes"]');
  for (const id of CHART_PANELS) await page.waitForSelector(`[data-testid="${id}"] canvas`);
}

async function expectNoOverflow(page: Page) {
  const problems = await page.evaluate((panels) => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth || doc.scrollHeight > window.innerHeight)
      out.push('page scrolls');
    const canvas = document.querySelector('[data-testid="wall-canvas"]')!.getBoundingClientRect();
    if (canvas.right > window.innerWidth + 1 || canvas.bottom > window.innerHeight + 1)
      out.push('canvas overflows');
    for (const id of panels) {
      const el = document.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
      if (!el) {
        out.push(`${id} missing`);
        continue;
      }
      const b = el.getBoundingClientRect();
      if (b.width < 100 || b.height < 100) out.push(`${id} too small`);
      if (b.right > canvas.right + 1 || b.bottom > canvas.bottom + 1) out.push(`${id} outside the canvas`);
      const body = el.querySelector('.panel-body') as HTMLElement;
      if (body.scrollHeight > body.clientHeight + 1) out.push(`${id} body overflows`);
      if (!el.querySelector('canvas') && id !== 'panel-feed') out.push(`${id} has no chart`);
    }
    for (const k of document.querySelectorAll('[data-testid^="kpi-"] .value, [data-testid^="kpi-"] .label')) {
      const e = k as HTMLElement;
      if (e.scrollWidth > e.clientWidth + 1) out.push(`${e.textContent} clipped`);
    }
    return out;
  }, PANELS);
  expect(problems).toEqual([]);
}

describe('the wall renders every panel, no console error, no overflow', () => {
  it('at 1920×1080', async () => {
    const { page, errors } = await open('/', { width: 1920, height: 1080 });
    await waitLive(page);
    await expectNoOverflow(page);
    expect(await kpi(page, 'inspectionsMonth')).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="wall-title"]')).toContain('株洲市');
    expect(page.url()).not.toContain('token='); // kept in sessionStorage, not in the address bar
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'wall-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('at 3840×2160, scaled as one block, charts drawn at the screen resolution', async () => {
    const { page, errors } = await open('/?kiosk=1', { width: 3840, height: 2160 });
    await waitLive(page);
    await expectNoOverflow(page);
    expect(await page.getAttribute('[data-testid="wall-canvas"]', 'data-scale')).toBe('2.0000');
    expect(await page.$('[data-testid="controls"]')).toBeNull(); // kiosk hides the controls
    const ratio = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="panel-hourly"] canvas') as HTMLCanvasElement;
      return c.width / c.clientWidth;
    });
    expect(ratio).toBe(2);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'wall-3840x2160.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('live: a posted event reaches the screen', () => {
  it('changes the KPI on screen within 1 s', async () => {
    const { page, errors } = await open('/', { width: 1920, height: 1080 });
    await waitLive(page);
    const before = await kpi(page, 'inspectionsToday');
    const d = stack.registry.find((x) => x.adcode === DISTRICT)!;
    const res = await postEvents(stack.url, stack.keys.ingest, [inspectionStarted(d, Date.now(), r)]);
    expect(res.accepted).toBe(1);
    // From the acknowledgement: the push to the screen is what this bounds, not the POST.
    const t0 = Date.now();
    await kpiReaches(page, 'inspectionsToday', before + 1, { timeout: 1_000, polling: 20 });
    expect(Date.now() - t0).toBeLessThan(1_000);
    // the feed takes it in at its next animation boundary
    await page.waitForSelector('[data-testid="feed"] li[data-type="inspection.started"]', { timeout: 5_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('first paint', () => {
  it('paints the figures from the snapshot fetched over HTTP before the socket connects', async () => {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      deviceScaleFactor: 1,
    });
    // no socket at all: the WebSocket is closed at once, the polling fallback refused
    await context.routeWebSocket(/\/socket\.io\//, (ws) => ws.close());
    await context.route(/\/socket\.io\//, (route) => route.abort());
    const page = await context.newPage();
    const expected = (await (
      await fetch(`${stack.url}/api/v1/metrics?scope=city`, {
        headers: { authorization: `Bearer ${stack.keys.viewer}` },
      })
    ).json()) as { metrics: { inspections: { month: number } } };
    await page.goto(`${stack.url}/?token=${stack.keys.viewer}`);
    await page.waitForSelector('[data-testid="kpi-inspectionsMonth"] [data-value]:not([data-value=""])', {
      timeout: 15_000,
    });
    expect(await kpi(page, 'inspectionsMonth')).toBe(expected.metrics.inspections.month);
    expect(expected.metrics.inspections.month).toBeGreaterThan(0);
    // the figures are there, and the wall says honestly that its link is still connecting
    expect(await page.getAttribute('[data-testid="wall-canvas"]', 'data-state')).toBe('connecting');
    await context.close();
  });
});

describe('first paint: the figures and the map, then the other charts', () => {
  it('draws every other chart only after the figures and the map are on screen, each with the snapshot', async () => {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      deviceScaleFactor: 1,
    });
    await context.addInitScript(ARRIVAL_SCRIPT);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const expected = (await (
      await fetch(`${stack.url}/api/v1/metrics?scope=city`, {
        headers: { authorization: `Bearer ${stack.keys.viewer}` },
      })
    ).json()) as {
      metrics: {
        issues: { raised: number; submitted: number; closed: number; byCategory: Record<string, number> };
      };
      districts: unknown[];
    };
    await page.goto(`${stack.url}/?token=${stack.keys.viewer}`);
    await waitLive(page);

    const arrival = (await page.evaluate('window.__arrival')) as Record<string, number>;
    const firstPaint = Math.max(arrival.kpi!, arrival.map!);
    for (const id of STAGED_CHARTS) expect(arrival[id], id).toBeGreaterThan(firstPaint);

    // drawn with the snapshot's figures once mounted
    const items = (panel: string, series: string) =>
      page.evaluate(
        ([p, s]) => {
          const el = document.querySelector(`[data-testid="${p}"] .chart`) as
            (HTMLElement & { dudaoItems?: (id: string) => { name: string; value: number | null }[] }) | null;
          return el?.dudaoItems?.(s) ?? [];
        },
        [panel, series] as const,
      );
    const { issues } = expected.metrics;
    expect(issues.raised).toBeGreaterThan(0);
    expect((await items('panel-funnel', 'loop')).map((i) => i.value)).toEqual([
      issues.raised,
      issues.submitted + issues.closed,
      issues.closed,
    ]);
    const byValue = (a: number, b: number) => b - a;
    expect((await items('panel-categories', 'categories')).map((i) => i.value)).toEqual(
      ISSUE_CATEGORIES.map((c) => issues.byCategory[c] ?? 0).sort(byValue),
    );
    expect(await items('panel-ranking', 'rank')).toHaveLength(expected.districts.length);
    await page.waitForSelector('[data-testid="feed"] li');
    await expectNoOverflow(page);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('drill-down', () => {
  it('a click on the map opens the district, and one click brings the city back', async () => {
    const { page, errors } = await open('/', { width: 1920, height: 1080 });
    await waitLive(page);
    const box = (await page.locator('[data-testid="city-map"]').boundingBox())!;
    // the whole-city map sits in the left part of the panel: try points down its middle
    for (const fy of [0.5, 0.6, 0.4, 0.7, 0.3]) {
      await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * fy);
      const opened = await page.waitForURL(/\/district\/\d{6}/, { timeout: 3_000 }).then(
        () => true,
        () => false,
      );
      if (opened) break;
    }
    expect(page.url()).toMatch(/\/district\/\d{6}/);
    await page.waitForSelector('[data-testid="district-page"][data-state="live"]', { timeout: 10_000 });
    expect((await page.textContent('[data-testid="district-name"]'))?.trim()).not.toBe('—');
    await page.waitForSelector('[data-testid="schools-table"] tbody tr');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'district-from-map-1920.png') });
    await page.click('[data-testid="back-to-city"]');
    await page.waitForSelector('[data-testid="wall"]');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the district view works on a 1366×768 laptop: schools, ledger, inspectors', async () => {
    const { page, errors } = await open(`/district/${DISTRICT}`, { width: 1366, height: 768 });
    await page.waitForSelector('[data-testid="district-page"][data-state="live"]', { timeout: 10_000 });
    await page.waitForSelector('[data-testid="schools-table"] tbody tr');
    const rows = await page.locator('[data-testid="schools-table"] tbody tr').count();
    await page.check('[data-testid="not-visited"]');
    expect(await page.locator('[data-testid="schools-table"] tbody tr').count()).toBeLessThanOrEqual(rows);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'district-1366x768.png') });
    await page.click('[data-testid="tab-inspectors"]');
    await page.waitForSelector('[data-testid="inspectors-table"] tbody tr');
    await page.click('[data-testid="tab-issues"]');
    await page.waitForSelector('[data-testid="issue-ledger"]');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'district-ledger-1366x768.png') });
    expect(errors.filter((e) => !/status of 5\d\d/.test(e))).toEqual([]);
    await page.context().close();
  });
});

describe('a viewer key scoped to one district', () => {
  it('opens straight into its district and is refused another one', async () => {
    const { page } = await open('/', { width: 1366, height: 768 }, stack.keys.districtViewer);
    await page.waitForURL(new RegExp(`/district/${DISTRICT}`));
    await page.waitForSelector('[data-testid="district-page"][data-state="live"]', { timeout: 10_000 });
    expect(await page.$('[data-testid="back-to-city"]')).toBeNull();
    await page.goto(`${stack.url}/district/${OTHER_DISTRICT}`); // the key stays in sessionStorage
    await page.waitForSelector('[data-testid="forbidden"]');
    expect(await page.$('[data-testid="district-page"]')).toBeNull();
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'district-key-refused.png') });
    // the service refuses too, whatever the screen does
    const res = await fetch(`${stack.url}/api/v1/districts/${OTHER_DISTRICT}/schools`, {
      headers: { Authorization: `Bearer ${stack.keys.districtViewer}` },
    });
    expect(res.status).toBe(403);
    await page.context().close();
  });

  it('an invalid key shows a clear screen, not a blank one', async () => {
    const { page } = await open('/', { width: 1366, height: 768 }, 'dd_nope_nope');
    await page.waitForSelector('[data-testid="access-screen"][data-problem="unauthorized"]');
    await page.context().close();
  });
});

describe('the link dies and recovers', () => {
  it('shows the stale state with the last data, then fresh data after recovery', async () => {
    const { page } = await open('/', { width: 1920, height: 1080 });
    await waitLive(page);
    const before = await kpi(page, 'inspectionsToday');
    await stack.stopServer();
    await page.waitForSelector('[data-testid="wall-canvas"][data-state="stale"]', { timeout: 10_000 });
    await page.waitForSelector('[data-testid="link-status"][data-level="reconnecting"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="link-status"]')?.getAttribute('data-age')) >= 2,
      undefined,
      { timeout: 10_000 },
    );
    expect(await kpi(page, 'inspectionsToday')).toBe(before); // last good data stays on screen
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'wall-stale.png') });

    await stack.restartServer();
    const d = stack.registry.find((x) => x.adcode === OTHER_DISTRICT)!;
    await postEvents(stack.url, stack.keys.ingest, [inspectionStarted(d, Date.now(), r)]);
    await page.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: 15_000 });
    await kpiReaches(page, 'inspectionsToday', before + 1, { timeout: 5_000 });
    await page.context().close();
  });
});
