/**
 * `pnpm bench [--only ingest,eventlog,cluster,fanout,wall,nightly,embedded] [--wall-minutes N] [--quick] [--no-write]`
 * Measures SPEC §11 on this machine, each figure against a baseline measured in the same run,
 * prints the table and writes it to docs/benchmarks.md. Needs DATABASE_URL and REDIS_URL (and
 * Chromium for the wall); the embedded rows need nothing.
 */
import { Command } from 'commander';
import { runMain } from '../env.ts';
import { clusterIngestSuite } from './cluster.ts';
import { eventLogSuite } from './event-log.ts';
import { fanoutSuite } from './fanout.ts';
import { nightlySuite } from './nightly.ts';
import { machine, machineLoad, textTable, type Row } from './report.ts';
import { writeBenchmarksDoc } from './doc.ts';
import { ingestSuite, measureBaselines, type IngestSizes } from './suite-ingest.ts';
import { SERVICE_LOG_DIR } from './stack.ts';
import { wallSuite } from './wall.ts';

const SECTIONS = ['ingest', 'eventlog', 'cluster', 'fanout', 'wall', 'nightly', 'embedded'] as const;
type Section = (typeof SECTIONS)[number];

const FULL: IngestSizes = {
  batchedEvents: 200_000,
  cannonSeconds: 10,
  connections: 100,
  latencyRate: 2000,
  latencyPerRequest: 10,
  latencySeconds: 15,
};
const QUICK: IngestSizes = { ...FULL, batchedEvents: 20_000, cannonSeconds: 3, latencySeconds: 4 };
/** Embedded: PGlite is one in-process connection; a smaller batch keeps the run short. */
const EMBEDDED_EVENTS_SHARE = 0.25;
const DEFAULT_WALL_MINUTES = 3;
/** The event log micro-bench: rows per method and round, rounds (methods alternate their order). */
const EVENT_LOG = { rows: 100_000, rounds: 2 };
const QUICK_EVENT_LOG = { rows: 10_000, rounds: 1 };
/** Batched events for the one- vs three-instance comparison (each). */
const CLUSTER_EVENTS = 60_000;
const NIGHTLY_EVENTS = 1_000_000;

function parseSections(value: string): Section[] {
  const names = value.split(',').map((s) => s.trim());
  for (const n of names) if (!(SECTIONS as readonly string[]).includes(n)) throw new Error(`no section ${n}`);
  return names as Section[];
}

runMain(async () => {
  const opts = new Command('bench')
    .option('--only <sections>', `comma-separated: ${SECTIONS.join(',')}`, parseSections, [...SECTIONS])
    .option(
      '--wall-minutes <n>',
      'how long the wall runs for its second heap reading',
      Number,
      DEFAULT_WALL_MINUTES,
    )
    .option('--quick', 'small sizes, for trying the harness')
    .option('--no-write', 'print the table only')
    .parse(process.argv)
    .opts<{ only: Section[]; wallMinutes: number; quick?: boolean; write: boolean }>();
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const redisUrl = process.env.REDIS_URL || undefined;
  if (!databaseUrl || !redisUrl)
    throw new Error('pnpm bench needs DATABASE_URL and REDIS_URL (see docs/benchmarks.md)');
  const sizes = opts.quick ? QUICK : FULL;
  const want = new Set(opts.only);
  const started = performance.now();
  const load = machineLoad();
  console.log(`pnpm bench on ${machine()}, ${load}\nservice logs in ${SERVICE_LOG_DIR}\n`);

  const rows: Row[] = [];
  const baselines =
    want.has('ingest') || want.has('embedded') ? await measureBaselines(databaseUrl, sizes) : null;
  if (want.has('ingest'))
    rows.push(...(await ingestSuite('postgres', { databaseUrl, redisUrl }, sizes, baselines!)));
  if (want.has('eventlog'))
    rows.push(...(await eventLogSuite(databaseUrl, opts.quick ? QUICK_EVENT_LOG : EVENT_LOG)));
  if (want.has('cluster'))
    rows.push(
      ...(await clusterIngestSuite(databaseUrl, redisUrl, {
        events: opts.quick ? CLUSTER_EVENTS / 10 : CLUSTER_EVENTS,
      })),
    );
  if (want.has('fanout')) rows.push(...(await fanoutSuite(databaseUrl, redisUrl, { quick: !!opts.quick })));
  if (want.has('wall'))
    rows.push(
      ...(await wallSuite(databaseUrl, redisUrl, { minutes: opts.wallMinutes, quick: !!opts.quick })),
    );
  if (want.has('nightly'))
    rows.push(
      ...(await nightlySuite(databaseUrl, redisUrl, opts.quick ? NIGHTLY_EVENTS / 20 : NIGHTLY_EVENTS)),
    );
  if (want.has('embedded')) {
    const embedded = { ...sizes, batchedEvents: Math.round(sizes.batchedEvents * EMBEDDED_EVENTS_SHARE) };
    rows.push(
      ...(await ingestSuite(
        'embedded',
        { databaseUrl: undefined, redisUrl: undefined },
        embedded,
        baselines!,
      )),
    );
  }

  const minutes = (performance.now() - started) / 60_000;
  console.log(`\n${textTable(rows)}\n\n(${minutes.toFixed(1)} minutes)`);
  if (opts.write && !opts.quick) {
    const path = writeBenchmarksDoc(rows, {
      machine: `${machine()}, ${load}`,
      minutes,
      wallMinutes: opts.wallMinutes,
    });
    console.log(`written to ${path}`);
  }
  // Sockets of finished clients may keep handles open a little longer; the run is over.
  process.exit(0);
});
