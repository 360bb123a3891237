/** The leader lease: one holder at a time, renewed only while it is ours, handed over on close. */
import { afterAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { testNamespace } from '@dudao/testkit/redis';
import { closeRedis, connectTestRedis } from '../../testing/index.ts';
import { requireServiceUrl, sleep, until } from '@dudao/testkit';
import { RedisLeaderLease, SoloLeadership } from '../../src/cluster/index.ts';
import { leaderLeaseKey } from '../../src/redis/keys.ts';

const REDIS_URL = requireServiceUrl('REDIS_URL');
const TTL_MS = 300;
const connections: Redis[] = [];

describe('without Redis', () => {
  it('the single instance leads from start to close', async () => {
    const solo = new SoloLeadership('solo');
    const changes: boolean[] = [];
    solo.on('change', (v) => changes.push(v));
    await solo.start();
    expect(solo.isLeader).toBe(true);
    await solo.close();
    expect(changes).toEqual([true, false]);
  });
});

describe.skipIf(!REDIS_URL)('with Redis (needs REDIS_URL)', () => {
  const key = leaderLeaseKey(testNamespace('lease'), '430200');
  const lease = (id: string) => {
    const redis = connectTestRedis(REDIS_URL!);
    connections.push(redis);
    return new RedisLeaderLease({ redis, key, instanceId: id, ttlMs: TTL_MS });
  };
  afterAll(async () => {
    await connections[0]?.del(key);
    await Promise.all(connections.map((c) => closeRedis(c)));
  });

  it('one holder at a time; a closing holder hands over without waiting for the ttl', async () => {
    const first = lease('first');
    const second = lease('second');
    await first.start();
    await second.start();
    expect([first.isLeader, second.isLeader]).toEqual([true, false]);
    // Renewals keep it: several ttls later the first still leads.
    await sleep(TTL_MS * 3);
    expect([first.isLeader, second.isLeader]).toEqual([true, false]);
    await first.close();
    await until(() => second.isLeader, TTL_MS);
    await second.close();
  });

  it('a holder whose lease was taken (it expired while it stalled) steps down, never renews another’s', async () => {
    const holder = lease('holder');
    await holder.start();
    expect(holder.isLeader).toBe(true);
    await connections[0]!.set(key, 'usurper', 'PX', 60_000);
    await until(() => !holder.isLeader, TTL_MS);
    expect(await connections[0]!.get(key)).toBe('usurper');
    await holder.close();
    // Its release must not delete the other's lease.
    expect(await connections[0]!.get(key)).toBe('usurper');
  });
});
