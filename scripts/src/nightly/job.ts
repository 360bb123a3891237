/**
 * The nightly job (SPEC §10), the same whether the service's embedded scheduler runs it or the
 * `pnpm nightly` CLI: daily rollups of the days asked for (and of the day before them, which the
 * briefing compares with), reconciliation of the live store when this process can reach it, and
 * one briefing per day for the city and one for each district, stored in the database and written to
 * `DATA_DIR/reports/YYYY-MM-DD.html` (a district's under `reports/<adcode>/`), and for each month
 * that ended within the days asked for, a monthly report (月报) of the city and of each district
 * (`reports/YYYY-MM.html`, a district's under `reports/<adcode>/`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { listBriefings, rollupDays, saveBriefing, type BriefingKind, type RollupResult } from '@dudao/db';
import { addDays, dayList, firstDayOfMonth, localTime } from '@dudao/domain';
import {
  formatDrift,
  reconcileLiveStore,
  type Drift,
  type NightlyContext,
  type NightlyJob,
  type NightlyRequest,
  type NightlySummary,
} from '@dudao/ingest-service';
import { loadBriefingData, type BriefingInput } from './briefing/data.ts';
import { renderBriefingHtml, renderMonthlyHtml } from './briefing/html.ts';
import { lastDayOfMonth, loadMonthlyData } from './briefing/monthly-data.ts';

/** Days per rollup statement: each reads the whole history once, so a month's backfill is one pass. */
export const ROLLUP_DAYS_PER_PASS = 31;

export type NightlyPhase = 'rollup' | 'briefing' | 'monthly';
export type NightlyProgress = (phase: NightlyPhase, done: number, total: number) => void;

export interface NightlyResult extends NightlySummary {
  rollup: RollupResult;
  /** null when the live store was not reachable from this process */
  driftLines: Drift[] | null;
  /** the months (YYYY-MM) a 月报 was written for */
  months: string[];
  /** the 月报 files written (or `memory://`: `[adcode/]YYYY-MM`) */
  monthly: string[];
}

/**
 * Where a report's file goes: `reports/PERIOD.html` for the city, `reports/ADCODE/PERIOD.html` for a
 * district; the period is a day (a briefing) or a month `YYYY-MM` (a 月报).
 */
export function reportPath(dataDir: string, period: string, district?: string): string {
  return district === undefined
    ? join(dataDir, 'reports', `${period}.html`)
    : join(dataDir, 'reports', district, `${period}.html`);
}

async function rollup(
  ctx: NightlyContext,
  days: string[],
  progress?: NightlyProgress,
): Promise<RollupResult> {
  const total: RollupResult = { days: 0, rows: 0, changed: 0, removed: 0 };
  if (days.length === 0) return total;
  // The day before the first one too: the briefing compares each day with the one before it.
  const all = dayList(addDays(days[0]!, -1), days[days.length - 1]!);
  for (let i = 0; i < all.length; i += ROLLUP_DAYS_PER_PASS) {
    const pass = all.slice(i, i + ROLLUP_DAYS_PER_PASS);
    const r = await rollupDays(ctx.database, {
      cityAdcode: ctx.city.adcode,
      fromDay: pass[0]!,
      toDay: pass[pass.length - 1]!,
    });
    total.days += r.days;
    total.rows += r.rows;
    total.changed += r.changed;
    total.removed += r.removed;
    progress?.('rollup', Math.min(i + pass.length, all.length), all.length);
  }
  return total;
}

async function reconcile(ctx: NightlyContext): Promise<Drift[] | null> {
  if (!ctx.live) {
    ctx.log(
      'live store: in-process, inside the running service — its embedded scheduler reconciles it; ' +
        'set REDIS_URL to reconcile from here',
    );
    return null;
  }
  const names = new Map(ctx.districts.map((d) => [d.adcode, d.name]));
  const { drift } = await reconcileLiveStore({
    database: ctx.database,
    live: ctx.live,
    pipeline: ctx.pipeline,
    cityAdcode: ctx.city.adcode,
    timezone: ctx.city.timezone,
    now: ctx.now,
    districts: ctx.districts.map((d) => d.adcode),
  });
  for (const d of drift) ctx.log(`drift: ${formatDrift(d, (a) => names.get(a) ?? a)}`);
  ctx.log(`live store rebuilt from the database: ${drift.length} metric(s) had drifted`);
  return drift;
}

interface StoredPage {
  /** the stored day: a briefing's, a 月报's month's first */
  day: string;
  issueNo: number;
  html: string;
}

