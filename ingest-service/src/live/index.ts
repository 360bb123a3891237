/** The live store of SPEC §3: in-process by default, Redis when REDIS_URL is set. */
import { MemoryLiveStore } from './memory-store.ts';
import { failFastRedis } from './redis-connection.ts';
import { RedisLiveStore } from './redis-store.ts';
import type { LiveStore } from './store.ts';

export * from './store.ts';
export { MAX_FEED_ITEMS, MemoryLiveStore, type MemoryLiveStoreOptions } from './memory-store.ts';
export { RedisLiveStore, type RedisLiveStoreOptions } from './redis-store.ts';
export { DAY_TTL_SECONDS, DEFAULT_NAMESPACE, MONTH_TTL_SECONDS } from './redis-keys.ts';
export { failFastRedis } from './redis-connection.ts';

export interface LiveStoreConfig {
  /** absent → the in-process store */
  redisUrl?: string | undefined;
  cityAdcode: string;
  timezone: string;
  /** Redis key namespace (default `dudao`), so deployments or test runs can share one Redis */
  namespace?: string;
}

/** The store for this configuration; a Redis one owns its connections and quits them on `close()`. */
export function createLiveStore(config: LiveStoreConfig): LiveStore {
  if (!config.redisUrl) return new MemoryLiveStore({ timezone: config.timezone });
  const redis = failFastRedis(config.redisUrl);
  return new RedisLiveStore({
    redis,
    cityAdcode: config.cityAdcode,
    timezone: config.timezone,
    quitOnClose: true,
    ...(config.namespace ? { namespace: config.namespace } : {}),
  });
}
