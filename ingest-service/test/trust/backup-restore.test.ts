/**
 * `pnpm backup` and `pnpm restore` as an operator runs them: events go into a running `pnpm serve`,
 * the backup is taken while it runs (embedded: from the service, an admin key; PostgreSQL: pg_dump),
 * one more event arrives after it, the service stops, the database is wiped and restored, and the
 * service starts again. The restored database holds exactly the ids acknowledged before the backup,
 * and the restarted service shows the numbers it showed then (live == rebuild == before).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '@dudao/domain';
import { startChildService, type ChildService } from '../helpers/child-service.ts';
import { ev } from '@dudao/testkit';
import { deployment, type Deployment } from './deployment.ts';
import { ledgerViolations, rebuiltSnapshot, values } from './truth.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const REQUESTS = 4;
const EVENTS_PER_REQUEST = 10;
/** Two starts of `pnpm serve` and two CLI runs, each opening the database: slow on a busy machine. */
const TEST_MS = 600_000;
const START_MS = TEST_MS / 4;

/** `pnpm <script> …args` with the deployment's environment; its exit code and output. */
function cli(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/src/${script}.ts`, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function post(service: ChildService, key: string, events: { id: string }[]): Promise<string[]> {
  const res = await fetch(`${service.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ accepted: events.length, rejected: [] });
  return events.map((e) => e.id);
}

async function cityNow(service: ChildService, key: string): Promise<Snapshot> {
  const res = await fetch(`${service.url}/api/v1/metrics?scope=city`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return (await res.json()) as Snapshot;
}

async function stop(service: ChildService): Promise<void> {
  service.kill('SIGTERM');
  expect(await service.exited).toEqual({ code: 0, signal: null });
}

describe('backup while running → wipe → restore', () => {
  let d: Deployment;
  const workDir = mkdtempSync(join(tmpdir(), 'dudao-backup-'));
  beforeAll(async () => {
    d = await deployment();
  }, TEST_MS);
  afterAll(async () => {
    await d?.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it(
    'gives back exactly the acknowledged ids, and the same numbers on the wall',
    { timeout: TEST_MS },
    async () => {
      const embedded = !d.env.DATABASE_URL;
      const file = join(workDir, embedded ? 'backup.tar.gz' : 'backup.dump');
      const first = await startChildService(d.env, { startTimeoutMs: START_MS });
      const acknowledged: string[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const now = new Date().toISOString();
        const events = Array.from({ length: EVENTS_PER_REQUEST }, (_, j) =>
          j % 2 === 0 ? ev.started(now) : ev.raised(now, '2099-01-01T00:00:00Z'),
        );
        acknowledged.push(...(await post(first, d.keys.ingest, events)));
      }
      const before = await cityNow(first, d.keys.viewer);

      const backup = await cli('backup', ['--out', file, '--url', first.url, '--key', d.keys.admin], d.env);
      expect(backup.code, backup.out).toBe(0);
      expect(backup.out).toContain(embedded ? 'asking the service' : 'pg_dump');
      expect(backup.out).toMatch(/backup written: .* MB\)/);
      const afterBackup = await post(first, d.keys.ingest, [ev.started(new Date().toISOString())]);
      await stop(first);

      await d.wipe();
      const restore = await cli('restore', [file], d.env);
      expect(restore.code, restore.out).toBe(0);

      const stored = await d.withDatabase(async (database) => {
        expect(await ledgerViolations(database)).toEqual([]);
        const rows = await database.query<{ id: string }>('select id from events');
        return rows.map((r) => r.id);
      });
      expect(new Set(stored)).toEqual(new Set(acknowledged));
      expect(stored).not.toContain(afterBackup[0]);

      const second = await startChildService(d.env, { startTimeoutMs: START_MS });
      const live = await cityNow(second, d.keys.viewer);
      await stop(second);
      expect(values(live)).toEqual(values(before));
      await d.withDatabase(async (database) =>
        expect(values(live)).toEqual(values(await rebuiltSnapshot(database, live.asOf))),
      );
    },
  );
});
