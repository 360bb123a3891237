/**
 * SPEC §11 wall page in Debian's Chromium (playwright-core, never a downloaded browser), against the
 * real service on PostgreSQL + Redis with a month of history and a live stream: time from navigation
 * to the first live paint (the current figures and the map on screen; the time the socket is
 * subscribed and pushing is given beside it), the JavaScript the page loads (gzipped), and
 * the JS heap after a forced GC, sampled from 1 minute to N minutes of live updates.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { step, timedStep } from './progress.ts';
import { fmt, met, type Row } from './report.ts';
import { CHROMIUM_ARGS, HISTORY_DAYS, MINUTE_MS, VIEWPORT, WallStack } from './wall-stack.ts';

const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard', import.meta.url));
const DIST_DIR = `${DASHBOARD_DIR}/dist`;
/** The heap readings: a GC the page can run, and performance.memory unrounded. */
const HEAP_ARGS = ['--js-flags=--expose-gc', '--enable-precise-memory-info'];
const HISTORY_EVENTS = 30_000;
const QUICK_HISTORY_EVENTS = 3_000;
const PAINT_RUNS = 3;
const LIVE_TIMEOUT_MS = 30_000;
/**
 * "Flat": the mean of the last third of the heap samples within this share of the mean of the first
 * third. One sample against another is noise: retained caches (ECharts, the feed window) move by
 * several MB between two forced GCs without any trend.
 */
const FLAT_GROWTH = 0.1;

function buildDashboardIfMissing(): void {
  if (existsSync(`${DIST_DIR}/index.html`)) return;
  const result = spawnSync('pnpm', ['-C', DASHBOARD_DIR, 'build'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the dashboard build failed');
}

/** Opens the wall; resolves with ms from navigation to the first live paint and the JS it loaded. */
async function openWall(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const scripts: Promise<number>[] = [];
  page.on('response', (res) => {
    // A chunk loaded lazily after the paint may still be in flight when its page closes: it counts 0.
    if (res.request().resourceType() !== 'script') return;
    scripts.push(
      res.body().then(
        (b) => gzipSync(b).length,
        () => 0,
      ),
    );
  });
  const started = performance.now();
  const since = (p: Promise<unknown>) => p.then(() => performance.now() - started);
  await page.goto(url);
  // The figures (from the first snapshot, over HTTP or the socket) and the map on screen …
  const painted = since(
    Promise.all([
      page.waitForSelector(`[data-testid="kpi-inspectionsMonth"] [data-value]:not([data-value=""])`, {
        timeout: LIVE_TIMEOUT_MS,
      }),
      page.waitForSelector('[data-testid="city-map"][data-ready="yes"]', { timeout: LIVE_TIMEOUT_MS }),
    ]),
  );
  // … and the socket subscribed, pushing from then on.
  const live = since(
    page.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: LIVE_TIMEOUT_MS }),
  );
  const [paintMs, liveMs] = await Promise.all([painted, live]);
  const gzippedJs = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
  return { page, paintMs, liveMs, gzippedJs };
}

const HEAP_SAMPLE_MS = 30_000;

/**
 * Used JS heap right after a full GC, in bytes, read in the same task as the GC (`gc()` and precise
 * `performance.memory`, from the browser's flags). Read over CDP instead (collectGarbage, then
 * getHeapUsage: two round trips), the charts' animation frames between the two allocated megabytes
 * first: on a loaded machine such readings spread 17–46 MB with no trend behind them.
 */
