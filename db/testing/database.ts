/**
 * Databases for tests: a fresh PostgreSQL database per call when DATABASE_URL is set, else an
 * in-memory PGlite. Under CI=true a missing DATABASE_URL is an error, so CI never silently skips.
 * `@dudao/db/testing`: this package's own, since it opens this package; every other package's tests
 * take it through `@dudao/testkit`.
 */
import { createScratchDatabase, openDatabase, type Database } from '../src/index.ts';

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
  const scratch = await createScratchDatabase({ serverUrl, prefix: 'dudao_test' });
  const database = await scratch.open();
  return {
    database,
    url: scratch.url,
    drop: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}
