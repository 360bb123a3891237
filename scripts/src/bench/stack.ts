/**
 * What a benchmark runs against: a fresh, seeded database (a new PostgreSQL database, or PGlite in a
 * temporary folder) and the REAL service in a process of its own, so the load generator (this
 * process) and the service each have their event loop — on 2 cores they still share the CPU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase, type ScratchDatabase } from '@dudao/db';
import { closeRedis, createKey, createRedis, namespacePattern } from '@dudao/ingest-service';
import { DEFAULT_CITY_ID } from '@dudao/domain/cities';
import { seedCity } from '../seed.ts';

export const BENCH_CITY = DEFAULT_CITY_ID;
const SERVICE_SCRIPT = fileURLToPath(new URL('./service-process.ts', import.meta.url));
/** Node flags for the service process, e.g. `--cpu-prof --cpu-prof-dir=prof` to profile it. */
const SERVICE_NODE_FLAGS = (process.env.BENCH_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
/** Where each service process's log (warnings and errors, e.g. why a request got a 503) is kept. */
export const SERVICE_LOG_DIR = process.env.BENCH_SERVICE_LOG_DIR ?? join(tmpdir(), 'dudao-bench-logs');

export type Backend = 'postgres' | 'embedded';

/** A fresh database with the city and its demo registry. */
export async function createBenchDatabase(backend: Backend, serverUrl: string | undefined) {
  if (backend === 'postgres' && !serverUrl) throw new Error('the PostgreSQL benchmarks need DATABASE_URL');
  const db = await createScratchDatabase({
    serverUrl: backend === 'postgres' ? serverUrl : undefined,
    prefix: 'dudao_bench',
  });
  const database = await db.open();
  try {
    await seedCity(database, { city: BENCH_CITY });
    const ingest = (await createKey(database, { role: 'ingest', scope: 'city' })).token;
    const viewer = (await createKey(database, { role: 'viewer', scope: 'city' })).token;
    return { db, keys: { ingest, viewer } };
  } finally {
    await database.close();
  }
}

export interface ServiceProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `script` (default: the Dudao service) with node and the given environment; resolves with
 * the URL it prints on its first stdout line.
 */
export function startProcess(env: Record<string, string | undefined>, script = SERVICE_SCRIPT) {
  const child: ChildProcess = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', 'tsx', script], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<ServiceProcess>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    mkdirSync(SERVICE_LOG_DIR, { recursive: true });
    const log = join(SERVICE_LOG_DIR, `service-${child.pid}.log`);
    let ready = false;
    // Log lines (JSON with a `level`) go to the file as they come, so a failing run that exits at
    // once loses none; the ready line is the one with the URL.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = ready ? undefined : readyUrl(line);
      if (!url) return appendFileSync(log, `${line}\n`);
      ready = true;
      resolve({
        url,
        pid: child.pid!,
        // SIGINT: the service closes cleanly (and node writes a --cpu-prof profile).
        stop: async () => {
          child.kill('SIGINT');
          await exited;
        },
      });
    });
  });
}

function readyUrl(line: string): string | undefined {
  try {
    const parsed = JSON.parse(line) as { url?: unknown; level?: unknown };
    return parsed.level === undefined && typeof parsed.url === 'string' ? parsed.url : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes every Redis key of a finished service's namespace. */
async function dropNamespace(redisUrl: string, namespace: string): Promise<void> {
  const redis = createRedis(redisUrl, 'queueing');
  try {
    for await (const keys of redis.scanStream({ match: namespacePattern(namespace), count: 1000 }))
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
  } finally {
    await closeRedis(redis);
  }
}

export interface ServiceOptions {
  /** the built dashboard to serve (default: none) */
  dashboardDir?: string;
  /** more environment for the service process (e.g. `BENCH_WAL_SYNC`, see service-process.ts) */
  env?: Record<string, string>;
}

/**
 * The Dudao service over `db` (and Redis when `redisUrl` is given), in its own process, with a
 * Redis namespace of its own that `stop()` deletes.
 */
export async function startService(
  db: ScratchDatabase,
  redisUrl: string | undefined,
  options: ServiceOptions = {},
): Promise<ServiceProcess> {
  const [service] = await startInstances(db, redisUrl, 1, options);
  return service!;
}

/**
 * `count` instances of the service over one database and one Redis namespace — one deployment, as
 * `pnpm serve --instances N` runs it — each in its own process; the last one stopped deletes the
 * namespace.
 */
export async function startInstances(
  db: ScratchDatabase,
  redisUrl: string | undefined,
  count: number,
  options: ServiceOptions = {},
): Promise<ServiceProcess[]> {
  const namespace = `dudao-bench-${randomBytes(4).toString('hex')}`;
  const env = {
    ...db.env,
    REDIS_URL: redisUrl ?? '',
    DUDAO_NAMESPACE: namespace,
    DASHBOARD_DIR: options.dashboardDir ?? '/nonexistent',
    ...options.env,
  };
  // The first one migrates and takes the lease; the others join a deployment that is up.
  const first = await startProcess(env);
  const others = await Promise.all(Array.from({ length: count - 1 }, () => startProcess(env)));
  let running = count;
  return [first, ...others].map((service) => ({
    ...service,
    stop: async () => {
      await service.stop();
      if (--running === 0 && redisUrl) await dropNamespace(redisUrl, namespace);
    },
  }));
}
