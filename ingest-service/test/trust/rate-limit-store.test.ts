/**
 * The shared rate-limit count reserved in blocks (`ReservingRedisStore`), on a real Redis: never more
 * than the limit across instances, at most one block per other instance refused early, a window that
 * ends counts from 1 again, and a busy key costs Redis a few calls instead of one per request.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { requireServiceUrl } from '@dudao/testkit';
import { testNamespace } from '@dudao/testkit/redis';
import { closeRedis, connectTestRedis, dropNamespace } from '../../testing/index.ts';
import { rateLimitPrefix } from '../../src/redis/keys.ts';
import { ReservingRedisStore } from '../../src/redis/rate-limit-store.ts';

const REDIS_URL = requireServiceUrl('REDIS_URL');
const NAMESPACE = testNamespace('rate-store');

type Counted = { current: number; ttl: number };

/** `n` requests of `key` at once through `store`, each answered with its count and TTL. */
const requests = (store: ReservingRedisStore, key: string, n: number, windowMs: number, max: number) =>
  Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Counted>((resolve, reject) =>
          store.incr(key, (err, res) => (err ? reject(err) : resolve(res!)), windowMs, max),
        ),
    ),
  );

describe.skipIf(!REDIS_URL)('rate-limit counts reserved from Redis in blocks', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = connectTestRedis(REDIS_URL!);
  });
  afterAll(async () => {
    await dropNamespace(redis, NAMESPACE);
    await closeRedis(redis);
  });
  const store = () => new ReservingRedisStore(redis, rateLimitPrefix(NAMESPACE));

  it('two instances never grant more than the limit, and refuse at most one block of the other early', async () => {
    const max = 1_000; // blocks of at most 10
    const [a, b] = [store(), store()];
    const answers = (
      await Promise.all([
        requests(a, 'shared', 400, 60_000, max),
        requests(b, 'shared', 400, 60_000, max),
        requests(a, 'shared', 400, 60_000, max),
        requests(b, 'shared', 400, 60_000, max),
      ])
    ).flat();
    const granted = answers.filter((r) => r.current <= max).length;
    expect(granted).toBeLessThanOrEqual(max);
    expect(granted).toBeGreaterThanOrEqual(max - 10);
    // Each granted request holds its own place in the count.
    const places = answers.filter((r) => r.current <= max).map((r) => r.current);
    expect(new Set(places).size).toBe(places.length);
    for (const r of answers) {
      expect(r.ttl).toBeGreaterThan(0);
      expect(r.ttl).toBeLessThanOrEqual(60_000);
    }
  });

  it('is exact for a small limit, one after another across instances', async () => {
    const [a, b] = [store(), store()];
    const counts: number[] = [];
    for (let i = 0; i < 6; i++)
      counts.push((await requests(i % 2 ? b : a, 'small', 1, 60_000, 4))[0]!.current);
    expect(counts.map((c) => c <= 4)).toEqual([true, true, true, true, false, false]);
  });

  it('a busy key costs a few Redis calls, not one per request', async () => {
    const s = store();
    const reserve = vi.spyOn(redis, 'dudaoRateReserve');
    try {
      for (let i = 0; i < 20; i++) await requests(s, 'busy', 100, 60_000, 600_000);
      // 2,000 requests: blocks grow 1, 2, 4, … up to 6,000 (1 % of the limit)
      expect(reserve.mock.calls.length).toBeLessThan(40);
    } finally {
      reserve.mockRestore();
    }
  });

  it('counts from 1 again once the window ended', async () => {
    const s = store();
    const first = await requests(s, 'window', 3, 300, 2);
    expect(first.map((r) => r.current > 2)).toEqual([false, false, true]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const next = await requests(s, 'window', 1, 300, 2);
    expect(next[0]!.current).toBe(1);
  });
});
