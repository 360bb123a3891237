/**
 * Redis for tests: a namespace no other run shares, clients made by the service's own factory
 * (`createRedis`) and a namespace's keys deleted afterwards. Key names come from the service's
 * `redis/keys.ts`; a test never formats one.
 */
import { randomBytes } from 'node:crypto';
import { closeRedis, createRedis, namespacePattern } from '@dudao/ingest-service';
import type { Redis } from 'ioredis';

export { closeRedis };
export * from './redis-cluster.ts';
export * from './redis-server.ts';

/** `dudao-test-<label>-<random>`: a namespace of its own for a test file, a service or a store. */
export const testNamespace = (label: string): string =>
  `dudao-test-${label}-${randomBytes(4).toString('hex')}`;

/** A client for a test to look at or change Redis itself (queued while Redis is away); end it with `closeRedis`. */
export const connectTestRedis = (url: string): Redis => createRedis(url, 'queueing');

/** Deletes every key of `namespace`. */
export async function dropNamespace(redis: Redis, namespace: string): Promise<void> {
  const keys = await redis.keys(namespacePattern(namespace));
  if (keys.length > 0) await redis.unlink(...keys);
}
