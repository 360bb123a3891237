/**
 * Durable commits on the embedded default (SPEC §5: a 2xx survives any crash after it, a power cut
 * included). PGlite's own fsync is a no-op, so `pnpm serve` on PGlite runs under strace and the
 * test reads the system calls: for every acknowledged request, the WAL it wrote (pwrite on a
 * pg_wal segment) is followed by an fdatasync of that segment, and the answer (the socket write of
 * "HTTP/1.1 200") comes only after the sync has returned. Requests go one at a time, so each is a
 * group of its own. The same test runs in both CI passes: it is about PGlite whatever the backend.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@dudao/db';
import { createKey } from '../../src/index.ts';
import { startChildService } from '../helpers/child-service.ts';
import { ev, seedTestRegistry } from '@dudao/testkit';

const REQUESTS = 6;
/** PGlite's initdb, and `pnpm serve` compiling under strace: slow on a busy 2-core machine. */
const TRACED_TEST_MS = 180_000;

const hasStrace = spawnSync('strace', ['-V']).status === 0;
if (!hasStrace && process.env.CI === 'true')
  throw new Error('strace must be installed when CI=true (apt-get install -y strace)');

type Step = 'walWrite' | 'walSync' | 'answer';

/**
 * The steps of interest, in the order they completed. strace -f splits a call that another
 * thread interrupts into "<unfinished ...>" and "<... resumed>": it counts where it returned.
 */
function stepsOf(trace: string): Step[] {
  const pending = new Map<string, string>();
  const steps: Step[] = [];
  for (const line of trace.split('\n')) {
    const resumed = /^(\d+)\s+<\.\.\. \w+ resumed>/.exec(line);
    const pid = /^(\d+)\s/.exec(line)?.[1];
    if (!pid) continue;
    if (line.endsWith('<unfinished ...>')) {
      pending.set(pid, line);
      continue;
    }
    const call = resumed ? pending.get(pid) : line;
    if (resumed) pending.delete(pid);
    const step = call && classify(call);
    if (step) steps.push(step);
  }
  return steps;
}

function classify(call: string): Step | undefined {
  const parsed = /^\d+\s+(\w+)\(\d+<([^>]*)>(.*)$/.exec(call);
  if (!parsed) return undefined;
  const [, name = '', target = '', rest = ''] = parsed;
  const walSegment = /\/pg_wal\/[0-9A-F]{24}$/.test(target);
  if (walSegment && (name === 'pwrite64' || name === 'write')) return 'walWrite';
  if (walSegment && (name === 'fdatasync' || name === 'fsync')) return 'walSync';
  if (target.startsWith('TCP') && /^(write|writev)$/.test(name) && rest.includes('"HTTP/1.1 200'))
    return 'answer';
  return undefined;
}

/** The process strace runs (its only child). */
const tracedPid = (stracePid: number): number =>
  Number(readFileSync(`/proc/${stracePid}/task/${stracePid}/children`, 'utf8').trim().split(' ')[0]);

describe.skipIf(!hasStrace)('durable commits on PGlite (strace)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dudao-durability-'));
  const traceFile = join(dataDir, 'strace.txt');
  let ingestKey: string;

  beforeAll(async () => {
    const database = await openDatabase({ dataDir });
    await seedTestRegistry(database);
    ingestKey = (await createKey(database, { role: 'ingest', scope: 'city' })).token;
    await database.close();
  }, TRACED_TEST_MS);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'syncs the WAL of every acknowledged group before answering it',
    async () => {
      const strace = ['strace', '-f', '-qq', '-yy', '-s', '16', '-o', traceFile];
      const syscalls = ['-e', 'trace=pwrite64,write,writev,fdatasync,fsync'];
      const child = await startChildService(
        { DATA_DIR: dataDir },
        { wrapper: [...strace, ...syscalls, '--'], startTimeoutMs: TRACED_TEST_MS / 2 },
      );
      try {
        for (let i = 0; i < REQUESTS; i++) {
          const res = await fetch(`${child.url}/api/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
            body: JSON.stringify(ev.started(new Date().toISOString())),
          });
          expect(res.status).toBe(200);
          expect(await res.json()).toMatchObject({ accepted: 1 });
        }
      } finally {
        // strace blocks fatal signals while it runs a program: the service itself is stopped.
        process.kill(tracedPid(child.pid), 'SIGTERM');
        await child.exited;
      }

      const steps = stepsOf(readFileSync(traceFile, 'utf8'));
      const answers = steps.flatMap((step, i) => (step === 'answer' ? [i] : []));
      expect(answers).toHaveLength(REQUESTS);
      answers.forEach((at, k) => {
        const window = steps.slice(k === 0 ? 0 : answers[k - 1]! + 1, at);
        // the group's commit wrote the WAL, and nothing of it was left unsynced at the answer
        expect(window, `request ${k + 1}`).toContain('walWrite');
        expect(window.lastIndexOf('walSync'), `request ${k + 1}`).toBeGreaterThan(
          window.lastIndexOf('walWrite'),
        );
      });
    },
    TRACED_TEST_MS,
  );
});
