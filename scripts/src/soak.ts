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
import { runMain, serviceConfig } from './env.ts';
import { seedCity } from './seed.ts';
import { startLoad } from './soak/load.ts';
import {
  freePort,
  hasRedisServer,
  sampleMemory,
  startService,
  ThrowawayRedis,
  type MemorySample,
} from './soak/processes.ts';
import { Walls } from './soak/walls.ts';

const MEMORY_SAMPLE_MS = 30_000;
/** After the load stops: time for the last patches to reach every client. */
const SETTLE_MS = 3_000;
const MB = 1024 * 1024;

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

async function soak(options: Options): Promise<boolean> {
  if (!hasRedisServer())
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
  const service = await startService({
    ...db.env,
    REDIS_URL: redis.url,
    SOCKETS_PER_KEY: String(options.clients * 2),
  });
  log(
    `service ${service.url} (pid ${service.pid}), Redis ${redis.url}, ${config.databaseUrl ? 'PostgreSQL' : 'PGlite'}`,
  );
  const startedAt = Date.now();
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
        `${load.stats.acknowledged} acknowledged · rss ${(m.rssBytes / MB).toFixed(0)} MB · heap ${(m.heapUsedBytes / MB).toFixed(0)} MB · ${JSON.stringify(walls.stats())}`,
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
  const [row] = await database.query<{ n: string }>('select count(*) as n from events');
  const stored = Number(row!.n);
  const rebuilt = await rebuiltCity(database, live.asOf, keys.viewer);
  await database.close();
  await db.drop();

  const checks = {
    acknowledgedEqualsStored: load.stats.acknowledged === stored,
    liveEqualsRebuild: valuesOf(live) === valuesOf(rebuilt),
    everyClientCurrent: clientsBehind === 0 && wallStats.connected === options.clients,
    cleanExit: exitCode === 0,
  };
  const report = {
    startedAt: new Date(startedAt).toISOString(),
    database: config.databaseUrl ? 'postgres' : 'pglite',
    options,
    redisBackAtS,
    load: load.stats,
    stored,
    clients: { ...wallStats, behind: clientsBehind },
    memory: {
      start: memory[0],
      end: memory.at(-1),
      peakRssBytes: Math.max(...memory.map((m) => m.rssBytes)),
      samples: memory,
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
acknowledged ${load.stats.acknowledged} · stored ${stored} · rejected ${load.stats.rejected} · requests ${load.stats.requests}
clients ${wallStats.connected}/${options.clients} connected, ${clientsBehind} behind · ${wallStats.metricsMessages} metrics messages · told live down ${wallStats.toldLiveDown}, back ${wallStats.toldLiveBack}
memory rss ${(start.rssBytes / MB).toFixed(0)} → ${(end.rssBytes / MB).toFixed(0)} MB (peak ${(report.memory.peakRssBytes / MB).toFixed(0)}) · heap ${(start.heapUsedBytes / MB).toFixed(0)} → ${(end.heapUsedBytes / MB).toFixed(0)} MB
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
