/**
 * `pnpm nightly [--date D | --from D --to D] [--strict]` (SPEC §10): daily rollups of the days
 * (default: yesterday, city time), reconciliation of the live store, and each day's briefing in
 * DATA_DIR/reports, with the 月报 of each month that ended within the days. It runs in its own process, so it reconciles the live store only where it can
 * reach it: Redis (REDIS_URL). The in-process store lives inside the running service, whose embedded
 * scheduler reconciles it at 01:30; on the embedded database (PGlite) the running service owns
 * DATA_DIR, so there the embedded scheduler is the way (or stop the service first).
 */
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import type { Database } from '@dudao/db';
import { addDays, localTime } from '@dudao/domain';
import { cityPackById } from '@dudao/domain/cities';
import {
  createLiveStore,
  DEFAULT_NAMESPACE,
  openRunLock,
  type LiveStore,
  type NightlyContext,
} from '@dudao/ingest-service';
import { openConfiguredDatabase, serviceConfig } from './env.ts';
import { runNightly, type NightlyPhase } from './nightly/job.ts';
import { terminalBars } from './progress-bars.ts';

/** Exit codes: 0 done, 1 failed or (with --strict) drift found, 2 another run holds the lock. */
const EXIT_LOCKED = 2;
const PHASE_LABEL: Record<NightlyPhase, string> = {
  rollup: 'rollups  ',
  briefing: 'briefings',
  monthly: '月报      ',
};
/** What a phase counts: days rolled up, pages (a scope's briefing or 月报) written. */
const PHASE_UNIT: Record<NightlyPhase, string> = { rollup: 'days', briefing: 'pages', monthly: 'pages' };

function day(value: string): string {
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value)
    throw new InvalidArgumentError('expected a day, YYYY-MM-DD');
  return value;
}

async function openDatabaseOrExplain(config: ReturnType<typeof serviceConfig>): Promise<Database> {
  try {
    return await openConfiguredDatabase(config);
  } catch (err) {
    if (!config.databaseUrl && err instanceof Error && err.message.includes('in use by process'))
      throw new Error(
        `${err.message}. On the embedded database the running service's own scheduler runs the nightly ` +
          `at 01:30 city time (NIGHTLY_CRON); stop the service to run it by hand`,
      );
    throw err;
  }
}

export async function main(argv: string[]): Promise<number> {
  const config = serviceConfig();
  const pack = cityPackById(config.city);
  const yesterday = addDays(localTime(Date.now(), pack.timezone).day, -1);
  const opts = new Command('nightly')
    .description(
      'daily rollups, live-store reconciliation, the briefing (督导简报) and, at a month end, the 月报',
    )
    .option('--date <day>', 'one day (default: yesterday, city time)', day)
    .option('--from <day>', 'first day of a backfill', day)
    .option('--to <day>', 'last day of a backfill (default: yesterday)', day)
    .option('--strict', 'exit 1 when the live store had drifted from the database')
    .parse(argv)
    .opts<{ date?: string; from?: string; to?: string; strict?: boolean }>();
  if (opts.date && (opts.from || opts.to)) throw new Error('give --date or --from/--to, not both');
  const fromDay = opts.date ?? opts.from ?? opts.to ?? yesterday;
  const toDay = opts.date ?? opts.to ?? yesterday;
  if (fromDay > toDay) throw new Error(`--from ${fromDay} is after --to ${toDay}`);

  const database = await openDatabaseOrExplain(config);
  const namespace = config.redisNamespace;
  const live: LiveStore | null = config.redisUrl
    ? createLiveStore({
        redisUrl: config.redisUrl,
        cityAdcode: pack.adcode,
        timezone: pack.timezone,
        ...(namespace ? { namespace } : {}),
      })
    : null;
  const { lock, close: closeLock } = openRunLock({
    database,
    redisUrl: config.redisUrl,
    namespace: namespace ?? DEFAULT_NAMESPACE,
  });
  const bars = terminalBars(' {phase} [{bar}] {value}/{total} {unit}', (phase: NightlyPhase) => ({
    phase: PHASE_LABEL[phase],
    unit: PHASE_UNIT[phase],
  }));
  try {
    const districts = await database.query<{ adcode: string; name: string }>(
      'select adcode, name from districts where city_adcode = $1 order by adcode',
      [pack.adcode],
    );
    const ctx: NightlyContext = {
      database,
      city: { adcode: pack.adcode, name: pack.name, timezone: pack.timezone },
      districts,
      live,
      // This process does not ingest: the city's ingest lock alone keeps the rebuild safe.
      pipeline: { runExclusive: (task) => task() },
      dataDir: config.dataDir,
      now: Date.now,
      log: (line) => console.log(line),
    };
    console.log(
      `nightly for ${pack.name}, ${fromDay === toDay ? fromDay : `${fromDay}..${toDay}`} (${database.kind})`,
    );
    const run = await lock.tryRun(`nightly:${pack.adcode}`, () =>
      runNightly(ctx, { fromDay, toDay, onlyMissing: false }, bars.onProgress),
    );
    bars.stop();
    if (!run.ran) {
      console.error('another nightly run (the service or a CLI) holds the lock; try again later');
      return EXIT_LOCKED;
    }
    const r = run.value;
    console.log(
      `rollups: ${r.rollup.days} day(s), ${r.rollup.rows} values, ${r.rollup.changed} written, ${r.rollup.removed} removed`,
    );
    for (const path of r.briefings) console.log(`briefing: ${path}`);
    for (const path of r.monthly) console.log(`monthly report: ${path}`);
    return opts.strict && (r.drift ?? 0) > 0 ? 1 : 0;
  } finally {
    bars.stop();
    await closeLock();
    await live?.close();
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`nightly failed: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.DEBUG) console.error(err);
      process.exit(1);
    },
  );
}
