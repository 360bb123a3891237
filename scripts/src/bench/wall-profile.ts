/**
 * Where the wall's first live paint spends its time (issue 13 item 3): the bench's wall set-up (the
 * real service on PostgreSQL + Redis, a month of history, a live stream), then fresh pages in
 * Debian's Chromium, each read with the browser's own clocks: every request's start and end (the
 * Resource Timing entries), the moments the figures and the map appear (a MutationObserver from an
 * init script, the same conditions as the bench's wall section), the long tasks, and for one page a
 * CPU profile (self time per chunk, time spent inside the named ECharts and app functions) and the
 * main thread's trace events by name (script compile and evaluation, style, layout, paint).
 *
 * `DATABASE_URL=… REDIS_URL=… pnpm exec tsx scripts/src/bench/wall-profile.ts [--runs 5] [--events 30000]
 *  [--trace trace.json] [--cpu page.cpuprofile]` (a built dashboard in dashboard/dist, or WALL_DIST_DIR: a
 * build with `--sourcemap` names the minified functions of the CPU profile).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession } from 'playwright-core';
import { CHROMIUM_ARGS, VIEWPORT, WallStack } from './wall-stack.ts';

const DIST_DIR =
  process.env.WALL_DIST_DIR ?? fileURLToPath(new URL('../../../dashboard/dist', import.meta.url));
const TIMEOUT_MS = 90_000;
/** Functions whose time (with what they call) is reported from the CPU profile. */
const WATCHED = [
  'init',
  'setOption',
  'registerMap',
  'parseGeoJSON',
  'mount',
  'refresh',
  'layoutMapGeometry',
  'placeMapLabels',
  'splitUrban',
];
/** Main-thread trace events summed by name. */
const TRACE_EVENTS = [
  'ParseHTML',
  'v8.compile',
  'v8.compileModule',
  'v8.evaluateModule',
  'EvaluateScript',
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'UpdateLayoutTree',
  'Layout',
  'Paint',
  'MajorGC',
  'MinorGC',
  'ParseAuthorStyleSheet',
];

