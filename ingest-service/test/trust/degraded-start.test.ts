/**
 * Start degraded, not dead (SPEC §3: the database is the truth). REDIS_URL is set but Redis is down
 * when the service starts: it starts anyway, ingests, serves every read (the numbers and the feed
 * too) from the database, and says
 * `live: down` on /readyz, on the sockets and in Prometheus. When Redis comes, the live store is
 * filled from the database and equals it, and the leader lease (with the periodic work) is taken.
 * A Redis of the test's own, so it runs on either database backend.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '@dudao/testkit';
import { freePort, HAS_REDIS_SERVER, killRedisServer, startRedisServer } from '@dudao/testkit/redis';
import { startTestService, type TestService } from '../../testing/index.ts';
import { HEALTH_CHECK_MS, LEADER_LEASE_MS } from '../../src/config.ts';
import { connectLive, type LiveClient } from './live-client.ts';
import {
  batch,
  expectEveryReadAnswered,
  expectFeedFromEventLog,
  expectServedEqualsDatabase,
} from './reads.ts';

const RECOVERY_MS = HEALTH_CHECK_MS * 4;
const ROUNDS_WHILE_DOWN = 3;
const EVENTS_PER_ROUND = 6;

async function prometheusGauge(svc: TestService, name: string): Promise<number> {
  const res = await svc.get('/api/v1/metrics/prometheus');
  const line = String(res.body)
    .split('\n')
    .find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

describe.skipIf(!HAS_REDIS_SERVER)('Redis down at start-up', () => {
  let port: number;
  let redis: ChildProcess | null = null;
  let svc: TestService;
  let wall: LiveClient;

  beforeAll(async () => {
    port = await freePort();
    svc = await startTestService({ redisUrl: `redis://127.0.0.1:${port}` });
    wall = await connectLive(svc.url, svc.keys.viewer);
  });
  afterAll(async () => {
    wall?.close();
    await svc?.close();
    if (redis) await killRedisServer(redis);
  });

  it('starts, and says live: down on /readyz, to the sockets and in Prometheus', async () => {
    const ready = await svc.get('/api/v1/readyz', null);
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'not_ready', db: 'ok', live: 'down' });
    await wall.waitHealth({ db: 'ok', live: 'down' });
    expect(await prometheusGauge(svc, 'dudao_live_store_up')).toBe(0);
    expect(await prometheusGauge(svc, 'dudao_database_up')).toBe(1);
    expect(svc.server.leadership.isLeader).toBe(false);
  });

  it('ingests, and serves the numbers, the feed and every other read from the database', async () => {
    for (let round = 0; round < ROUNDS_WHILE_DOWN; round++) {
      const res = await svc.post(batch(EVENTS_PER_ROUND));
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(EVENTS_PER_ROUND);
      await expectServedEqualsDatabase(svc);
      await expectFeedFromEventLog(svc);
    }
    const [issue] = await svc.database.query<{ id: string }>('select id from issues limit 1');
    await expectEveryReadAnswered(svc, issue!.id);
  });

  it('when Redis comes, fills the live store from the database, takes the lease, and goes on from there', async () => {
    const downEvents = ROUNDS_WHILE_DOWN * EVENTS_PER_ROUND;
    redis = await startRedisServer(port);
    const cameAt = performance.now();
    await wall.waitHealth({ db: 'ok', live: 'ok' }, RECOVERY_MS);
    const liveOkMs = performance.now() - cameAt;
    await until(() => svc.server.leadership.isLeader, LEADER_LEASE_MS, 'the lease taken');
    const leaderMs = performance.now() - cameAt;
    console.info(
      `degraded start: ${downEvents} events ingested while Redis was down; live: ok ${Math.round(liveOkMs)} ms ` +
        `and the lease ${Math.round(leaderMs)} ms after Redis answered`,
    );

    expect((await svc.get('/api/v1/readyz', null)).status).toBe(200);
    expect(await prometheusGauge(svc, 'dudao_live_store_up')).toBe(1);
    await expectServedEqualsDatabase(svc);
    expect((await svc.post(batch(4))).status).toBe(200);
    await expectServedEqualsDatabase(svc);
  });
});
