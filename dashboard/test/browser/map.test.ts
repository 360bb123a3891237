/**
 * The wall's map reads at a glance (issue 11): in Chromium against the real service, for 株洲市
 * (with its urban inset) and 贵阳市 (without), at 1920×1080, 3840×2160 and 32:9 wide mode, every
 * district label as drawn — its box read from the chart's own text elements — overlaps no other
 * label and not the legend, and stays inside the map; each label's figure is the ingested
 * district's; the legend's scale spans the districts' values and marks the target.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Snapshot } from '@dudao/domain';
import { launchChromium } from '../support/browser.ts';
import { monthOfHistory, postEvents } from '../support/events.ts';
import { formatRate } from '../../src/lib/format.ts';
import { buildDashboard, SCREENSHOTS_DIR, startStack, type Stack } from './stack.ts';

interface Box {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const SIZES = [
  { width: 1920, height: 1080, query: '' },
  { width: 3840, height: 2160, query: '&kiosk=1' },
  { width: 5120, height: 1440, query: '&fit=wide' },
];

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

let browser: Browser;
beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await buildDashboard();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The labels as drawn once they have stopped moving, in the chart's own pixels. */
async function drawnLabels(page: Page, count: number): Promise<Box[]> {
  const read = () =>
    page.evaluate(() => {
      const el = document.querySelector('[data-testid="city-map"]') as HTMLElement & {
        dudaoLabelBoxes?: () => Box[];
      };
      return JSON.stringify(el.dudaoLabelBoxes?.() ?? []);
    });
  let last = '';
  for (let i = 0; i < 40; i++) {
    const now = await read();
    if (now === last && (JSON.parse(now) as Box[]).length === count) return JSON.parse(now) as Box[];
    last = now;
    await page.waitForTimeout(250);
  }
  throw new Error(`labels never settled: ${last}`);
}

for (const city of ['zhuzhou', 'guiyang'] as const) {
  describe(`${city}: labels never overlap, the scale says what the colours mean`, () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ city });
      const res = await postEvents(
        stack.url,
        stack.keys.ingest,
        monthOfHistory(stack.registry, Date.now(), 11, 3),
      );
      expect(res.rejected).toEqual([]);
    });
    afterAll(async () => {
      await stack?.close();
    });

    async function snapshot(): Promise<Snapshot> {
      const res = await fetch(`${stack.url}/api/v1/metrics?scope=city`, {
        headers: { Authorization: `Bearer ${stack.keys.viewer}` },
      });
      return (await res.json()) as Snapshot;
    }

    for (const size of SIZES)
      it(`at ${size.width}×${size.height}${size.query ? ` (${size.query.slice(1)})` : ''}`, async () => {
        const context = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          deviceScaleFactor: 1,
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${stack.url}/?metric=coverage${size.query}&token=${stack.keys.viewer}`);
        await page.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: 15_000 });
        await page.waitForSelector('[data-testid="city-map"][data-ready="yes"]');

        const snap = await snapshot();
        const districts = snap.districts!;
        const labels = await drawnLabels(page, districts.length);

        // every district once, with its ingested figure
        for (const d of districts) {
          const mine = labels.filter((l) => l.text.includes(`{n|${d.name}}`));
          expect(mine, d.name).toHaveLength(1);
          expect(mine[0]!.text).toContain(`{v|${formatRate(d.metrics.coverage.schools.rate)}}`);
        }

        const frame = await page.evaluate(() => {
          const map = document.querySelector('[data-testid="city-map"]') as HTMLElement;
          const scale = Number(
            document.querySelector('[data-testid="wall-canvas"]')!.getAttribute('data-scale'),
          );
          const m = map.getBoundingClientRect();
          const l = document.querySelector('[data-testid="map-legend"]')!.getBoundingClientRect();
          return {
            width: map.clientWidth,
            height: map.clientHeight,
            // the legend in the chart's pixels
            legend: {
              x: (l.x - m.x) / scale,
              y: (l.y - m.y) / scale,
              width: l.width / scale,
              height: l.height / scale,
            },
          };
        });
        for (const [i, a] of labels.entries()) {
          expect(a.x >= 0 && a.y >= 0, `${a.text} inside`).toBe(true);
          expect(a.x + a.width <= frame.width && a.y + a.height <= frame.height, `${a.text} inside`).toBe(
            true,
          );
          expect(overlap(a, { ...frame.legend, text: 'legend' }), `${a.text} on the legend`).toBe(false);
          for (const b of labels.slice(i + 1)) expect(overlap(a, b), `${a.text} / ${b.text}`).toBe(false);
        }

        // the legend: the data's range (not 0–100 %), the month's pace marked on it
        const rates = districts.map((d) => d.metrics.coverage.schools.rate);
        const legend = await page.$eval('[data-testid="map-legend"]', (e) => ({
          min: Number(e.getAttribute('data-min')),
          max: Number(e.getAttribute('data-max')),
          target: e.getAttribute('data-target'),
          clipped: [...e.querySelectorAll('span')].some((s) => s.scrollWidth > s.clientWidth + 1),
          text: e.textContent ?? '',
        }));
        expect(legend.min).toBeLessThanOrEqual(Math.min(...rates));
        expect(legend.max).toBeGreaterThanOrEqual(Math.max(...rates));
        expect(legend.max - legend.min).toBeLessThan(1);
        expect(legend.target).not.toBe('');
        expect(legend.text).toContain(formatRate(legend.min));
        expect(legend.clipped).toBe(false);

        await page.screenshot({
          path: join(SCREENSHOTS_DIR, `map-${city}-${size.width}x${size.height}.png`),
        });
        await page
          .locator('[data-testid="panel-map"]')
          .screenshot({ path: join(SCREENSHOTS_DIR, `map-${city}-${size.width}x${size.height}-panel.png`) });
        expect(errors).toEqual([]);
        await context.close();
      });

    it('in English, on the overdue scale: red is high, the legend counts from zero', async () => {
      const context = await browser.newContext({
        viewport: { width: 1920, height: 1080 },
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${stack.url}/?metric=overdue&lang=en&token=${stack.keys.viewer}`);
      await page.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: 15_000 });
      const districts = (await snapshot()).districts!;
      const labels = await drawnLabels(page, districts.length);
      for (const [i, a] of labels.entries())
        for (const b of labels.slice(i + 1)) expect(overlap(a, b), `${a.text} / ${b.text}`).toBe(false);
      const legend = await page.$eval('[data-testid="map-legend"]', (e) => ({
        min: e.getAttribute('data-min'),
        max: Number(e.getAttribute('data-max')),
        text: e.textContent ?? '',
      }));
      expect(legend.min).toBe('0');
      expect(legend.max).toBeGreaterThanOrEqual(Math.max(...districts.map((d) => d.metrics.issues.overdue)));
      expect(legend.text).toContain('Overdue');
      expect(legend.text).toContain('issues');
      await page
        .locator('[data-testid="panel-map"]')
        .screenshot({ path: join(SCREENSHOTS_DIR, `map-${city}-overdue-en-panel.png`) });
      expect(errors).toEqual([]);
      await context.close();
    });
  });
}
