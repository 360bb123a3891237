/**
 * `pnpm backup [--out file] [--url http://host:port] [--key <admin key>]`: a consistent copy of the
 * deployment's database, taken while the service runs.
 *
 * - PostgreSQL (DATABASE_URL set): `pg_dump` in its custom format (one snapshot of the database).
 * - Embedded (PGlite in DATA_DIR/pglite): its files as a gzipped tar. While `pnpm serve` or
 *   `pnpm start` runs, the service owns them, so it is asked for them
 *   (`GET /api/v1/admin/backup`, an admin key from --key or DUDAO_ADMIN_KEY; the service dumps them
 *   between two ingest groups, after a checkpoint). With no service running they are read here.
 *
 * Restore with `pnpm restore <file>`.
 */
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { embeddedDatabaseHolder, embeddedDatabasePath, openDatabase } from '@dudao/db';
import { pgDump } from './backup/pg-tools.ts';
import { runMain, serviceConfig } from './env.ts';

const MB = 1024 * 1024;
/** How often a download prints how far it has come. */
const PROGRESS_MS = 1_000;
/** How often the wait for the service's copy is noted. */
const WAITING_NOTE_MS = 5_000;

interface Options {
  out?: string;
  url?: string;
  key?: string;
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** Streams the running service's copy of its files into `out`, printing the megabytes received. */
async function fromService(url: string, key: string, out: string): Promise<void> {
  console.log(`asking the service at ${url} for a consistent copy of its files…`);
  // The service answers once its copy is made (a checkpoint, then a tar of every file, gzipped),
  // which takes a minute for a few hundred MB: say that it is under way.
  const asked = Date.now();
  const waiting = setInterval(
    () => console.log(`  the service is copying its files (${Math.round((Date.now() - asked) / 1000)} s)`),
    WAITING_NOTE_MS,
  );
  const res = await fetch(new URL('/api/v1/admin/backup', url), {
    headers: { authorization: `Bearer ${key}` },
  }).finally(() => clearInterval(waiting));
  if (!res.ok || !res.body) throw new Error(`the service answered ${res.status}: ${await res.text()}`);
  let received = 0;
  let shownAt = Date.now();
  async function* counted(body: AsyncIterable<Uint8Array>) {
    for await (const chunk of body) {
      received += chunk.length;
      if (Date.now() - shownAt >= PROGRESS_MS) {
        console.log(`  received ${(received / MB).toFixed(1)} MB`);
        shownAt = Date.now();
      }
      yield chunk;
    }
  }
  await pipeline(res.body, counted, createWriteStream(out));
}

async function fromFiles(dataDir: string, out: string): Promise<void> {
  console.log(`no service holds ${embeddedDatabasePath(dataDir)}: reading its files here…`);
  const database = await openDatabase({ dataDir, migrate: false });
  try {
    const archive = await database.dumpFiles!();
    await writeFile(out, Buffer.from(await archive.arrayBuffer()));
  } finally {
    await database.close();
  }
}

async function backup(options: Options): Promise<void> {
  const config = serviceConfig();
  const extension = config.databaseUrl ? 'dump' : 'tar.gz';
  const out = options.out ?? join(config.dataDir, 'backups', `dudao-${stamp()}.${extension}`);
  mkdirSync(dirname(out), { recursive: true });
  if (config.databaseUrl) {
    console.log(`pg_dump (custom format) → ${out}`);
    await pgDump(config.databaseUrl, out);
  } else if (embeddedDatabaseHolder(embeddedDatabasePath(config.dataDir)) !== undefined) {
    const key = options.key ?? process.env.DUDAO_ADMIN_KEY;
    if (!key) throw new Error('the service is running: give an admin key (--key or DUDAO_ADMIN_KEY)');
    await fromService(options.url ?? `http://${config.host}:${config.port}`, key, out);
  } else {
    await fromFiles(config.dataDir, out);
  }
  console.log(`backup written: ${out} (${(statSync(out).size / MB).toFixed(1)} MB)`);
}

const program = new Command('backup')
  .description('a consistent copy of the database while the service runs (pg_dump, or PGlite files)')
  .option('--out <file>', 'where to write it (default DATA_DIR/backups/dudao-<time>.dump|.tar.gz)')
  .option('--url <url>', 'the running embedded service (default http://HOST:PORT)')
  .option('--key <key>', 'an admin key, for the running embedded service (or DUDAO_ADMIN_KEY)')
  .parse();

runMain(() => backup(program.opts<Options>()));
