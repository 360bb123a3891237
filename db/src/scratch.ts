/**
 * Databases of a run's own, thrown away after it: a new database on a PostgreSQL server, or PGlite
 * in a temporary folder. The test kit, the benchmarks, the soak and the nightly benchmark all make
 * theirs here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { openDatabase, type Database } from './client.ts';

export interface ScratchDatabase {
  /** the PostgreSQL database's name, or PGlite's folder */
  name: string;
  /** connection string of the new PostgreSQL database; undefined for PGlite */
  url: string | undefined;
  /**
   * What points a service process at it. For PGlite `DATABASE_URL` is empty rather than absent, so
   * the process does not inherit the shell's own.
   */
  env: { DATABASE_URL: string; DATA_DIR?: string };
  /** Opens (and migrates) a connection; PGlite's folder opens in one process at a time. */
  open(): Promise<Database>;
  /** Deletes the database and everything in it. */
  drop(): Promise<void>;
}

export interface ScratchOptions {
  /** PostgreSQL server to create the database on; absent → PGlite in a temporary folder */
  serverUrl?: string | undefined;
  /** start of the database's (or folder's) name, e.g. `dudao_bench` */
  prefix: string;
}

export async function createScratchDatabase(options: ScratchOptions): Promise<ScratchDatabase> {
  return options.serverUrl
    ? createOnServer(options.serverUrl, options.prefix)
    : createInFolder(options.prefix);
}

/** Runs one statement on the server's own connection, closed right after. */
async function onServer(serverUrl: string, statement: SQL): Promise<void> {
  const admin = await openDatabase({ databaseUrl: serverUrl, migrate: false, maxConnections: 1 });
  try {
    await admin.db.execute(statement);
  } finally {
    await admin.close();
  }
}

async function createOnServer(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, sql`create database ${sql.identifier(name)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    env: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ databaseUrl: url.toString() }),
    drop: () => onServer(serverUrl, sql`drop database if exists ${sql.identifier(name)} with (force)`),
  };
}

function createInFolder(prefix: string): ScratchDatabase {
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix.replaceAll('_', '-')}-`));
  return {
    name: dataDir,
    url: undefined,
    env: { DATA_DIR: dataDir, DATABASE_URL: '' },
    open: () => openDatabase({ dataDir }),
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
