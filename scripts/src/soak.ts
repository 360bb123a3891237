/**
 * `pnpm soak [--minutes 10] [--clients 500] [--rate 100] [--senders 4] [--redis-down-s 5] [--out file]`
 *
 * The service as production runs it (`pnpm serve`, a process of its own) over a fresh database
 * (PostgreSQL when DATABASE_URL is set, else PGlite in a temporary folder) and a Redis of this
 * run's own, under the simulator's city at a flat rate plus hundreds of wall clients, for minutes.
 * Half-way, that Redis is killed and started again empty. At the end: every acknowledged event is
 * stored and nothing else (acknowledged == stored), the live store equals a rebuild from the
 * database, every client shows the current numbers, the service stops cleanly on SIGTERM, and its
 * memory at start and end is reported. Exits non-zero when a check fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { createScratchDatabase, type Database } from '@dudao/db';
import type { Snapshot } from '@dudao/domain';
import { cityPackById } from '@dudao/domain/cities';
import { createKey, startServer } from '@dudao/ingest-service';
import { freePort, HAS_REDIS_SERVER } from '@dudao/testkit/redis';
import { runMain, serviceConfig } from './env.ts';
import { seedCity } from './seed.ts';
import { startLoad } from './soak/load.ts';
import {
  sampleMemory,
  startService,
  ThrowawayRedis,
  type MemorySample,
  type ServiceProcess,
} from './soak/processes.ts';
import { Walls } from './soak/walls.ts';

const MEMORY_SAMPLE_MS = 30_000;
const START_ATTEMPTS = 3;
/** After the load stops: time for the last patches to reach every client. */
const SETTLE_MS = 3_000;
const MB = 1024 * 1024;
/** The heap a long run may end with, relative to the same measure early in the run. */
const HEAP_FLAT_TOLERANCE = 1.2;

interface Options {
  minutes: number;
  clients: number;
  rate: number;
  senders: number;
  redisDownS: number;
  out?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * The service's start fails now and then on a loaded machine (its first Redis command times out
 * while PGlite's start-up holds the event loop): the soak measures the hours after, so it tries again.
 */
async function startWithRetries(start: () => Promise<ServiceProcess>): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= START_ATTEMPTS) throw err;
      log(`the service did not start (attempt ${attempt}), trying again: ${String(err).slice(-300)}`);
    }
  }
}

/** The city snapshot a rebuild from the database gives at `asOf`: a server of its own, in-process store. */
async function rebuiltCity(database: Database, asOf: string, viewerKey: string): Promise<Snapshot> {
  const config = serviceConfig();
  const server = await startServer({
    ...config,
    port: 0,
    host: '127.0.0.1',
    database,
    redisUrl: undefined,
    dashboardDir: '/nonexistent',
    now: () => Date.parse(asOf),
  });
  try {
    const res = await fetch(`${server.url}/api/v1/metrics?scope=city`, {
      headers: { authorization: `Bearer ${viewerKey}` },
    });
    return (await res.json()) as Snapshot;
  } finally {
    await server.close();
  }
}

const valuesOf = (s: Snapshot) => JSON.stringify({ metrics: s.metrics, districts: s.districts });
const mb = (bytes: number) => (bytes / MB).toFixed(0);

