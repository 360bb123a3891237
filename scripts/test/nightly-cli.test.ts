/**
 * SPEC §10 `pnpm nightly` as its own process. On the embedded database it refuses while the service
 * owns DATA_DIR (and says the embedded scheduler is the way), and once the service is stopped it
 * rolls up and briefs, saying it cannot reach the in-process live store. On PostgreSQL + Redis it
 * reconciles the shared live store: a corrupted counter is printed as drift and `--strict` exits 1.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@dudao/db';
import { openTestDatabase, requireServiceUrl, ev, seedTestRegistry, TY } from '@dudao/testkit';
import { addDays, COUNTER_FIELD, localTime } from '@dudao/domain';
import { createKey, startServer, type RunningServer } from '@dudao/ingest-service';
import { testNamespace } from '@dudao/testkit/redis';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const YESTERDAY = addDays(localTime(Date.now(), 'Asia/Shanghai').day, -1);
const at = (hhmm: string) => `${YESTERDAY}T${hhmm}:00+08:00`;
/** A CLI run opens the embedded database from its files: slow on a busy 2-core machine. */
const CLI_TEST_TIMEOUT_MS = 120_000;
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** `pnpm nightly …` with this environment; resolves with its exit code and output. */
function nightly(args: string[], env: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/src/nightly.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, CITY: 'zhuzhou', ...env },
    });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function serveAndPost(database: Database, extra: { dataDir: string; redisUrl?: string; ns?: string }) {
  await seedTestRegistry(database);
  const server: RunningServer = await startServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    database,
    dataDir: extra.dataDir,
    redisUrl: extra.redisUrl,
    ...(extra.ns ? { redisNamespace: extra.ns } : {}),
    city: 'zhuzhou',
    dashboardDir: '/nonexistent',
    corsOrigins: [],
  });
  const { token } = await createKey(database, { role: 'ingest', scope: 'city' });
  const res = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify([
      ev.started(at('09:00'), { inspectionId: 'N1-insp' }),
      ev.raised(at('09:30'), at('12:00'), { issueId: 'N1-issue' }),
    ]),
  });
  expect(((await res.json()) as { accepted: number }).accepted).toBe(2);
  return server;
}

describe('SPEC §10 pnpm nightly', () => {
  it.runIf(!requireServiceUrl('DATABASE_URL'))(
    'on the embedded database: refused while the service runs, then rollups and briefing',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'dudao-cli-'));
      dirs.push(dataDir);
      const database = await openDatabase({ dataDir });
      const server = await serveAndPost(database, { dataDir });
      const busy = await nightly(['--date', YESTERDAY], { DATA_DIR: dataDir });
      expect(busy.code).toBe(1);
      expect(busy.out).toContain("service's own scheduler runs the nightly at 01:30");
      await server.close();
      await database.close();

      const run = await nightly(['--date', YESTERDAY, '--strict'], { DATA_DIR: dataDir });
      expect(run.out).toContain('live store: in-process, inside the running service');
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/rollups: 2 day\(s\), \d+ values/);
      expect(existsSync(join(dataDir, 'reports', `${YESTERDAY}.html`))).toBe(true);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it.runIf(!!requireServiceUrl('DATABASE_URL') && !!requireServiceUrl('REDIS_URL'))(
    'on PostgreSQL + Redis: prints each drifted metric and exits 1 with --strict, then 0 once repaired',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'dudao-cli-'));
      dirs.push(dataDir);
      const test = await openTestDatabase();
      const ns = testNamespace('cli');
      const redisUrl = requireServiceUrl('REDIS_URL')!;
      const server = await serveAndPost(test.database, { dataDir, redisUrl, ns });
      try {
        await server.live.apply(
          [{ op: 'incr', district: TY, bucket: 'total', field: COUNTER_FIELD.open, by: 5 }],
          [],
        );
        const env = { DATABASE_URL: test.url, REDIS_URL: redisUrl, REDIS_NAMESPACE: ns, DATA_DIR: dataDir };
        const drifted = await nightly(['--date', YESTERDAY, '--strict'], env);
        expect(drifted.out).toContain(`drift: ${TY} 天元区 issues.open: live 6, database 1`);
        expect(drifted.out).toContain('1 metric(s) had drifted');
        expect(drifted.code).toBe(1);
        // The service's own reads see the repaired shared store.
        const { counters } = await server.live.read([TY], Date.now());
        expect(counters.get(TY)?.total[COUNTER_FIELD.open]).toBe(1);
        const clean = await nightly(['--date', YESTERDAY, '--strict'], env);
        expect(clean.out).toContain('0 metric(s) had drifted');
        expect(clean.code).toBe(0);
      } finally {
        await server.close();
        await test.drop();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
