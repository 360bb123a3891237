/** The live store of SPEC §3: in-process by default, Redis when REDIS_URL is set. */
import { MemoryLiveStore } from './memory-store.ts';
import { createRedis } from '../redis/connections.ts';
import { RedisLiveStore } from './redis-store.ts';
import type { LiveStore } from './store.ts';

export * from './store.ts';
export { MemoryLiveStore, type MemoryLiveStoreOptions } from './memory-store.ts';
export { RedisLiveStore, type RedisLiveStoreOptions } from './redis-store.ts';
export { DAY_TTL_SECONDS, MONTH_TTL_SECONDS } from './redis-keys.ts';

export interface LiveStoreConfig {
  /** absent → the in-process store */
  redisUrl?: string | undefined;
  cityAdcode: string;
  timezone: string;
  /** Redis key namespace (default `dudao`), so deployments or test runs can share one Redis */
  namespace?: string;
  /** the service's clock, by which the in-process store prunes old windows (Redis keys expire) */
  now?: () => number;
}

/**
 * The store for this configuration; a Redis one owns its connections (fail-fast commands, a
 * subscriber that waits for Redis) and quits them on `close()`.
 */
export function createLiveStore(config: LiveStoreConfig): LiveStore {
  if (!config.redisUrl) return new MemoryLiveStore({ timezone: config.timezone, now: config.now });
  return new RedisLiveStore({
    redis: createRedis(config.redisUrl, 'failFast'),
    subscriber: createRedis(config.redisUrl, 'subscriber'),
    cityAdcode: config.cityAdcode,
    timezone: config.timezone,
    quitOnClose: true,
    ...(config.namespace ? { namespace: config.namespace } : {}),
  });
}
