/**
 * What the nightly's tests share: the scripted city on a test service, the job's context over it,
 * plans, and reading a report's tables.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { NightlyContext } from '@dudao/ingest-service';
import type { TestClock } from '@dudao/testkit';
import { scenarioEvents } from '@dudao/testkit/nightly-scenario';
import { startTestService, type TestService } from '@dudao/ingest-service/testing';

/** The nightly's context over `s`, its districts the registry's, its lines into `lines`. */
export function nightlyContext(
  s: TestService,
  dir: string,
  lines: string[],
  now: () => number,
): NightlyContext {
  const { registry } = s.server;
  return {
    database: s.database,
    city: registry.city,
    districts: [...registry.districts.values()].map((d) => ({ adcode: d.adcode, name: d.name })),
    live: s.server.live,
    pipeline: s.server.pipeline,
    dataDir: dir,
    now,
    log: (line) => lines.push(line),
  };
}

/** The cells of the report table row whose first cell is `first`, as `|a|b|…|` (null without one). */
export function tableRow(html: string, first: string): string | null {
  const m = new RegExp(`<tr><td[^>]*>${first}</td>(.*?)</tr>`).exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|') : null;
}

/** A city-wide 一月一主题 plan over the schools for the days `from`..`to` (the double-reduction theme). */
export const themePlan = (id: string, title: string, from: string, to: string) => ({
  id,
  kind: 'theme',
  title,
  scope: 'city',
  from,
  to,
  theme: 'double_reduction',
  targets: { kind: 'school' },
});

/**
 * A test service on `clock` with the nightly scenario (and `extra` events) posted and `plans` made,
 * and a scratch DATA_DIR; `close` removes both.
 */
export async function scenarioService(
  clock: TestClock,
  extra: object[],
  plans: object[],
): Promise<{ svc: TestService; dataDir: string; close(): Promise<void> }> {
  const svc = await startTestService({ clock });
  const dataDir = await mkdtemp(join(tmpdir(), 'dudao-nightly-'));
  const res = await svc.post([...extra, ...scenarioEvents()]);
  expect(res.body.rejected).toEqual([]);
  for (const plan of plans)
    expect((await svc.request('POST', '/api/v1/plans', svc.keys.admin, plan)).status).toBe(201);
  return {
    svc,
    dataDir,
    async close() {
      await svc.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
