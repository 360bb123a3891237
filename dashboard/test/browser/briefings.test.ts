/**
 * SPEC §15 briefings on the district page, in a real browser: the 简报 tab lists the district's
 * 日报 and 月报 the nightly made (read with the district's own key), and a 月报 opens as its page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { addDays, localTime } from '@dudao/domain';
import { cityPackById } from '@dudao/domain/cities';
import { runNightly } from '@dudao/scripts';
import { launchChromium, openPage } from '../support/browser.ts';
import { monthOfHistory, postEvents } from '../support/events.ts';
import { buildDashboard, DISTRICT, startStack, type Stack } from './stack.ts';

const LAPTOP = { width: 1366, height: 768 };
/** The nightly of a month's last day for the city and one district: four pages with their charts. */
const NIGHTLY_HOOK_MS = 240_000;

let stack: Stack;
let browser: Browser;
/** last month, and its last day (city time) */
let month = '';
let monthEnd = '';

beforeAll(async () => {
  await buildDashboard();
  stack = await startStack();
  const pack = cityPackById('zhuzhou');
  monthEnd = addDays(`${localTime(Date.now(), pack.timezone).day.slice(0, 7)}-01`, -1);
  month = monthEnd.slice(0, 7);
  // last month's history, one inspection a day per district
  const history = monthOfHistory(stack.registry, Date.parse(`${monthEnd}T12:00:00+08:00`), 5, 1);
  expect((await postEvents(stack.url, stack.keys.ingest, history)).rejected).toEqual([]);
  await runNightly(
    {
      database: stack.database,
      city: { adcode: pack.adcode, name: pack.name, timezone: pack.timezone },
      districts: pack.districts.filter((d) => d.adcode === DISTRICT),
      live: null,
      pipeline: { runExclusive: (task) => task() },
      dataDir: 'memory://',
      now: Date.now,
      log: () => {},
    },
    { fromDay: monthEnd, toDay: monthEnd, onlyMissing: false },
  );
  browser = await launchChromium();
}, NIGHTLY_HOOK_MS);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('SPEC §15 the district page 简报 tab', () => {
  it("lists the district's 日报 and 月报 under their headings; a 月报 opens as its own page", async () => {
    const { page, errors } = await openPage(
      browser,
      `${stack.url}/district/${DISTRICT}?tab=briefings&token=${stack.keys.districtViewer}`,
      LAPTOP,
    );
    const monthly = page.locator('[data-testid="briefings-monthly"]');
    const daily = page.locator('[data-testid="briefings-daily"]');
    await monthly.locator('a').first().waitFor({ timeout: 30_000 });
    expect(await monthly.locator('h3').textContent()).toBe('月报');
    expect(await daily.locator('h3').textContent()).toBe('日报');
    const link = monthly.locator(`a[data-period="${month}"]`);
    expect(await link.textContent()).toBe(`第${Number(month.slice(5))}期\u3000${month}`);
    expect(await daily.locator(`a[data-period="${monthEnd}"]`).count()).toBe(1);

    const [report] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await report.waitForLoadState();
    expect(report.url()).toContain(`/api/v1/briefings/${month}?scope=${DISTRICT}`);
    expect(await report.locator('h1').textContent()).toBe('督导月报');
    expect(await report.locator(`article[data-month="${month}"][data-scope="${DISTRICT}"]`).count()).toBe(1);
    expect(await report.locator('figure svg').count()).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
  });
});
