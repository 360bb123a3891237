/** createLiveStore: the configuration picks the backend (SPEC §3). */
import { describe, expect, it } from 'vitest';
import { createLiveStore } from '../../src/live/index.ts';
import { CITY, REDIS_URL, TZ } from './backends.ts';

describe('createLiveStore', () => {
  it('is the in-process store when no Redis URL is configured', async () => {
    const store = createLiveStore({ cityAdcode: CITY, timezone: TZ });
    expect(store.kind).toBe('memory');
    expect(await store.ping()).toBe(true);
    await store.close();
  });

  it.skipIf(!REDIS_URL)(
    'is the Redis store with a URL, and close() quits the connections it made',
    async () => {
      const store = createLiveStore({ redisUrl: REDIS_URL, cityAdcode: CITY, timezone: TZ });
      expect(store.kind).toBe('redis');
      await store.feed('city', 1);
      expect(await store.ping()).toBe(true);
      await store.close();
      expect(await store.ping()).toBe(false);
    },
  );
});
