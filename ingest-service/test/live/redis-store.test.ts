/** What only the Redis store promises: many instances, the key layout, atomic refusal, no crash. */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { COUNTER_FIELD, type Delta } from '@dudao/domain';
import { RedisLiveStore } from '../../src/live/redis-store.ts';
import { DAY_TTL_SECONDS, MONTH_TTL_SECONDS } from '../../src/live/redis-keys.ts';
import { createRedis } from '../../src/redis/connections.ts';
import { LiveKeys } from '../../src/redis/keys.ts';
import { CITY, REDIS_URL, RedisBackend, TZ } from './backends.ts';

const A = '430202';
const T = Date.parse('2026-11-26T10:00:00+08:00');

describe.skipIf(!REDIS_URL)('redis live store', () => {
  const backend = new RedisBackend(REDIS_URL ?? '');
  afterAll(() => backend.cleanup());

  describe('many instances', () => {
    it('a second instance on another connection hears a change, and no instance hears its own twice', async () => {
      const namespace = backend.newNamespace();
      const first = await backend.open(namespace);
      const second = await backend.open(namespace, backend.connect(), backend.connect());
      const heardByFirst: string[][] = [];
      const heardBySecond: string[][] = [];
      first.onChange((d) => heardByFirst.push(d));
      second.onChange((d) => heardBySecond.push(d));

      await first.apply(
        [{ op: 'incr', district: A, bucket: 'total', field: COUNTER_FIELD.raised, by: 1 }],
        [],
      );
      await vi.waitFor(() => expect(heardBySecond).toEqual([[A]]));
      expect((await second.read([A], T)).counters.get(A)?.total).toEqual({ [COUNTER_FIELD.raised]: 1 });

      await second.touch([A]);
      await vi.waitFor(() => expect(heardByFirst).toEqual([[A], [A]]));
      // Pub/Sub keeps order: once second hears first's next change, an echo of its own would be in.
      await first.touch([A]);
      await vi.waitFor(() => expect(heardBySecond).toEqual([[A], [A], [A]]));
    });
  });

  describe('key layout', () => {
    it('puts every key under the city hash tag, with TTLs on day and month windows only', async () => {
      const namespace = backend.newNamespace();
      const store = await backend.open(namespace);
      await store.apply(
        [
          { op: 'incr', district: A, bucket: 'total', field: COUNTER_FIELD.inspections, by: 1 },
          { op: 'incr', district: A, bucket: 'day:2026-11-26', field: COUNTER_FIELD.inspections, by: 1 },
          { op: 'incr', district: A, bucket: 'month:2026-11', field: COUNTER_FIELD.inspections, by: 1 },
          { op: 'addMember', district: A, set: 'inspectors', window: '2026-11-26', member: 'P1' },
          { op: 'addMember', district: A, set: 'coveredSchools', window: '2026-11', member: 'S1' },
          { op: 'setDeadline', district: A, issueId: 'I1', deadlineMs: T },
          { op: 'seen', district: A, occurredAtMs: T },
        ],
        [],
      );
      const redis = backend.connect();
      const tag = `${namespace}:{${CITY}}:`;
      const keys = (await backend.keys(namespace)).sort();
      expect(keys.every((key) => key.startsWith(tag))).toBe(true);
      const live = new LiveKeys(namespace, CITY);
      const dayTtl = await redis.ttl(live.bucket(A, 'day:2026-11-26'));
      expect(dayTtl).toBeGreaterThan(DAY_TTL_SECONDS - 60);
      expect(dayTtl).toBeLessThanOrEqual(DAY_TTL_SECONDS);
      expect(await redis.ttl(live.members(A, 'inspectors', '2026-11-26'))).toBeLessThanOrEqual(
        DAY_TTL_SECONDS,
      );
      expect(await redis.ttl(live.bucket(A, 'month:2026-11'))).toBeGreaterThan(DAY_TTL_SECONDS);
      expect(await redis.ttl(live.members(A, 'coveredSchools', '2026-11'))).toBeLessThanOrEqual(
        MONTH_TTL_SECONDS,
      );
      // -1: the key exists and never expires
      expect(await redis.ttl(live.bucket(A, 'total'))).toBe(-1);
      expect(await redis.ttl(live.deadlines(A))).toBe(-1);
      expect(await redis.ttl(live.lastEventAt)).toBe(-1);
    });
  });

  describe('atomic apply', () => {
    it('refuses a batch with an increment Redis cannot store, writing none of it', async () => {
      const store = await backend.create();
      const batch: Delta[] = [
        { op: 'incr', district: A, bucket: 'total', field: COUNTER_FIELD.raised, by: 1 },
        { op: 'incr', district: A, bucket: 'total', field: COUNTER_FIELD.closeMsSum, by: 1.5 },
      ];
      await expect(store.apply(batch, [])).rejects.toThrow(RangeError);
      expect((await store.read([A], T)).counters.get(A)?.total).toEqual({});
    });
  });

  describe('connections', () => {
    it('ping is false, without throwing, when Redis is unreachable', async () => {
      const down = createRedis('redis://127.0.0.1:1', 'failFast', { lazyConnect: true });
      const store = new RedisLiveStore({ redis: down, subscriber: down, cityAdcode: CITY, timezone: TZ });
      await expect(store.ping()).resolves.toBe(false);
      await store.close();
      down.disconnect();
    });

    it('close leaves its channel, quits the subscriber it made and leaves the caller connections open', async () => {
      const redis = backend.connect();
      const subscriber = backend.connect();
      const [ns1, ns2] = [backend.newNamespace(), backend.newNamespace()];
      const channels = [new LiveKeys(ns1, CITY).channel, new LiveKeys(ns2, CITY).channel];
      const given = new RedisLiveStore({ redis, subscriber, cityAdcode: CITY, timezone: TZ, namespace: ns1 });
      const made = new RedisLiveStore({ redis, cityAdcode: CITY, timezone: TZ, namespace: ns2 });
      await Promise.all([given.subscribed, made.subscribed]);
      expect(await redis.pubsub('NUMSUB', ...channels)).toEqual([channels[0], 1, channels[1], 1]);

      await Promise.all([given.close(), made.close()]);
      await vi.waitFor(async () =>
        expect(await redis.pubsub('NUMSUB', ...channels)).toEqual([channels[0], 0, channels[1], 0]),
      );
      expect(redis.status).toBe('ready');
      // The given subscriber is open and, out of its channel, a normal connection again.
      expect(await subscriber.ping()).toBe('PONG');
    });
  });
});
