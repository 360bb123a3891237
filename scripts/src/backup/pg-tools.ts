/**
 * PostgreSQL's own tools for backup and restore, their `--verbose` lines passed on as progress.
 * They must be on PATH and of the server's major version or newer (Debian: postgresql-client).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Runs `command args`, printing each line it writes to stderr; rejects on a non-zero exit. */
export async function runWithProgress(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
  const lines = createInterface({ input: child.stderr });
  let lastLine = '';
  lines.on('line', (line) => {
    lastLine = line;
    console.log(`  ${line}`);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (err) =>
      reject(new Error(`${command} could not be run (${err.message}): install the PostgreSQL client tools`)),
    );
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`${command} failed (exit ${code}): ${lastLine}`);
}

/** `pg_dump` in its custom format (compressed, restorable table by table with `pg_restore`). */
export const pgDump = (databaseUrl: string, file: string) =>
  runWithProgress('pg_dump', ['--format=custom', '--verbose', `--file=${file}`, `--dbname=${databaseUrl}`]);

/**
 * `pg_restore` into the database at `databaseUrl`, replacing what it holds (`--clean`), all or
 * nothing (`--single-transaction`).
 */
export const pgRestore = (databaseUrl: string, file: string) =>
  runWithProgress('pg_restore', [
    '--clean',
    '--if-exists',
    '--no-owner',
    '--single-transaction',
    '--verbose',
    `--dbname=${databaseUrl}`,
    file,
  ]);
