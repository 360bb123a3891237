/**
 * A deployment for tests that run `pnpm serve` as a child process: PostgreSQL (+ Redis) when
 * configured, else PGlite in a folder of its own, as `pnpm start` runs; seeded, with keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedDatabasePath, openDatabase, type Database } from '@dudao/db';
import { openTestDatabase, requireServiceUrl, seedTestRegistry } from '@dudao/testkit';
import { createKey } from '../../src/index.ts';
import { testNamespace } from '@dudao/testkit/redis';

export interface Deployment {
  env: Record<string, string>;
  keys: { ingest: string; viewer: string; admin: string };
  /** the database, for the test's own reads (embedded: only while no service runs) */
  withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  /** Loses everything the database holds (embedded: its files; PostgreSQL: its schemas). */
  wipe(): Promise<void>;
  drop(): Promise<void>;
}

export async function deployment(): Promise<Deployment> {
  const keysOf = async (database: Database) => {
    await seedTestRegistry(database);
    return {
      ingest: (await createKey(database, { role: 'ingest', scope: 'city' })).token,
      viewer: (await createKey(database, { role: 'viewer', scope: 'city' })).token,
      admin: (await createKey(database, { role: 'admin', scope: 'city' })).token,
    };
  };
  if (requireServiceUrl('DATABASE_URL')) {
    const test = await openTestDatabase();
    return {
      env: {
        DATABASE_URL: test.url!,
        REDIS_URL: requireServiceUrl('REDIS_URL') ?? '',
        REDIS_NAMESPACE: testNamespace('deployment'),
      },
      keys: await keysOf(test.database),
      withDatabase: (fn) => fn(test.database),
      wipe: async () => {
        await test.database.query('drop schema public cascade');
        await test.database.query('drop schema if exists drizzle cascade');
        await test.database.query('create schema public');
      },
      drop: () => test.drop(),
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'dudao-child-'));
  const withDatabase = async <T>(fn: (database: Database) => Promise<T>) => {
    const database = await openDatabase({ dataDir });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  };
  return {
    env: { DATA_DIR: dataDir },
    keys: await withDatabase(keysOf),
    withDatabase,
    wipe: async () => {
      const files = embeddedDatabasePath(dataDir);
      for (const path of [files, `${files}.synced`]) rmSync(path, { recursive: true, force: true });
    },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