interface FullGc {
  atS: number;
  heapAfterBytes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * What the service holds, from the heap left after its full collections: the median in the run's
 * second tenth (the first is warm-up: caches filling, code compiling) against the median in its last
 * tenth. Flat means the late figure is within HEAP_FLAT_TOLERANCE of the early one.
 */
function retainedHeap(fullGcs: FullGc[]): { earlyBytes: number; lateBytes: number; flat: boolean } {
  const endS = fullGcs.at(-1)?.atS ?? 0;
  const within = (from: number, to: number) =>
    fullGcs.filter((g) => g.atS >= from * endS && g.atS <= to * endS).map((g) => g.heapAfterBytes);
  const earlyBytes = median(within(0.1, 0.2));
  const lateBytes = median(within(0.9, 1));
  return { earlyBytes, lateBytes, flat: lateBytes <= earlyBytes * HEAP_FLAT_TOLERANCE };
}

async function soak(options: Options): Promise<boolean> {
  if (!HAS_REDIS_SERVER)
    throw new Error('the soak restarts a Redis of its own: it needs redis-server on PATH');
  const config = serviceConfig();
  const pack = cityPackById(config.city);
  // A database of the run's own: a new PostgreSQL database, or PGlite in a temporary folder.
  const db = await createScratchDatabase({ serverUrl: config.databaseUrl, prefix: 'dudao_soak' });
  const setup = await db.open();
  await seedCity(setup, { city: config.city });
  const keys = {
    ingest: (await createKey(setup, { role: 'ingest', scope: 'city', label: 'soak' })).token,
    viewer: (await createKey(setup, { role: 'viewer', scope: 'city', label: 'soak' })).token,
  };
  await setup.close();

  const redis = new ThrowawayRedis(await freePort());
  await redis.start();
  const startedAt = Date.now();
  const fullGcs: FullGc[] = [];
  const service = await startWithRetries(() =>
    startService(
      { ...db.env, REDIS_URL: redis.url, SOCKETS_PER_KEY: String(options.clients * 2) },
      (heapAfterBytes) => fullGcs.push({ atS: Math.round((Date.now() - startedAt) / 1000), heapAfterBytes }),
    ),
  ).catch(async (err: unknown) => {
    await redis.kill();
    throw err;
  });
  log(
    `service ${service.url} (pid ${service.pid}), Redis ${redis.url}, ${config.databaseUrl ? 'PostgreSQL' : 'PGlite'}`,
  );
  const memory: MemorySample[] = [];
  const sample = async () =>
    memory.push(
      await sampleMemory(service.pid, `${service.url}/api/v1/metrics/prometheus`, keys.viewer, startedAt),
    );
  await sample();

  const walls = new Walls(service.url, keys.viewer);
  const scopes = ['city', ...pack.districts.map((d) => d.adcode)];
  await walls.connect(options.clients, scopes);
  log(`${options.clients} clients connected over ${scopes.length} scopes`);
  const load = await startLoad({
    url: service.url,
    ingestKey: keys.ingest,
    viewerKey: keys.viewer,
    ratePerS: options.rate,
    senders: options.senders,
    seed: 20261126,
  });
  const sampler = setInterval(() => {
    void sample().then(() => {
      const m = memory.at(-1)!;
      log(
        `${load.stats.acknowledged} acknowledged · rss ${mb(m.rssBytes)} MB · heap ${mb(m.heapUsedBytes)} MB, after the last full GC ${mb(fullGcs.at(-1)?.heapAfterBytes ?? NaN)} MB · ${JSON.stringify(walls.stats())}`,
      );
    });
  }, MEMORY_SAMPLE_MS);

  const durationMs = options.minutes * 60_000;
  await sleep(durationMs / 2);
  log('killing Redis (its data is lost)');
  await redis.kill();
  await sleep(options.redisDownS * 1000);
  await redis.start();
  const redisBackAtS = Math.round((Date.now() - startedAt) / 1000);
  log('Redis is back, empty');
  await sleep(durationMs / 2);

  await load.stop();
  clearInterval(sampler);
  await sleep(SETTLE_MS);
  await sample();
  const read = async (scope: string) =>
    (await (
      await fetch(`${service.url}/api/v1/metrics?scope=${scope}`, {
        headers: { authorization: `Bearer ${keys.viewer}` },
      })
    ).json()) as Snapshot;
  const clientsBehind = await walls.behind(read);
  const wallStats = walls.stats();
  const live = await read('city');
  walls.close();
  const exitCode = await service.stop();
  await redis.kill();

  const database = await db.open();
  const storedIds = new Set((await database.query<{ id: string }>('select id from events')).map((r) => r.id));
  const stored = storedIds.size;
  const rebuilt = await rebuiltCity(database, live.asOf, keys.viewer);
  await database.close();
  await db.drop();

  // Sets, not counts: one lost event and one stored-but-refused event must not cancel out.
  const lost = [...load.acknowledgedIds].filter((id) => !storedIds.has(id));
  const storedUnacknowledged = [...storedIds].filter((id) => !load.acknowledgedIds.has(id));
  const retained = retainedHeap(fullGcs);
  const checks = {
    acknowledgedEqualsStored: lost.length === 0 && storedUnacknowledged.length === 0,
    liveEqualsRebuild: valuesOf(live) === valuesOf(rebuilt),
    everyClientCurrent: clientsBehind === 0 && wallStats.connected === options.clients,
    cleanExit: exitCode === 0,
    heapFlat: retained.flat,
  };
  const report = {
    startedAt: new Date(startedAt).toISOString(),
    database: config.databaseUrl ? 'postgres' : 'pglite',
    options,
    redisBackAtS,
    load: load.stats,
    stored,
    ids: {
      acknowledged: load.acknowledgedIds.size,
      lost: lost.length,
      storedUnacknowledged: storedUnacknowledged.length,
      examples: [...lost.slice(0, 5), ...storedUnacknowledged.slice(0, 5)],
    },
    clients: { ...wallStats, behind: clientsBehind },
    memory: {
      start: memory[0],
      end: memory.at(-1),
      peakRssBytes: Math.max(...memory.map((m) => m.rssBytes)),
      retained,
      samples: memory,
      fullGcs,
    },
    serviceExitCode: exitCode,
    checks,
  };
  const out =
    options.out ?? join(config.dataDir, 'reports', `soak-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2));
  const [start, end] = [report.memory.start!, report.memory.end!];
  console.log(`
acknowledged ${load.stats.acknowledged} (${load.acknowledgedIds.size} ids) · stored ${stored} · lost ${lost.length} · stored but not acknowledged ${storedUnacknowledged.length} · rejected ${load.stats.rejected} · requests ${load.stats.requests}
clients ${wallStats.connected}/${options.clients} connected, ${clientsBehind} behind · ${wallStats.metricsMessages} metrics messages · told live down ${wallStats.toldLiveDown}, back ${wallStats.toldLiveBack}
memory rss ${mb(start.rssBytes)} → ${mb(end.rssBytes)} MB (peak ${mb(report.memory.peakRssBytes)}) · heap ${mb(start.heapUsedBytes)} → ${mb(end.heapUsedBytes)} MB · after full GCs (median) ${mb(retained.earlyBytes)} MB in the run's 2nd tenth → ${mb(retained.lateBytes)} MB in its last (${fullGcs.length} full GCs)
checks ${JSON.stringify(checks)}
report ${out}`);
  return Object.values(checks).every(Boolean);
}

const program = new Command('soak')
  .description('ingest + wall clients for minutes, Redis restarted half-way; acknowledged == stored')
  .option('--minutes <n>', 'length of the run', Number, 10)
  .option('--clients <n>', 'Socket.IO clients', Number, 500)
  .option('--rate <events/s>', 'events per second, day and night', Number, 100)
  .option('--senders <n>', 'concurrent senders', Number, 4)
  .option('--redis-down-s <n>', 'seconds Redis stays away', Number, 5)
  .option('--out <file>', 'JSON report (default DATA_DIR/reports/soak-….json)')
  .parse();

runMain(async () => {
  const ok = await soak(program.opts<Options>());
  process.exit(ok ? 0 : 1);
});
