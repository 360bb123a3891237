/**
 * One client factory for both backends: PGlite in `DATA_DIR/pglite` when no `DATABASE_URL` is set
 * (or `memory://` for tests), PostgreSQL otherwise. Migrations are applied on open.
 */
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { syncedMarker, walSyncer } from './pglite-durability.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs a raw SQL text with positional parameters; returns the rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` on one dedicated connection (for session-level locks). */
  withSession<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Resolves once everything committed so far is on disk. PostgreSQL's COMMIT already waits for
   * that; PGlite's file system never syncs, so this does (see pglite-durability.ts).
   */
  syncCommitted(): Promise<void>;
  /**
   * PGlite only: a consistent copy of its files (a gzipped tar), taken after a checkpoint while
   * no other query runs; restoring it is like a restart after a crash at that moment.
   */
  dumpFiles?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; absent → PGlite */
  databaseUrl?: string | undefined;
  /** folder for PGlite's files; `memory://` keeps them in memory */
  dataDir?: string | undefined;
  /** pool size for PostgreSQL */
  maxConnections?: number;
  /**
   * PostgreSQL: a query without an answer after this long fails (and its connection is dropped),
   * so an unreachable server cannot hang a caller forever. Absent → no limit (long batch jobs).
   */
  queryTimeoutMs?: number;
  migrate?: boolean;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
const DEFAULT_POOL_SIZE = 10;
/** A server that does not accept a connection within this is treated as down. */
const CONNECT_TIMEOUT_MS = 5_000;

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const database = options.databaseUrl
    ? await openPostgres(
        options.databaseUrl,
        options.maxConnections ?? DEFAULT_POOL_SIZE,
        options.queryTimeoutMs,
      )
    : await openPglite(options.dataDir ?? './data');
  if (options.migrate !== false) await migrateDatabase(database);
  return database;
}

async function openPostgres(url: string, max: number, queryTimeoutMs?: number): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A peer that vanished without a word (a partition) is noticed by TCP, not only by a timeout.
    keepAlive: true,
    ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema, casing: 'snake_case' }) as Db;
  return {
    db,
    kind: 'postgres',
    query: async (text, params) => (await pool.query(text, params)).rows,
    withSession: async (fn) => {
      const client = await pool.connect();
      let failure: Error | undefined;
      // The pool listens for errors of idle clients only: a checked-out one whose connection dies
      // between two queries would emit an unheard 'error' and crash the process.
      const onLost = (err: Error) => (failure ??= err);
      client.on('error', onLost);
      try {
        return await fn(drizzle(client, { schema, casing: 'snake_case' }) as Db);
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
        throw err;
      } finally {
        client.off('error', onLost);
        // A failed session may hold a broken connection: destroy it rather than reuse it.
        client.release(failure);
      }
    },
    syncCommitted: async () => {},
    close: () => pool.end(),
  };
}

/** Whether process `pid` is alive (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The live process other than this one that has PGlite's files in `path` open, if any. */
export function embeddedDatabaseHolder(path: string): number | undefined {
  let holder = NaN;
  try {
    holder = Number(readFileSync(`${path}.pid`, 'utf8'));
  } catch {
    // no lock file: free
  }
  return Number.isInteger(holder) && holder !== process.pid && isAlive(holder) ? holder : undefined;
}

/** Where PGlite keeps its files under `DATA_DIR`. */
export const embeddedDatabasePath = (dataDir: string): string => join(dataDir, 'pglite');

/**
 * Fills the empty folder of `dataDir`'s embedded database from `archive` (what `dumpFiles` made).
 * The next open syncs every file (the archive keeps the files' old times) and recovers, as after
 * a crash at the moment of the dump.
 */
export async function restoreEmbeddedDatabase(dataDir: string, archive: Blob): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const path = embeddedDatabasePath(dataDir);
  mkdirSync(path, { recursive: true });
  const unlock = lockDataDir(path);
  try {
    rmSync(syncedMarker(path), { force: true });
    const client = await PGlite.create(path, { loadDataDir: archive });
    await client.close();
  } finally {
    unlock();
  }
}

/**
 * PGlite's files belong to one process at a time; a second opener would corrupt them. A pid file
 * turns that into a clear error (a stale one, left by a killed process, is taken over).
 */
function lockDataDir(path: string): () => void {
  const lockFile = `${path}.pid`;
  const holder = embeddedDatabaseHolder(path);
  if (holder !== undefined) {
    throw new Error(
      `the embedded database in ${path} is in use by process ${holder}; stop it first, or set DATABASE_URL to share PostgreSQL`,
    );
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let path = dataDir;
  let unlock = () => {};
  if (!dataDir.startsWith('memory://')) {
    path = embeddedDatabasePath(dataDir);
    mkdirSync(path, { recursive: true });
    unlock = lockDataDir(path);
  }
  const client = await PGlite.create(path);
  const db = drizzle(client, { schema, casing: 'snake_case' }) as Db;
  const syncCommitted = path.startsWith('memory://')
    ? async () => {}
    : walSyncer(path, async (text) => (await client.query(text)).rows as never);
  // The first sync covers every file, e.g. what crash recovery wrote while opening.
  await syncCommitted();
  return {
    db,
    kind: 'pglite',
    query: async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows,
    // PGlite has a single connection: every session is that one.
    withSession: (fn) => fn(db),
    syncCommitted,
    dumpFiles: async () => {
      await client.query('checkpoint');
      await syncCommitted();
      return client.dumpDataDir('gzip');
    },
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, config);
  } else {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await migrate(database.db as never, config);
  }
}
