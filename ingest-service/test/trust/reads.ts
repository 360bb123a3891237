/**
 * Every read route answers while the live store is away (SPEC §3: the database is the truth), and
 * the feed is the event log's, the numbers served are the database's: the checks the Redis fault
 * tests share, and the events they post.
 */
import { expect } from 'vitest';
import type { Database } from '@dudao/db';
import { apiRoutes } from '../helpers/routes.ts';
import { ev, TY } from '@dudao/testkit';
import { type TestService } from '../../testing/index.ts';
import { ledgerCounts, rebuiltSnapshot, snapshotCounts, values } from './truth.ts';

/**
 * Routes for a load balancer's probes (they report the outage), a person's session, and the backup
 * (a copy of the whole database between two ingest groups: `backup-restore` tests it).
 */
const NOT_READS = ['/api/v1/healthz', '/api/v1/readyz', '/api/v1/session', '/api/v1/admin/backup'];
const BRIEFING_DAY = '2026-11-25';
const NO_PLAN = 'no-such-plan';

const now = () => new Date().toISOString();

/** `n` events happening now: inspections started and issues raised (open for long), in turn. */
export const batch = (n: number) =>
  Array.from({ length: n }, (_, i) => (i % 2 ? ev.started(now()) : ev.raised(now(), '2099-01-01T00:00:00Z')));

/** The numbers served equal a rebuild from the database, and their counts those of the ledger. */
export async function expectServedEqualsDatabase(svc: TestService): Promise<void> {
  const res = await svc.get('/api/v1/metrics?scope=city');
  expect(res.status).toBe(200);
  expect(values(res.body)).toEqual(values(await rebuiltSnapshot(svc.database, res.body.asOf)));
  expect(snapshotCounts(res.body)).toEqual(await ledgerCounts(svc.database));
}

/**
 * Every GET route under /api/, parameters filled in, with an admin key (which may read everything):
 * 200, except what the database rightly says is not there (no nightly ran, so no briefing; no plan
 * was made).
 */
export async function expectEveryReadAnswered(svc: TestService, issueId: string): Promise<void> {
  const expected: Record<string, number> = {
    [`/api/v1/briefings/${BRIEFING_DAY}`]: 404,
    [`/api/v1/plans/${NO_PLAN}/unvisited`]: 404,
  };
  const reads = apiRoutes(svc.server.app, {
    ':adcode': TY,
    ':issueId': issueId,
    ':period': BRIEFING_DAY,
    ':id': NO_PLAN,
  }).filter((r) => r.method === 'GET' && !NOT_READS.includes(r.path));
  expect(reads.map((r) => r.path)).toContain('/api/v1/feed');
  for (const { path } of reads) {
    const res = await svc.get(path, svc.keys.admin);
    expect(res.status, `GET ${path}: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(expected[path] ?? 200);
  }
}

/** The ids of the event log's newest events of `scope` (the city or a district) but `except`, newest first. */
export async function newestEventIds(
  database: Pick<Database, 'query'>,
  scope: string,
  limit: number,
  except: readonly string[] = [],
): Promise<string[]> {
  const rows = await database.query<{ id: string }>(
    `select id from events where id <> all($2) ${scope === 'city' ? '' : 'and district = $3'}
      order by received_at desc, occurred_at desc, id collate "C" desc limit $1`,
    scope === 'city' ? [limit, except] : [limit, except, scope],
  );
  return rows.map((r) => r.id);
}

/** The feeds of the city and of 天元区 are the event log's newest events, newest first. */
export async function expectFeedFromEventLog(svc: TestService): Promise<void> {
  for (const scope of ['city', TY]) {
    const newest = await newestEventIds(svc.database, scope, 20);
    const res = await svc.get(`/api/v1/feed?scope=${scope}&limit=20`);
    expect(res.status, `feed of ${scope}`).toBe(200);
    expect(newest.length).toBeGreaterThan(0);
    expect(res.body.map((item: { id: string }) => item.id)).toEqual(newest);
  }
}
