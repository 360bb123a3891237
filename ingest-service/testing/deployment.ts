/**
 * One deployment of several instances for a test (issue 6): what the instances share — a fresh
 * PostgreSQL database (the test registry, an ingest and a viewer key for the city) and a Redis
 * namespace, with a client to look at it — and a way to start an instance over them. Two instances
 * cannot share PGlite or the in-process store: this needs DATABASE_URL and REDIS_URL.
 */
import type { Redis } from 'ioredis';
import { openTestDatabase, seedTestRegistry, type TestDatabase } from '@dudao/testkit';
import { createKey, type RunningServer, type StartOptions } from '../src/index.ts';
import { closeRedis, connectTestRedis, dropNamespace } from './redis.ts';
import { startTestServer } from './service.ts';

export interface SharedDeployment {
  testDb: TestDatabase;
  keys: { ingest: string; viewer: string };
  /** a client of the test's own on the deployment's Redis */
  redis: Redis;
  /** an instance in this process over the shared database and Redis; `options` adds to the defaults */
  start(options?: Partial<StartOptions>): Promise<RunningServer>;
  /** POSTs events to an instance with the ingest key; throws unless all are accepted */
  post(url: string, events: unknown[]): Promise<void>;
  /** Deletes the namespace's keys and the database (close the instances first). */
  close(): Promise<void>;
}

export async function openSharedDeployment(o: {
  redisUrl: string;
  namespace: string;
}): Promise<SharedDeployment> {
  const testDb = await openTestDatabase();
  await seedTestRegistry(testDb.database);
  const key = async (role: 'ingest' | 'viewer') =>
    (await createKey(testDb.database, { role, scope: 'city' })).token;
  const keys = { ingest: await key('ingest'), viewer: await key('viewer') };
  const redis = connectTestRedis(o.redisUrl);
  return {
    testDb,
    keys,
    redis,
    start: (options = {}) =>
      startTestServer({
        databaseUrl: testDb.url,
        redisUrl: o.redisUrl,
        redisNamespace: o.namespace,
        ...options,
      }),
    async post(url, events) {
      const res = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      const body = (await res.json()) as { accepted?: number };
      if (res.status !== 200 || body.accepted !== events.length)
        throw new Error(`${events.length} events answered ${res.status}: ${JSON.stringify(body)}`);
    },
    async close() {
      await dropNamespace(redis, o.namespace);
      await closeRedis(redis);
      await testDb.drop();
    },
  };
}
