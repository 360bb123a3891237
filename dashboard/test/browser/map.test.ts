/**
 * The wall's map reads at a glance (issue 11): in Chromium against the real service, for 株洲市
 * (with its urban inset) and 贵阳市 (without), at 1920×1080, 3840×2160 and 32:9 wide mode, every
 * district label as drawn — its box read from the chart's own text elements — overlaps no other
 * label and not the legend, and stays inside the map; each label's figure is the ingested
 * district's; the legend's scale is exactly the districts' range, with the target marked only
 * inside it. At 1920×1080 the colours as drawn: the weakest district's area is the darkest, every
 * ranking bar has its district's map colour, and the spotlight outlines a district in white
 * (keeping its colour) with a tooltip that covers no label.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Snapshot } from '@dudao/domain';
import { launchChromium, openPage } from '../support/browser.ts';
import { monthOfHistory, postEvents } from '../support/events.ts';
import { formatRate } from '../../src/lib/format.ts';
import { luminance } from '../../src/lib/mapScale.ts';
import type { DrawnItem } from '../../src/lib/chartProbe.ts';
import { buildDashboard, SCREENSHOTS_DIR, startStack, type Stack } from './stack.ts';

interface Box {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Viewport {
  width: number;
  height: number;
}

/** What a case gets: the page with its map drawn, the city's districts from the API, their labels. */
interface MapView {
  page: Page;
  districts: NonNullable<Snapshot['districts']>;
  labels: Box[];
}

const SIZES = [
  { width: 1920, height: 1080, query: '' },
  { width: 3840, height: 2160, query: '&kiosk=1' },
  { width: 5120, height: 1440, query: '&fit=wide' },
];

/**
 * The machine the suite runs on may be busy: how fast the wall goes live is not what this file
 * measures, so it waits generously (and each case, walking the spotlight round, may take minutes).
 */
const WALL_LIVE_MS = 45_000;
const CASE_MS = 240_000;

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
    // settled: the same twice, every district, every figure drawn (not the "—" before data)
    if (now === last && (JSON.parse(now) as Box[]).length === count && !now.includes('{v|—}'))
      return JSON.parse(now) as Box[];
    last = now;
    await page.waitForTimeout(250);
  }
  throw new Error(`labels never settled: ${last}`);
}

/** A drawn colour as #rrggbb: zrender keeps a state's colours as it eased them in (`rgba(…)`). */
function hex(color: string): string {
  const rgba = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  if (!rgba) return color.toLowerCase();
  return `#${rgba
    .slice(1, 4)
    .map((c) => Number(c).toString(16).padStart(2, '0'))
    .join('')}`;
}

/** Each district's fill on the whole map as drawn (the inset repeats the same colours). */
async function mapFills(page: Page): Promise<Map<string, string>> {
  const items = await drawnMapItems(page);
  return new Map(items.filter((i) => i.series === 'districts').map((i) => [i.adcode!, hex(i.fill)]));
}

async function drawnMapItems(page: Page): Promise<DrawnItem[]> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="city-map"]') as HTMLElement & {
      dudaoFills?: () => DrawnItem[];
    };
    return el.dudaoFills?.() ?? [];
  });
}

/** The tooltip's box in the chart's pixels once it has stopped moving (null: not shown). */
async function tooltipBox(page: Page): Promise<Box | null> {
  const read = () =>
    page.evaluate(() => {
      const map = document.querySelector('[data-testid="city-map"]') as HTMLElement;
      const tip = map.querySelector('.map-tooltip') as HTMLElement | null;
      if (!tip || getComputedStyle(tip).display === 'none' || getComputedStyle(tip).opacity === '0')
        return null;
      const scale = Number(document.querySelector('[data-testid="wall-canvas"]')!.getAttribute('data-scale'));
      const m = map.getBoundingClientRect();
      const t = tip.getBoundingClientRect();
      return {
        text: tip.textContent ?? '',
        x: (t.x - m.x) / scale,
        y: (t.y - m.y) / scale,
        width: t.width / scale,
        height: t.height / scale,
      };
    });
  let last = '';
  for (let i = 0; i < 40; i++) {
    const now = JSON.stringify(await read());
    if (now === last && now !== 'null') return JSON.parse(now) as Box;
    last = now;
    await page.waitForTimeout(200);
  }
  return null;
}

