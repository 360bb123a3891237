/**
 * Faults, Redis goes away (SPEC §3: the database is the truth, the live store is derived): ingest
 * keeps answering 2xx, sockets get `health` live: down, reads come from the database, and when Redis returns the live store is
 * rebuilt and equals the database, without a restart. The service reaches Redis through a TCP proxy
 * the test cuts, or through a Redis of the test's own that it kills and starts again empty.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireServiceUrl } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { freePort, HAS_REDIS_SERVER, killRedisServer, startRedisServer } from '@dudao/testkit/redis';
import { HEALTH_CHECK_MS } from '../../src/config.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { connectLive, type LiveClient } from './live-client.ts';
import {
  batch,
  expectEveryReadAnswered,
  expectFeedFromEventLog,
  expectServedEqualsDatabase,
} from './reads.ts';

const REDIS_URL = requireServiceUrl('REDIS_URL');
const RECOVERY_MS = HEALTH_CHECK_MS * 4;

describe.skipIf(!REDIS_URL)('Redis goes away (needs REDIS_URL: the in-process store cannot)', () => {
  let redis: TcpProxy;
  let svc: TestService;
  let wall: LiveClient;

  beforeAll(async () => {
    const target = new URL(REDIS_URL!);
    redis = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    svc = await startTestService({ redisVia: (url) => redis.urlFor(url) });
    expect((await svc.post(batch(4))).status).toBe(200);
    wall = await connectLive(svc.url, svc.keys.viewer);
  });
  afterAll(async () => {
    wall?.close();
    await svc?.close();
    await redis?.close();
  });

  it('ingest keeps accepting while Redis is away, and the sockets are told live: down', async () => {
    redis.cut();
    for (let round = 0; round < 3; round++) {
      const res = await svc.post(batch(6));
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(6);
    }
    await wall.waitHealth({ live: 'down', db: 'ok' });
    // The numbers are read from the database meanwhile: they include what was ingested since.
    await expectServedEqualsDatabase(svc);
    // So is the feed, and every other read answers.
    await expectFeedFromEventLog(svc);
    const [issue] = await svc.database.query<{ id: string }>('select id from issues limit 1');
    await expectEveryReadAnswered(svc, issue!.id);
  });

  it('when Redis returns, the live store is rebuilt and equals the database, without a restart', async () => {
    redis.restore();
    await wall.waitHealth({ live: 'ok' }, RECOVERY_MS);
    await expectServedEqualsDatabase(svc);
    // The feed too: Redis's list missed the events ingested while it was away, the rebuild put them in.
    await expectFeedFromEventLog(svc);
    // And it goes on from there incrementally.
    expect((await svc.post(batch(3))).status).toBe(200);
    await expectServedEqualsDatabase(svc);
  });
});

describe.skipIf(!REDIS_URL || !HAS_REDIS_SERVER)('Redis restarts and comes back empty', () => {
  let port: number;
  let server: ChildProcess;
  let svc: TestService;

  beforeAll(async () => {
    port = await freePort();
    server = await startRedisServer(port);
    svc = await startTestService({ redisVia: () => `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await svc?.close();
    server?.kill('SIGKILL');
  });

  it('is noticed by the dropped connection, even between two health checks, and refilled from the database', async () => {
    expect((await svc.post(batch(8))).status).toBe(200);
    await expectServedEqualsDatabase(svc);
    await killRedisServer(server);
    server = await startRedisServer(port);
    // Ready again means read from the refilled Redis, not from the database: numbers and feed alike.
    await vi.waitFor(
      async () => {
        expect((await svc.get('/api/v1/readyz', null)).status).toBe(200);
        await expectServedEqualsDatabase(svc);
        await expectFeedFromEventLog(svc);
      },
      { timeout: RECOVERY_MS, interval: 200 },
    );
    expect((await svc.get('/api/v1/metrics')).body.metrics.inspections.total).toBe(4);
  });
});
