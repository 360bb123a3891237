/**
 * SPEC §15 ranges in a real browser: the district page's range picker (本周, 本月, 上月, 近90天)
 * puts the range in the URL and the trend chart draws that range, read from the nightly rollups;
 * a reload keeps it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rollupDays } from '@dudao/db';
import { addDays, localTime } from '@dudao/domain';
import { quickRange, QUICK_RANGES } from '../../src/lib/dateRange.ts';
import { launchChromium, openPage } from '../support/browser.ts';
import { monthOfHistory, postEvents } from '../support/events.ts';
import { buildDashboard, DISTRICT, startStack, type Stack } from './stack.ts';

const TIMEZONE = 'Asia/Shanghai';
const LAPTOP = { width: 1366, height: 768 };

let stack: Stack;
let browser: Browser;
let today = '';

beforeAll(async () => {
  await buildDashboard();
  stack = await startStack();
  today = localTime(Date.now(), TIMEZONE).day;
  const history = monthOfHistory(stack.registry, Date.now(), 3, 2);
  expect((await postEvents(stack.url, stack.keys.ingest, history)).rejected).toEqual([]);
  await rollupDays(stack.database, {
    cityAdcode: '430200',
    fromDay: addDays(today, -100),
    toDay: addDays(today, -1),
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The range the trend panel draws, once its data for `from..to` has arrived. */
async function drawnRange(page: Page, from: string, to: string) {
  await page.waitForSelector(`[data-testid="panel-trend"][data-from="${from}"][data-to="${to}"]`, {
    timeout: 10_000,
  });
  return {
    from: await page.getAttribute('[data-testid="panel-trend"]', 'data-from'),
    to: await page.getAttribute('[data-testid="panel-trend"]', 'data-to'),
    days: Number(await page.getAttribute('[data-testid="panel-trend"]', 'data-days')),
  };
}

describe('SPEC §15 the district page range picker', () => {
  it('each quick choice goes into the URL and sets the trend chart’s range; a reload keeps it', async () => {
    const { page, errors } = await openPage(
      browser,
      `${stack.url}/district/${DISTRICT}?tab=trend&token=${stack.keys.viewer}`,
      LAPTOP,
    );
    await page.waitForSelector('[data-testid="range-picker"]', { timeout: 30_000 });
    // without a range in the URL: the last 30 days
    expect(await drawnRange(page, addDays(today, -29), today)).toMatchObject({ days: 30 });
    for (const kind of QUICK_RANGES) {
      const want = quickRange(kind, today);
      await page.click(`[data-testid="range-${kind}"]`);
      await page.waitForURL(
        (url) => url.searchParams.get('from') === want.from && url.searchParams.get('to') === want.to,
      );
      const drawn = await drawnRange(page, want.from, want.to);
      expect(drawn.days).toBe(Math.round((Date.parse(want.to) - Date.parse(want.from)) / 86_400_000) + 1);
      expect(await page.getAttribute(`[data-testid="range-${kind}"]`, 'class')).toContain('active');
    }
    expect((await drawnRange(page, addDays(today, -89), today)).days).toBe(90);
    // the rollups drew lines: not the empty note
    expect(await page.textContent('[data-testid="panel-trend"]')).not.toContain('暂无');
    await page.reload();
    await drawnRange(page, addDays(today, -89), today);
    expect(await page.getAttribute('[data-testid="range-last90"]', 'class')).toContain('active');
    expect(errors).toEqual([]);
  });
});
