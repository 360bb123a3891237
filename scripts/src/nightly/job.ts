/**
 * The nightly job (SPEC §10), the same whether the service's embedded scheduler runs it or the
 * `pnpm nightly` CLI: daily rollups of the days asked for (and of the day before them, which the
 * briefing compares with), reconciliation of the live store when this process can reach it, and
 * one briefing per day for the city and one for each district, stored in the database and written to
 * `DATA_DIR/reports/YYYY-MM-DD.html` (a district's under `reports/<adcode>/`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { listBriefings, rollupDays, saveBriefing, type RollupResult } from '@dudao/db';
import { addDays, dayList, localTime } from '@dudao/domain';
import {
  formatDrift,
  reconcileLiveStore,
  type Drift,
  type NightlyContext,
  type NightlyJob,
  type NightlyRequest,
  type NightlySummary,
} from '@dudao/ingest-service';
import { loadBriefingData } from './briefing/data.ts';
import { renderBriefingHtml } from './briefing/html.ts';

/** Days per rollup statement: each reads the whole history once, so a month's backfill is one pass. */
export const ROLLUP_DAYS_PER_PASS = 31;

export type NightlyPhase = 'rollup' | 'briefing';
export type NightlyProgress = (phase: NightlyPhase, done: number, total: number) => void;

export interface NightlyResult extends NightlySummary {
  rollup: RollupResult;
  /** null when the live store was not reachable from this process */
  driftLines: Drift[] | null;
}

/** Where a briefing's file goes: `reports/DAY.html` for the city, `reports/ADCODE/DAY.html` for a district. */
export function reportPath(dataDir: string, day: string, district?: string): string {
  return district === undefined
    ? join(dataDir, 'reports', `${day}.html`)
    : join(dataDir, 'reports', district, `${day}.html`);
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

async function brief(ctx: NightlyContext, days: string[], progress?: NightlyProgress): Promise<string[]> {
  const written: string[] = [];
  const printedOn = localTime(ctx.now(), ctx.city.timezone).day;
  const toFiles = !ctx.dataDir.startsWith('memory://');
  // The city's briefing, then each district's own (SPEC §15).
  const scopes = [undefined, ...ctx.districts.map((d) => d.adcode)];
  let done = 0;
  for (const day of days) {
    for (const district of scopes) {
      const data = await loadBriefingData(ctx.database, {
        city: ctx.city,
        districts: ctx.districts,
        day,
        district,
      });
      const html = renderBriefingHtml(data, { printedOn });
      await saveBriefing(ctx.database, { day, issueNo: data.issueNo, html, scope: data.scope });
      if (toFiles) {
        const path = reportPath(ctx.dataDir, day, district);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, html);
        written.push(path);
      } else {
        written.push(district === undefined ? day : `${district}/${day}`);
      }
      progress?.('briefing', ++done, days.length * scopes.length);
    }
  }
  return written;
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
  const result = await rollup(ctx, days, progress);
  const driftLines = await reconcile(ctx);
  const briefings = await brief(ctx, days, progress);
  return { days, rollup: result, driftLines, drift: driftLines?.length ?? null, briefings };
}

/** The job as the service's embedded scheduler takes it (`startServer({ nightly: nightlyJob })`). */
export const nightlyJob: NightlyJob = (ctx, request) => runNightly(ctx, request);
