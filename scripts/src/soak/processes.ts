/**
 * The processes a soak run owns: a throwaway Redis (no persistence, so a restart comes back empty)
 * and the service as production runs it (`pnpm serve`), whose memory the run samples.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { killRedisServer, startRedisServer } from '@dudao/testkit/redis';

const SERVE_SCRIPT = fileURLToPath(new URL('../serve.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** What `pnpm serve` prints once it listens. */
const READY_LINE = /dudao serving .* on (http:\/\/\S+)/;
/** PGlite's first start (initdb, migrations) takes minutes on a loaded 2-core machine. */
const START_TIMEOUT_MS = 600_000;

/** A Redis of the run's own on `port`; `kill` loses its data (nothing is saved), `start` begins empty. */
export class ThrowawayRedis {
  private child: ChildProcess | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = await startRedisServer(this.port);
  }

  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child) await killRedisServer(child);
  }
}

export interface ServiceProcess {
  url: string;
  pid: number;
  /** SIGTERM, then the exit code (null if it ended by a signal) */
  stop(): Promise<number | null>;
}

/** What V8's `--trace-gc` prints after a full collection: the heap before → after, in MB. */
const FULL_GC_LINE = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/;

/**
 * Starts `pnpm serve` with `env` on a free port; resolves once it listens. It runs with V8's
 * `--trace-gc`, and `onFullGc` is told the heap left after each full collection: what the service
 * really holds, unlike the heap used at a random moment (garbage not yet collected included).
 */
export async function startService(
  env: Record<string, string>,
  onFullGc: (heapAfterBytes: number) => void = () => {},
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--trace-gc', '--import', 'tsx', SERVE_SCRIPT], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const gc = FULL_GC_LINE.exec(line);
    if (gc) onFullGc(Number(gc[1]) * 1024 * 1024);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // or it would hold the embedded database's files for the next try
      reject(new Error(`the service did not start:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY_LINE.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      // From here on only the collections matter: keeping the output would grow for hours.
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.stderr.resume();
      resolve(ready[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`the service exited while starting:\n${output}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface MemorySample {
  /** seconds since the run began */
  atS: number;
  rssBytes: number;
  heapUsedBytes: number;
}

/** Resident memory of a process (Linux /proc), and its V8 heap as its Prometheus metrics say. */
export async function sampleMemory(
  pid: number,
  metricsUrl: string,
  viewerKey: string,
  startedAt: number,
): Promise<MemorySample> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  const text = await (await fetch(metricsUrl, { headers: { authorization: `Bearer ${viewerKey}` } })).text();
  const heap = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN);
  return { atS: Math.round((Date.now() - startedAt) / 1000), rssBytes: rssKb * 1024, heapUsedBytes: heap };
}
