/**
 * Redis for the tests of the service and of what runs it: clients made by the service's own factory
 * (`createRedis`) and a namespace's keys deleted afterwards. Key names come from `src/redis/keys.ts`;
 * a test never formats one. Namespaces and Redis servers of a test's own: `@dudao/testkit/redis`.
 */
import type { Redis } from 'ioredis';
import { closeRedis, createRedis, namespacePattern } from '../src/index.ts';

export { closeRedis };

/** A client for a test to look at or change Redis itself (queued while Redis is away); end it with `closeRedis`. */
export const connectTestRedis = (url: string): Redis => createRedis(url, 'queueing');

/** Deletes every key of `namespace`. */
export async function dropNamespace(redis: Redis, namespace: string): Promise<void> {
  const keys = await redis.keys(namespacePattern(namespace));
  if (keys.length > 0) await redis.unlink(...keys);
}