/** Stores a report page and writes its file (under `memory://` only the database keeps it). */
async function store(
  ctx: NightlyContext,
  page: StoredPage & { kind: BriefingKind; period: string; district: string | undefined },
): Promise<string> {
  const scope = page.district ?? 'city';
  await saveBriefing(ctx.database, {
    day: page.day,
    kind: page.kind,
    issueNo: page.issueNo,
    html: page.html,
    scope,
  });
  if (ctx.dataDir.startsWith('memory://'))
    return page.district === undefined ? page.period : `${page.district}/${page.period}`;
  const path = reportPath(ctx.dataDir, page.period, page.district);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, page.html);
  return path;
}

type PageInput = Omit<BriefingInput, 'day'>;

/** How each kind of page is made from its period (a day, a month) and scope, and its progress phase. */
const PAGES: Record<
  BriefingKind,
  {
    phase: NightlyPhase;
    make(ctx: NightlyContext, input: PageInput, period: string, printedOn: string): Promise<StoredPage>;
  }
> = {
  daily: {
    phase: 'briefing',
    async make(ctx, input, day, printedOn) {
      const data = await loadBriefingData(ctx.database, { ...input, day });
      return { day, issueNo: data.issueNo, html: renderBriefingHtml(data, { printedOn }) };
    },
  },
  monthly: {
    phase: 'monthly',
    async make(ctx, input, month, printedOn) {
      const data = await loadMonthlyData(ctx.database, { ...input, month });
      return {
        day: firstDayOfMonth(month),
        issueNo: data.issueNo,
        html: renderMonthlyHtml(data, { printedOn }),
      };
    },
  },
};

/**
 * One page of `kind` per period and scope — the city's, then each district's (SPEC §15) — stored and
 * written, with progress.
 */
async function writePages(
  ctx: NightlyContext,
  kind: BriefingKind,
  periods: string[],
  progress?: NightlyProgress,
): Promise<string[]> {
  const { phase, make } = PAGES[kind];
  const printedOn = localTime(ctx.now(), ctx.city.timezone).day;
  const written: string[] = [];
  const scopes = [undefined, ...ctx.districts.map((d) => d.adcode)];
  for (const period of periods) {
    for (const district of scopes) {
      const page = await make(ctx, { city: ctx.city, districts: ctx.districts, district }, period, printedOn);
      written.push(await store(ctx, { ...page, kind, period, district }));
      progress?.(phase, written.length, periods.length * scopes.length);
    }
  }
  return written;
}

/**
 * The months a run writes a 月报 for: each month that ended by `toDay` and has a day in the range
 * asked for, when this run did one of its days again or it has no 月报 yet (a scheduled run that
 * missed the month's end catches it up within its look-back, as it does the days).
 */
async function monthsToReport(
  ctx: NightlyContext,
  request: NightlyRequest,
  days: string[],
): Promise<string[]> {
  const done = new Set(days.map((d) => d.slice(0, 7)));
  const ended = [...new Set(dayList(request.fromDay, request.toDay).map((d) => d.slice(0, 7)))].filter(
    (m) => lastDayOfMonth(m) <= request.toDay,
  );
  const months: string[] = [];
  for (const month of ended) {
    const first = firstDayOfMonth(month);
    if (
      done.has(month) ||
      (await listBriefings(ctx.database, { kind: 'monthly', fromDay: first, toDay: first })).length === 0
    )
      months.push(month);
  }
  return months;
}

export async function runNightly(
  ctx: NightlyContext,
  request: NightlyRequest,
  progress?: NightlyProgress,
): Promise<NightlyResult> {
  let days = dayList(request.fromDay, request.toDay);
  if (request.onlyMissing) {
    const done = new Set((await listBriefings(ctx.database, request)).map((b) => b.day));
    days = days.filter((d) => !done.has(d));
  }
  const months = await monthsToReport(ctx, request, days);
  // A 月报 reads every day of its month: those days are rolled up (again) with the ones asked for.
  const span = [...days, ...months.flatMap((m) => [firstDayOfMonth(m), lastDayOfMonth(m)])].sort();
  const result = await rollup(
    ctx,
    span.length === 0 ? [] : dayList(span[0]!, span[span.length - 1]!),
    progress,
  );
  const driftLines = await reconcile(ctx);
  const briefings = await writePages(ctx, 'daily', days, progress);
  const monthly = await writePages(ctx, 'monthly', months, progress);
  return { days, rollup: result, driftLines, drift: driftLines?.length ?? null, briefings, months, monthly };
}

/** The job as the service's embedded scheduler takes it (`startServer({ nightly: nightlyJob })`). */
export const nightlyJob: NightlyJob = (ctx, request) => runNightly(ctx, request);