async function heapAfterGc(page: Page): Promise<number> {
  return page.evaluate(() => {
    // Chromium's own, under --js-flags=--expose-gc and --enable-precise-memory-info: checked, not typed.
    if (!('gc' in globalThis) || typeof globalThis.gc !== 'function') throw new Error('gc() is not exposed');
    globalThis.gc();
    const memory: unknown = 'memory' in performance ? performance.memory : undefined;
    if (typeof memory !== 'object' || memory === null || !('usedJSHeapSize' in memory))
      throw new Error('performance.memory is not there');
    return Number(memory.usedJSHeapSize);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The least-squares line through (x, y): its slope and the slope's standard error. */
function leastSquares(x: number[], y: number[]): { slope: number; stderr: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  const sxx = x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
  if (n < 3 || sxx === 0) return { slope: NaN, stderr: NaN };
  const slope = x.reduce((a, xi, i) => a + (xi - mx) * (y[i]! - my), 0) / sxx;
  const residuals = x.reduce((a, xi, i) => a + (y[i]! - my - slope * (xi - mx)) ** 2, 0);
  return { slope, stderr: Math.sqrt(residuals / (n - 2) / sxx) };
}

export async function wallSuite(
  databaseUrl: string,
  redisUrl: string,
  opts: { minutes: number; quick: boolean },
) {
  buildDashboardIfMissing();
  const stack = await WallStack.open({ databaseUrl, redisUrl, distDir: DIST_DIR, streamName: 'bench-w' });
  try {
    const total = opts.quick ? QUICK_HISTORY_EVENTS : HISTORY_EVENTS;
    const s1 = step(`wall: ${fmt(total)} events of history (${HISTORY_DAYS} days)`);
    await stack.postHistory(total, s1.update);
    s1.done('posted');
    stack.startLiveStream();
    const browser = await stack.launchBrowser([...CHROMIUM_ARGS, ...HEAP_ARGS]);
    const { wallUrl } = stack;
    const s2 = step(`wall: first live paint, ${PAINT_RUNS} fresh pages`);
    const paints: number[] = [];
    const lives: number[] = [];
    let gzippedJs = 0;
    for (let i = 0; i < PAINT_RUNS; i++) {
      const opened = await openWall(browser, wallUrl);
      paints.push(opened.paintMs);
      lives.push(opened.liveMs);
      gzippedJs = opened.gzippedJs;
      await opened.page.context().close();
      s2.update(i + 1, PAINT_RUNS);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const paintMs = median(paints);
    const liveMs = median(lives);
    s2.done(
      `median ${fmt(paintMs)} ms (${paints.map((p) => fmt(p)).join(', ')} ms; socket live ${fmt(liveMs)} ms), JS ${fmt(gzippedJs / 1024)} KB gzipped`,
    );

    const s3 = timedStep(`wall: heap over ${opts.minutes} min of live updates`, opts.minutes * 60);
    const { page } = await openWall(browser, wallUrl);
    const ticker = setInterval(s3.tick, 1000);
    await sleep(MINUTE_MS);
    const samples = [await heapAfterGc(page)];
    const end = performance.now() + Math.max(0, opts.minutes - 1) * MINUTE_MS;
    while (performance.now() < end) {
      await sleep(Math.min(HEAP_SAMPLE_MS, end - performance.now()));
      samples.push(await heapAfterGc(page));
    }
    clearInterval(ticker);
    const third = Math.max(1, Math.floor(samples.length / 3));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [heap1, heapN] = [samples[0]!, samples.at(-1)!];
    const growth = mean(samples.slice(-third)) / mean(samples.slice(0, third)) - 1;
    const mb = (b: number) => `${fmt(b / 2 ** 20, 1)} MB`;
    const range = `${mb(Math.min(...samples))}–${mb(Math.max(...samples))}`;
    s3.done(
      `${mb(heap1)} at 1 min, ${mb(heapN)} at ${opts.minutes} min, ${range} (trend ${fmt(growth * 100, 1)} %)`,
    );
    // Every sample, and the least-squares slope: a slow leak from the noise of forced-GC readings.
    const minutes = samples.map((_, i) => 1 + (i * HEAP_SAMPLE_MS) / MINUTE_MS);
    const { slope, stderr } = leastSquares(
      minutes,
      samples.map((b) => b / 2 ** 20),
    );
    console.log(
      `  heap samples (MB after a forced GC, every ${HEAP_SAMPLE_MS / 1000} s from 1 min): ` +
        samples.map((b) => fmt(b / 2 ** 20, 1)).join(' '),
    );
    console.log(`  heap slope ${fmt(slope, 3)} MB/min (± ${fmt(stderr, 3)} standard error)`);

    return [
      {
        what: '5. wall: first live paint',
        value: `${fmt(paintMs)} ms (median of ${PAINT_RUNS}; socket live at ${fmt(liveMs)} ms)`,
        target: '≤ 1,500 ms',
        baseline: '—',
        ratio: '—',
        met: met(paintMs <= 1500),
      },
      {
        what: '5. wall: JavaScript loaded',
        value: `${fmt(gzippedJs / 1024)} KB gzipped`,
        target: '≤ 500 KB gzipped',
        baseline: '—',
        ratio: '—',
        met: met(gzippedJs <= 500 * 1024),
      },
      {
        what: `5. wall: JS heap, 1 → ${opts.minutes} min`,
        value: `${mb(heap1)} → ${mb(heapN)} (samples ${range}; trend ${growth >= 0 ? '+' : ''}${fmt(growth * 100, 1)} %)`,
        target: `flat (≤ +${FLAT_GROWTH * 100} %)`,
        baseline: 'first third of the samples',
        ratio: fmt(1 + growth, 2),
        met: met(growth <= FLAT_GROWTH),
      },
    ] satisfies Row[];
  } finally {
    await stack.close();
  }
}
