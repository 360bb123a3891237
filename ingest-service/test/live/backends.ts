/**
 * The live stores under test: memory always; Redis, and a Redis Cluster started from the same
 * installation, when REDIS_URL is set (required under CI=true).
 * Each Redis store gets a namespace of its own, so test files running in parallel never share keys,
 * and `cleanup()` deletes every key the file made. Stores share one
 * command and one subscriber connection unless a test asks for its own.
 */
import type { Redis } from 'ioredis';
import { requireServiceUrl } from '@dudao/testkit';
import { startRedisCluster, testNamespace, type RedisClusterHandle } from '@dudao/testkit/redis';
import { closeRedis, connectTestRedis, dropNamespace } from '../../testing/index.ts';
import { MemoryLiveStore } from '../../src/live/memory-store.ts';
import { RedisLiveStore } from '../../src/live/redis-store.ts';
import type { LiveStore } from '../../src/live/store.ts';
import { namespacePattern } from '../../src/redis/keys.ts';

export const TZ = 'Asia/Shanghai';
export const CITY = '430200';
export const REDIS_URL = requireServiceUrl('REDIS_URL');

export interface Backend {
  name: 'memory' | 'redis' | 'redis-cluster';
  /**
   * a fresh, empty store; closed by `cleanup()` if not before. `now` is the service's clock (the
   * in-process store prunes by it; Redis keys expire on Redis' own clock).
   */
  create(options?: { now?: () => number }): Promise<LiveStore>;
  cleanup(): Promise<void>;
}

export function memoryBackend(): Backend {
  const stores: LiveStore[] = [];
  return {
    name: 'memory',
    create: async (options = {}) => {
      const store = new MemoryLiveStore({ timezone: TZ, now: options.now });
      stores.push(store);
      return store;
    },
    cleanup: async () => {
      await Promise.all(stores.map((s) => s.close()));
    },
  };
}

export class RedisBackend implements Backend {
  readonly name = 'redis';
  private readonly namespaces: string[] = [];
  private readonly stores: LiveStore[] = [];
  private readonly connections: Redis[] = [];
  private shared: Redis | undefined;
  private sharedSubscriber: Redis | undefined;

  constructor(private readonly url: string) {}

  /** A connection closed by `cleanup()`. */
  connect(): Redis {
    const connection = connectTestRedis(this.url);
    this.connections.push(connection);
    return connection;
  }

  newNamespace(): string {
    const namespace = testNamespace('live');
    this.namespaces.push(namespace);
    return namespace;
  }

  /** A store over `namespace`, on the given connections or the file's shared ones. */
  async open(namespace: string, connection?: Redis, subscriber?: Redis): Promise<RedisLiveStore> {
    this.shared ??= this.connect();
    this.sharedSubscriber ??= this.connect();
    const store = new RedisLiveStore({
      redis: connection ?? this.shared,
      subscriber: subscriber ?? this.sharedSubscriber,
      cityAdcode: CITY,
      timezone: TZ,
      namespace,
    });
    this.stores.push(store);
    await store.subscribed;
    return store;
  }

  create(): Promise<LiveStore> {
    return this.open(this.newNamespace());
  }

  /** Every key of `namespace` (the hash tag and all). */
  keys(namespace: string): Promise<string[]> {
    this.shared ??= this.connect();
    return this.shared.keys(namespacePattern(namespace));
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.stores.map((s) => s.close()));
    const shared = this.shared;
    if (shared) for (const namespace of this.namespaces) await dropNamespace(shared, namespace);
    await Promise.all(this.connections.map((c) => closeRedis(c)));
  }
}

/**
 * The Redis store on a real Redis Cluster (three masters started for this file, see
 * `startRedisCluster`): the hash-tagged keys must keep every script and MULTI on one slot.
 */
export class RedisClusterBackend implements Backend {
  readonly name = 'redis-cluster';
  private cluster: Promise<RedisClusterHandle> | undefined;
  private readonly stores: LiveStore[] = [];

  async create(): Promise<LiveStore> {
    this.cluster ??= startRedisCluster();
    const cluster = await this.cluster;
    const redis = cluster.connect();
    // A cluster client is ready only after it read the slots; ping() (rightly) calls it down before.
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    const store = new RedisLiveStore({
      redis,
      subscriber: cluster.connect(),
      cityAdcode: CITY,
      timezone: TZ,
      namespace: testNamespace('live-cluster'),
    });
    this.stores.push(store);
    await store.subscribed;
    return store;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.stores.map((s) => s.close()));
    if (this.cluster) await (await this.cluster).stop();
  }
}

export function backends(): Backend[] {
  return REDIS_URL
    ? [memoryBackend(), new RedisBackend(REDIS_URL), new RedisClusterBackend()]
    : [memoryBackend()];
}