/** Put the spotlight on a district; returns the district it is on (the rotation may have moved it). */
const spotlight = (page: Page, adcode?: string) =>
  page.evaluate((a) => {
    const el = document.querySelector('[data-testid="city-map"]') as HTMLElement & {
      dudaoSpotlight?: (adcode?: string) => string | null;
    };
    return el.dudaoSpotlight?.(a) ?? null;
  }, adcode);

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

    /** The wall at `query` with its map drawn; console errors and uncaught exceptions in `errors`. */
    async function openMap(query: string, viewport: Viewport) {
      const opened = await openPage(browser, `${stack.url}/?${query}&token=${stack.keys.viewer}`, viewport);
      await opened.page.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', {
        timeout: WALL_LIVE_MS,
      });
      await opened.page.waitForSelector('[data-testid="city-map"][data-ready="yes"]');
      return opened;
    }

    async function snapshot(): Promise<Snapshot> {
      const res = await fetch(`${stack.url}/api/v1/metrics?scope=city`, {
        headers: { Authorization: `Bearer ${stack.keys.viewer}` },
      });
      return (await res.json()) as Snapshot;
    }

    /**
     * A case on the wall at `query`: the map drawn, the city's districts as the API gives them and
     * the labels drawn for them; the page must have logged no error by the end.
     */
    function mapCase(
      name: string,
      query: string,
      check: (view: MapView) => Promise<void>,
      viewport: Viewport = { width: 1920, height: 1080 },
    ) {
      it(
        name,
        async () => {
          const { page, errors } = await openMap(query, viewport);
          try {
            const districts = (await snapshot()).districts!;
            await check({ page, districts, labels: await drawnLabels(page, districts.length) });
            expect(errors).toEqual([]);
          } finally {
            await page.context().close();
          }
        },
        CASE_MS,
      );
    }

    for (const size of SIZES)
      mapCase(
        `at ${size.width}×${size.height}${size.query ? ` (${size.query.slice(1)})` : ''}`,
        `metric=coverage${size.query}`,
        async ({ page, districts, labels }) => {
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
            marked: !!e.querySelector('[data-testid="map-legend-target"]'),
            clipped: [...e.querySelectorAll('span')].some((s) => s.scrollWidth > s.clientWidth + 1),
            text: e.textContent ?? '',
          }));
          expect(legend.min).toBe(Math.min(...rates));
          expect(legend.max).toBe(Math.max(...rates));
          expect(legend.text).toContain(formatRate(legend.min));
          expect(legend.text).toContain(formatRate(legend.max));
          // the target is marked only when it lies within the range
          if (legend.target !== '') {
            expect(Number(legend.target)).toBeGreaterThanOrEqual(legend.min);
            expect(Number(legend.target)).toBeLessThanOrEqual(legend.max);
          }
          expect(legend.marked).toBe(legend.target !== '');
          expect(legend.clipped).toBe(false);

          await page.screenshot({
            path: join(SCREENSHOTS_DIR, `map-${city}-${size.width}x${size.height}.png`),
          });
          await page.locator('[data-testid="panel-map"]').screenshot({
            path: join(SCREENSHOTS_DIR, `map-${city}-${size.width}x${size.height}-panel.png`),
          });
        },
        { width: size.width, height: size.height },
      );

    mapCase(
      "at 1920×1080 the weakest district is the darkest, the bars wear the map's colours, the spotlight covers no label",
      'metric=coverage',
      async ({ page, districts, labels }) => {
        // the weakest (lowest coverage) is drawn darkest, and darker than every stronger district
        const fills = await mapFills(page);
        expect(fills.size).toBe(districts.length);
        const rate = (d: (typeof districts)[number]) => d.metrics.coverage.schools.rate;
        const low = Math.min(...districts.map(rate));
        const weakest = districts.filter((d) => rate(d) === low);
        for (const w of weakest)
          for (const d of districts.filter((x) => rate(x) > low))
            expect(luminance(fills.get(w.adcode)!), `${w.name} darker than ${d.name}`).toBeLessThan(
              luminance(fills.get(d.adcode)!),
            );
        // and the difference shows: the weakest is not the strongest's colour at half the light
        const high = districts.find((d) => rate(d) === Math.max(...districts.map(rate)))!;
        if (rate(high) > low)
          expect(luminance(fills.get(high.adcode)!)).toBeGreaterThan(
            3 * luminance(fills.get(weakest[0]!.adcode)!),
          );

        // each district's ranking bar is the colour of its area (the ranking is drawn after the map)
        await page.waitForSelector('[data-testid="ranking-chart"] canvas');
        const bars = await page.evaluate(() => {
          const el = document.querySelector('[data-testid="ranking-chart"]') as HTMLElement & {
            dudaoItems?: (id: string) => DrawnItem[];
          };
          return el.dudaoItems?.('rank') ?? [];
        });
        expect(bars).toHaveLength(districts.length);
        for (const b of bars) expect(hex(b.fill), b.name).toBe(fills.get(b.adcode!));

        // the spotlight on each district in turn: a white outline over its own colour, and a
        // tooltip that covers no label and not the legend
        const legend = await page.evaluate(() => {
          const map = document.querySelector('[data-testid="city-map"]') as HTMLElement;
          const scale = Number(
            document.querySelector('[data-testid="wall-canvas"]')!.getAttribute('data-scale'),
          );
          const m = map.getBoundingClientRect();
          const l = document.querySelector('[data-testid="map-legend"]')!.getBoundingClientRect();
          return {
            text: 'legend',
            x: (l.x - m.x) / scale,
            y: (l.y - m.y) / scale,
            width: l.width / scale,
            height: l.height / scale,
          };
        });
        for (const d of districts) {
          let tip: Box | null = null;
          let items: DrawnItem[] = [];
          // the rotation moves on every few seconds: read again if it moved while we looked
          for (let attempt = 0; attempt < 3; attempt++) {
            expect(await spotlight(page, d.adcode)).toBe(d.adcode);
            tip = await tooltipBox(page);
            // the highlight eases in (zrender animates a state's style): read once it has
            await expect
              .poll(
                async () => {
                  items = await drawnMapItems(page);
                  return items.filter((i) => i.adcode === d.adcode).every((i) => hex(i.stroke) === '#ffffff');
                },
                { timeout: 10_000 },
              )
              .toBe(true);
            if ((await spotlight(page)) === d.adcode) break;
          }
          expect(tip, d.name).not.toBeNull();
          expect(tip!.text).toContain(d.name);
          const mine = items.filter((i) => i.adcode === d.adcode);
          expect(mine.length).toBeGreaterThan(0);
          for (const i of mine) {
            expect(i.states, `${d.name} highlighted`).toContain('emphasis');
            expect(hex(i.stroke)).toBe('#ffffff');
            expect(i.lineWidth).toBe(3);
            expect(hex(i.fill), `${d.name} keeps its colour`).toBe(fills.get(d.adcode));
          }
          for (const l of [...labels, legend])
            expect(overlap(tip!, l), `${d.name}'s tooltip on ${l.text}`).toBe(false);
          if (d.adcode === '430203')
            await page.screenshot({ path: join(SCREENSHOTS_DIR, `map-${city}-1920x1080-spotlight.png`) });
        }
        await page.screenshot({ path: join(SCREENSHOTS_DIR, `map-${city}-1920x1080-spotlight-last.png`) });
      },
    );

    mapCase(
      'in English, on the overdue scale: the most overdue district is the darkest',
      'metric=overdue&lang=en',
      async ({ page, districts, labels }) => {
        for (const [i, a] of labels.entries())
          for (const b of labels.slice(i + 1)) expect(overlap(a, b), `${a.text} / ${b.text}`).toBe(false);
        const legend = await page.$eval('[data-testid="map-legend"]', (e) => ({
          min: Number(e.getAttribute('data-min')),
          max: Number(e.getAttribute('data-max')),
          text: e.textContent ?? '',
        }));
        const overdue = districts.map((d) => d.metrics.issues.overdue);
        expect([legend.min, legend.max]).toEqual([Math.min(...overdue), Math.max(...overdue)]);
        expect(legend.text).toContain('Overdue');
        expect(legend.text).toContain('issues');
        expect(legend.text).toContain('darker: more overdue');
        const fills = await mapFills(page);
        if (legend.max > legend.min) {
          const worst = districts.filter((d) => d.metrics.issues.overdue === legend.max);
          const darkest = Math.min(...[...fills.values()].map(luminance));
          for (const d of worst) expect(luminance(fills.get(d.adcode)!), d.name).toBe(darkest);
        }
        await page
          .locator('[data-testid="panel-map"]')
          .screenshot({ path: join(SCREENSHOTS_DIR, `map-${city}-overdue-en-panel.png`) });
      },
    );
  });
}