/** Runs in the page before its scripts: the paint conditions of bench/wall.ts, timed in the page. */
const INIT_SCRIPT = `(() => {
  const marks = (window.__paintMarks = {});
  const longTasks = (window.__longTasks = []);
  new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push([Math.round(e.startTime), Math.round(e.duration)]); })
    .observe({ type: 'longtask', buffered: true });
  const check = () => {
    const t = Math.round(performance.now());
    const set = (k, q) => { if (!(k in marks) && document.querySelector(q)) marks[k] = t; };
    set('app', '[data-testid="wall-canvas"]');
    set('kpi', '[data-testid="kpi-inspectionsMonth"] [data-value]:not([data-value=""])');
    set('map', '[data-testid="city-map"][data-ready="yes"]');
    set('mapCanvas', '[data-testid="city-map"] canvas');
    set('live', '[data-testid="wall-canvas"][data-state="live"]');
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

interface Timings {
  wallMs: number;
  marks: Record<string, number>;
  longTasks: [number, number][];
  resources: { name: string; start: number; end: number; kb: number }[];
  fcp: number | null;
}

const shortName = (url: string) => {
  const u = new URL(url);
  return (u.pathname.replace(/^\/assets\//, '') + u.search).replace(/-[\w]{8}\./, '.');
};

async function openPage(browser: Browser, url: string, profile: { trace?: string } | null) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.addInitScript(INIT_SCRIPT);
  let cdp: CDPSession | null = null;
  if (profile) {
    cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await browser.startTracing(page, {
      categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'blink.user_timing'],
    });
  }
  const started = performance.now();
  await page.goto(url);
  await Promise.all([
    page.waitForSelector('[data-testid="kpi-inspectionsMonth"] [data-value]:not([data-value=""])', {
      timeout: TIMEOUT_MS,
    }),
    page.waitForSelector('[data-testid="city-map"][data-ready="yes"]', { timeout: TIMEOUT_MS }),
  ]);
  const wallMs = performance.now() - started;
  // Not part of the paint: a socket that never goes live is reported (no `live` mark), not fatal.
  await page
    .waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: TIMEOUT_MS })
    .catch(() => {});
  let cpu: unknown = null;
  let trace: Buffer | null = null;
  if (cdp) {
    cpu = (await cdp.send('Profiler.stop')).profile;
    trace = await browser.stopTracing();
    if (profile?.trace) writeFileSync(profile.trace, trace);
  }
  // A string: this package is typed for Node, without the DOM's globals.
  const read = (await page.evaluate(`(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    const resources = entries.map((r) => ({
      name: r.name,
      start: Math.round(r.startTime),
      end: Math.round(r.responseEnd),
      kb: Math.round(r.transferSize / 102.4) / 10,
    }));
    return { marks: window.__paintMarks, longTasks: window.__longTasks, resources, fcp };
  })()`)) as Omit<Timings, 'wallMs'>;
  await context.close();
  return { timings: { wallMs, ...read } satisfies Timings, cpu, trace };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Self time per script and inclusive time of the watched functions, in ms. */
function summariseCpu(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }) {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(id)!;
    const where = node.callFrame.url
      ? shortName(node.callFrame.url)
      : node.callFrame.functionName || '(anon)';
    self.set(where, (self.get(where) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame.functionName;
      if (WATCHED.includes(f) && !seen.has(f)) {
        seen.add(f);
        inclusive.set(f, (inclusive.get(f) ?? 0) + dt);
      }
    }
  });
  const round = (m: Map<string, number>) =>
    Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));
  return { selfByScript: round(self), inclusive: round(inclusive) };
}

/** Main-thread trace time by event name up to `untilMs` after navigation start (top-level "X" events). */
function summariseTrace(trace: Buffer, untilMs: number) {
  const events = (JSON.parse(trace.toString()) as { traceEvents: Record<string, unknown>[] }).traceEvents;
  const thread = events.find(
    (e) => e.name === 'thread_name' && (e.args as { name?: string })?.name === 'CrRendererMain',
  );
  const nav = events.find((e) => e.name === 'navigationStart' || e.name === 'NavigationTiming');
  const t0 = (nav?.ts as number | undefined) ?? 0;
  const sums = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || e.tid !== thread?.tid || e.pid !== thread?.pid) continue;
    if (!TRACE_EVENTS.includes(e.name as string)) continue;
    if (((e.ts as number) - t0) / 1000 > untilMs) continue;
    sums.set(e.name as string, (sums.get(e.name as string) ?? 0) + (e.dur as number) / 1000);
  }
  return Object.fromEntries([...sums].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      events: { type: 'string', default: '30000' },
      trace: { type: 'string' },
      cpu: { type: 'string' },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('DATABASE_URL and REDIS_URL are needed');
  const stack = await WallStack.open({ databaseUrl, redisUrl, distDir: DIST_DIR, streamName: 'prof-w' });
  try {
    await stack.postHistory(Number(values.events));
    stack.startLiveStream();
    const browser = await stack.launchBrowser(CHROMIUM_ARGS);
    const url = stack.wallUrl;
    const runs: Timings[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const { timings } = await openPage(browser, url, null);
      runs.push(timings);
      const until = Math.max(timings.marks.kpi ?? 0, timings.marks.map ?? 0);
      const longTasks = timings.longTasks.filter(([start]) => start <= until);
      console.log(JSON.stringify({ run: i + 1, ...timings, longTasks, resources: undefined }));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      `paint (navigation → figures and map, as bench/wall.ts) median ${Math.round(median(runs.map((r) => r.wallMs)))} ms:`,
      runs.map((r) => Math.round(r.wallMs)).join(', '),
    );
    for (const key of ['app', 'kpi', 'map', 'mapCanvas', 'live'])
      console.log(`  in page: ${key} median ${median(runs.map((r) => r.marks[key] ?? NaN))} ms`);
    console.log(`  first contentful paint median ${median(runs.map((r) => r.fcp ?? NaN))} ms`);
    console.log('requests of the median run (start → end ms, KB transferred):');
    const mid = [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
    for (const r of mid.resources) console.log(`  ${r.start} → ${r.end}  ${r.kb} KB  ${shortName(r.name)}`);
    console.log(
      `  long tasks: ${mid.longTasks
        .filter(([start]) => start <= Math.max(mid.marks.kpi ?? 0, mid.marks.map ?? 0))
        .map(([s, d]) => `${s}+${d}`)
        .join(' ')}`,
    );

    const profiled = await openPage(browser, url, { trace: values.trace });
    if (values.cpu) writeFileSync(values.cpu, JSON.stringify(profiled.cpu));
    const cpu = summariseCpu(profiled.cpu as Parameters<typeof summariseCpu>[0]);
    console.log(`profiled page (slower: profiler and trace on): ${Math.round(profiled.timings.wallMs)} ms`);
    console.log('  CPU self time by script (ms):', JSON.stringify(cpu.selfByScript));
    console.log('  inside (ms, with callees):', JSON.stringify(cpu.inclusive));
    const until = Math.max(profiled.timings.marks.kpi ?? 0, profiled.timings.marks.map ?? 0);
    console.log(
      `  main thread until the paint (${until} ms), by trace event (ms):`,
      JSON.stringify(summariseTrace(profiled.trace!, until)),
    );
  } finally {
    await stack.close();
  }
}

await main();
