/**
 * `pnpm restore <file>`: puts a backup made by `pnpm backup` back. Stop the service first; when it
 * starts again, its start-up rebuild makes the live store (Redis or in-process) equal the
 * restored database.
 *
 * - PostgreSQL (DATABASE_URL set): `pg_restore --clean --single-transaction` into that database
 *   (what it holds is replaced, all or nothing).
 * - Embedded: the current DATA_DIR/pglite, if any, is kept aside as pglite.before-restore-<time>,
 *   the archive is unpacked in its place, and the database is opened once (recovery, a sync of every
 *   file, pending migrations) and counted.
 */
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import {
  embeddedDatabaseHolder,
  embeddedDatabasePath,
  openDatabase,
  restoreEmbeddedDatabase,
} from '@dudao/db';
import { pgRestore } from './backup/pg-tools.ts';
import { runMain, serviceConfig } from './env.ts';

const MB = 1024 * 1024;

async function restoreEmbedded(dataDir: string, file: string): Promise<void> {
  const path = embeddedDatabasePath(dataDir);
  const holder = embeddedDatabaseHolder(path);
  if (holder !== undefined) throw new Error(`the service (process ${holder}) uses ${path}: stop it first`);
  if (existsSync(path) && readdirSync(path).length > 0) {
    const aside = `${path}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(path, aside);
    console.log(`the current database is kept aside: ${aside}`);
  }
  const bytes = readFileSync(file);
  console.log(`unpacking ${file} (${(bytes.length / MB).toFixed(1)} MB) into ${path}…`);
  await restoreEmbeddedDatabase(dataDir, new File([bytes], basename(file), { type: 'application/gzip' }));
  console.log('opening it: recovery, a sync of every file, pending migrations…');
  const database = await openDatabase({ dataDir });
  try {
    const [row] = await database.query<{ events: string; latest: string | null }>(
      'select count(*)::text as events, max(received_at)::text as latest from events',
    );
    console.log(`restored: ${row!.events} events, the latest received at ${row!.latest ?? '—'}`);
  } finally {
    await database.close();
  }
}

async function restore(file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  const config = serviceConfig();
  if (config.databaseUrl) {
    console.log(
      `pg_restore ${file} → ${new URL(config.databaseUrl).pathname.slice(1)} (replacing its contents)`,
    );
    await pgRestore(config.databaseUrl, file);
    console.log('restored; start the service: its start-up rebuild refills the live store');
  } else {
    await restoreEmbedded(config.dataDir, file);
  }
}

const program = new Command('restore')
  .description('put a backup from `pnpm backup` back (stop the service first)')
  .argument('<file>', 'a .dump (PostgreSQL) or .tar.gz (embedded) made by pnpm backup')
  .parse();

runMain(() => restore(program.args[0]!));
