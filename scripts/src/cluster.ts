/**
 * `pnpm serve --instances N`: N instances of the service on consecutive ports over one PostgreSQL
 * and one Redis, for a local try of the scaled-out setup (docs/deploy.md puts nginx in front).
 * Each instance is its own process, as in production; the first one starts alone, so a first start
 * prints its keys once, then the others join it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServiceConfig } from '@dudao/ingest-service';

const SERVE_SCRIPT = fileURLToPath(new URL('./serve.ts', import.meta.url));
/** The line `pnpm serve` prints once it listens. */
const READY_LINE = /^dudao serving /;
/** What a second Ctrl-C (or a child that will not stop) gets. */
const STOP_GRACE_MS = 10_000;

export function instancesFromArgs(argv: readonly string[]): number {
  const at = argv.findIndex((a) => a === '--instances' || a.startsWith('--instances='));
  if (at === -1) return 1;
  const value = argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error('--instances takes a whole number ≥ 1');
  return n;
}

/** Why N instances cannot run on this configuration, or null when they can. */
export function clusterRefusal(config: ServiceConfig): string | null {
  const missing = [
    ...(config.databaseUrl ? [] : ['DATABASE_URL']),
    ...(config.redisUrl ? [] : ['REDIS_URL']),
  ];
  if (missing.length === 0) return null;
  return (
    `several instances share one PostgreSQL and one Redis: set ${missing.join(' and ')} ` +
    `(the embedded database and the in-process live store belong to one process)`
  );
}

/** Spawns one instance into `children` (so a stop reaches it while it starts); resolves when it listens. */
function startInstance(children: ChildProcess[], index: number, port: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE_SCRIPT], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance ${index} exited with ${code} while starting`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(`[${index}:${port}] ${line}`);
      if (READY_LINE.test(line)) resolve();
    });
  });
}

export async function runCluster(config: ServiceConfig, instances: number): Promise<void> {
  const refusal = clusterRefusal(config);
  if (refusal) throw new Error(refusal);
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const child of children) child.kill('SIGTERM');
    setTimeout(() => process.exit(1), STOP_GRACE_MS).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await startInstance(children, 0, config.port);
    const rest = Array.from({ length: instances - 1 }, (_, i) =>
      startInstance(children, i + 1, config.port + i + 1),
    );
    await Promise.all(rest);
  } catch (err) {
    stop();
    throw err;
  }
  const last = config.port + instances - 1;
  console.log(`${instances} instances on ports ${config.port}–${last}; Ctrl-C stops them all`);
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
}
