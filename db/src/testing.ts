/**
 * Databases for tests: a fresh PostgreSQL database per call when DATABASE_URL is set, else an
 * in-memory PGlite. Under CI=true a missing DATABASE_URL is an error, so CI never silently skips.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from './client.ts';

export interface TestDatabase {
  database: Database;
  /** connection string of the fresh database (PostgreSQL only) */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * The service URL tests should use. `TEST_BACKEND=embedded` forces PGlite and the in-process store
 * (CI runs the suites a second time that way, so both backends are proven in one run).
 */
export function requireServiceUrl(name: 'DATABASE_URL' | 'REDIS_URL'): string | undefined {
  if (process.env.TEST_BACKEND === 'embedded') return undefined;
  const value = process.env[name];
  if (!value && process.env.CI === 'true') throw new Error(`${name} must be set when CI=true`);
  return value || undefined;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const serverUrl = requireServiceUrl('DATABASE_URL');
  if (!serverUrl) {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, url: undefined, drop: () => database.close() };
  }
  const name = `dudao_test_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: serverUrl, migrate: false, maxConnections: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}
