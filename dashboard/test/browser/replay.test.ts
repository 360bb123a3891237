/**
 * SPEC §15 replay (回放) in a real browser against the real service: the wall at
 * `?replay=<yesterday>&speed=N` shows the 回放 band, its clock runs, pauses and seeks; the KPIs show
 * yesterday's figures at the replayed instant (the day's end after seeking to it), not today's; no
 * socket is opened; the speed lands in the URL.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays, localTime, startOfLocalDay } from '@dudao/domain';
import { launchChromium, openPage } from '../support/browser.ts';
import { inspectionStarted, postEvents, rng } from '../support/events.ts';
import { buildDashboard, DISTRICT, SCREENSHOTS_DIR, startStack, type Stack } from './stack.ts';

const TIMEZONE = 'Asia/Shanghai';
const HOUR_MS = 3_600_000;
const WALL = { width: 1920, height: 1080 };
/** Inspections started on the replayed day, at these local hours. */
const REPLAYED_HOURS = [9, 10.5, 13, 15, 20];

let stack: Stack;
let browser: Browser;
let day = '';
let dayStart = 0;

beforeAll(async () => {
  await buildDashboard();
  stack = await startStack();
  const today = localTime(Date.now(), TIMEZONE).day;
  day = addDays(today, -1);
  dayStart = startOfLocalDay(day, TIMEZONE);
  const d = stack.registry.find((x) => x.adcode === DISTRICT)!;
  const r = rng(5);
  const events = [
    // the day before (month and total only) and today (not the replayed day's at all)
    ...[8, 11, 16].map((h) => inspectionStarted(d, dayStart - 24 * HOUR_MS + h * HOUR_MS, r)),
    ...REPLAYED_HOURS.map((h) => inspectionStarted(d, dayStart + h * HOUR_MS, r)),
    inspectionStarted(d, Date.now() - 60_000, r),
  ];
  expect((await postEvents(stack.url, stack.keys.ingest, events)).rejected).toEqual([]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Waits until the KPI of today's inspections reads `n`. */
const inspectionsTodayIs = (page: Page, n: number) =>
  page.waitForFunction(
    (want) =>
      document
        .querySelector('[data-testid="kpi-inspectionsToday"] [data-value]')
        ?.getAttribute('data-value') === String(want),
    n,
    { timeout: 5_000 },
  );
const kpi = async (page: Page, key: string) =>
  Number(await page.getAttribute(`[data-testid="kpi-${key}"] [data-value]`, 'data-value'));
const clockOf = async (page: Page) =>
  Number(await page.getAttribute('[data-testid="replay-band"]', 'data-clock'));

async function seek(page: Page, at: number): Promise<void> {
  await page.$eval(
    '[data-testid="replay-seek"]',
    (el, value) => {
      const input = el as HTMLInputElement;
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    at,
  );
}

describe('SPEC §15 the wall replays a day', () => {
  it('shows the 回放 band with a running clock, pauses, seeks, and ends on the day’s figures', async () => {
    const context = await browser.newContext({ viewport: WALL, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors: string[] = [];
    const sockets: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('request', (req) => {
      if (req.url().includes('/socket.io/')) sockets.push(req.url());
    });
    await page.goto(`${stack.url}/?replay=${day}&speed=600&token=${stack.keys.viewer}`);
    await page.waitForSelector('[data-testid="replay-band"][data-state="playing"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="replay-band"]')).toContain('回放');
    expect(await page.getAttribute('[data-testid="wall-canvas"]', 'data-state')).toBe('replay');
    expect(await page.getAttribute('[data-testid="link-status"]', 'data-level')).toBe('replay');

    // the clock runs from the day's start at 600× (10 replayed minutes a second)
    const first = await clockOf(page);
    expect(first).toBeGreaterThanOrEqual(dayStart);
    await page.waitForFunction(
      (t) =>
        Number(document.querySelector('[data-testid="replay-band"]')?.getAttribute('data-clock')) >
        t + 5 * 60_000,
      first,
      { timeout: 10_000 },
    );

    // paused, the clock stands still
    await page.click('[data-testid="replay-toggle"]');
    await page.waitForSelector('[data-testid="replay-band"][data-state="paused"]');
    const paused = await clockOf(page);
    await page.waitForTimeout(1_200);
    expect(await clockOf(page)).toBe(paused);

    // seek to noon: the morning's two inspections; the KPI is the replayed day's, not today's
    await seek(page, dayStart + 12 * HOUR_MS);
    await inspectionsTodayIs(page, 2);
    expect(await page.textContent('[data-testid="replay-clock"]')).toContain('12:00');
    // the feed holds the replayed morning, not today's event
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="feed"] li[data-type="inspection.started"]').length === 2,
      undefined,
      { timeout: 5_000 },
    );

    // seek to the end: the day's figures as the day ended
    const max = Number(await page.getAttribute('[data-testid="replay-seek"]', 'max'));
    expect(max).toBe(startOfLocalDay(addDays(day, 1), TIMEZONE) - 1);
    await seek(page, max);
    await inspectionsTodayIs(page, REPLAYED_HOURS.length);
    expect(await kpi(page, 'inspectionsToday')).toBe(REPLAYED_HOURS.length);
    expect(await page.textContent('[data-testid="replay-clock"]')).toContain('23:59');
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'wall-replay-1920x1080.png') });

    // back to the morning: the figures move back
    await seek(page, dayStart + 10 * HOUR_MS);
    await inspectionsTodayIs(page, 1);

    // a speed chosen on the band is kept in the URL
    await page.click('[data-testid="replay-speed-60"]');
    await page.waitForURL(/speed=60(&|$)/);
    expect(await page.getAttribute('[data-testid="replay-speed-60"]', 'aria-pressed')).toBe('true');

    expect(sockets).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in English the band reads Replay; the live wall has no band', async () => {
    const { page } = await openPage(
      browser,
      `${stack.url}/?replay=${day}&lang=en&token=${stack.keys.viewer}`,
      WALL,
    );
    await page.waitForSelector('[data-testid="replay-band"][data-state="playing"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="replay-band"]')).toContain('Replay');
    await page.click('[data-testid="replay-exit"]');
    await page.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: 30_000 });
    expect(await page.$('[data-testid="replay-band"]')).toBeNull();
    expect(page.url()).not.toContain('replay=');
    await page.context().close();
  });
});
