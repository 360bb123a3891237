/**
 * Faults, PostgreSQL goes away (SPEC §5): ingest answers 503 with Retry-After, acknowledges nothing
 * it did not commit, and recovers by itself when the database returns. The service reaches
 * PostgreSQL through a TCP proxy the test cuts, blackholes or makes lose one answer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireServiceUrl, ev } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { HEALTH_CHECK_MS } from '../../src/config.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { connectLive, type LiveClient } from './live-client.ts';
import { ledgerViolations, rebuiltSnapshot, values } from './truth.ts';

const DATABASE_URL = requireServiceUrl('DATABASE_URL');
/** Short, so the blackhole case answers quickly; production's default is DEFAULT_LIMITS'. */
const QUERY_TIMEOUT_MS = 1_000;
/** What an error body must never carry: a stack frame or the SQL of a failed query. */
const LEAK = /\bat .*:\d+:\d+|failed query|select |insert |pg_advisory/i;

const now = () => new Date().toISOString();
const batch = (n: number) => Array.from({ length: n }, () => ev.started(now()));

async function storedIds(svc: TestService, ids: string[]): Promise<string[]> {
  const rows = await svc.database.query<{ id: string }>('select id from events where id = any($1)', [ids]);
  return rows.map((r) => r.id);
}

describe.skipIf(!DATABASE_URL)('PostgreSQL goes away (needs DATABASE_URL: PGlite cannot go away)', () => {
  let pg: TcpProxy;
  let svc: TestService;
  let wall: LiveClient;

  beforeAll(async () => {
    const target = new URL(DATABASE_URL!);
    pg = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    svc = await startTestService({
      databaseVia: (url) => pg.urlFor(url),
      limits: { dbQueryTimeoutMs: QUERY_TIMEOUT_MS },
    });
    // Keys are checked (and remembered) while the database is there, as on a running wall.
    expect((await svc.post(batch(1))).status).toBe(200);
    wall = await connectLive(svc.url, svc.keys.viewer);
  });
  afterEach(() => pg.restore());
  afterAll(async () => {
    wall?.close();
    await svc?.close();
    await pg?.close();
  });

  it('answers 503 with Retry-After, stores nothing and tells the sockets db: down', async () => {
    pg.cut();
    const events = batch(5);
    const res = await svc.post(events);
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('unavailable');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toMatch(LEAK);
    const read = await svc.get('/api/v1/districts/430211/schools');
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).not.toBeNull();
    expect(JSON.stringify(read.body)).not.toMatch(LEAK);
    await wall.waitHealth({ db: 'down' }, HEALTH_CHECK_MS * 3);
    expect(
      await storedIds(
        svc,
        events.map((e) => e.id),
      ),
    ).toEqual([]);
  });

  it('recovers by itself when the database returns: the retried request is then accepted', async () => {
    pg.cut();
    const events = batch(3);
    expect((await svc.post(events)).status).toBe(503);
    pg.restore();
    const retry = await svc.post(events);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    await wall.waitHealth({ db: 'ok' }, HEALTH_CHECK_MS * 3);
    expect(wall.healths.at(-1)).toEqual({ db: 'ok', live: 'ok' });
  });

  it('a database that stops answering without a reset fails requests at the query timeout, not never', async () => {
    pg.blackhole();
    const res = await svc.post(batch(2));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
    pg.restore();
    expect((await svc.post(batch(2))).status).toBe(200);
  });

  it('a commit whose answer was lost: 503, a retry is a duplicate, and the live store catches up', async () => {
    const events = batch(4);
    // A group is written by one statement that commits on its own (no COMMIT statement follows).
    const lost = pg.loseAnswerTo('insert into "events"');
    const res = await svc.post(events);
    await lost;
    expect(res.status).toBe(503);
    // The database did commit: the sender was told to retry, and the retry is harmless.
    expect(
      await storedIds(
        svc,
        events.map((e) => e.id),
      ),
    ).toHaveLength(4);
    expect((await svc.post(events)).body).toEqual({ accepted: 0, duplicates: 4, rejected: [] });
    await vi.waitFor(
      async () => {
        const live = await svc.metrics();
        expect(values(live)).toEqual(values(await rebuiltSnapshot(svc.database, live.asOf)));
      },
      { timeout: HEALTH_CHECK_MS * 3, interval: 200 },
    );
    expect(await ledgerViolations(svc.database)).toEqual([]);
  });
});
