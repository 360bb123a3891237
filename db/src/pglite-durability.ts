/**
 * Durable commits for PGlite. Its PostgreSQL runs in WASM over Emscripten's NODEFS: every write
 * reaches the real file at once (the OS page cache), but its `fsync`/`fdatasync` are no-ops, so a
 * commit survives a killed process and not a power cut. `walSyncer` returns the missing step, run
 * from Node after a commit: `fdatasync` on the WAL segments written since the last call (found from
 * the WAL position, not guessed from timestamps), `fsync` of `pg_wal/` when a new segment came into
 * use (a recycled segment is a rename), and after a checkpoint, every file written since the
 * previous checkpoint, then `global/pg_control` (PostgreSQL's own checkpoint would have done this).
 * When that last step is done is kept in `<dataPath>.synced`, so a restart (whose crash recovery
 * ends in a checkpoint) syncs what changed since, not all of the thousand files of a cluster.
 */
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type Query = <T>(text: string) => Promise<T[]>;

interface WalPosition {
  lsn: string;
  segment: string;
  checkpoint: string;
}

/** A WAL segment's file name: timeline, log and segment number, 8 hex digits each. */
const SEGMENT_NAME = /^[0-9A-F]{24}$/;
/** File times are coarse (a kernel tick): files changed this long before the last sync are synced again. */
const MTIME_MARGIN_MS = 2_000;
const CONTROL_FILE = join('global', 'pg_control');
/** fsyncs in flight at once: the file system folds concurrent ones into fewer journal commits. */
const PARALLEL_SYNCS = 8;

async function fsyncPath(path: string, dataOnly: boolean): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await (dataOnly ? handle.datasync() : handle.sync());
  } finally {
    await handle.close();
  }
}

async function fsyncAll(paths: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) await fsyncPath(paths[next++]!, false);
  };
  await Promise.all(Array.from({ length: PARALLEL_SYNCS }, worker));
}

/** The file that says when all of PGlite's files in `dataPath` were last synced. */
export const syncedMarker = (dataPath: string): string => `${dataPath}.synced`;

/** When the last checkpoint's files were all synced (0: never, or unknown). */
async function readSyncedAt(marker: string): Promise<number> {
  const value = Number(await readFile(marker, 'utf8').catch(() => '0'));
  return Number.isFinite(value) ? value : 0;
}

/** Every file under `dir` changed since `sinceMs`, and every folder (their entries may be new). */
async function changedSince(dir: string, sinceMs: number): Promise<{ files: string[]; dirs: string[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  const dirs = [dir];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) dirs.push(path);
    else if (entry.isFile() && (await stat(path)).mtimeMs >= sinceMs) files.push(path);
  }
  return { files, dirs };
}

/**
 * Returns `sync()`: once it resolves, everything committed before it was called is on disk. Calls
 * are serialised. `query` must run on the PGlite instance whose files are in `dataPath`.
 */
export function walSyncer(dataPath: string, query: Query): () => Promise<void> {
  const walDir = join(dataPath, 'pg_wal');
  const marker = syncedMarker(dataPath);
  let last: WalPosition | undefined;
  let running: Promise<void> = Promise.resolve();

  const syncCheckpoint = async () => {
    const startedAt = Date.now();
    const since = (await readSyncedAt(marker)) - MTIME_MARGIN_MS;
    const { files, dirs } = await changedSince(dataPath, since);
    const control = join(dataPath, CONTROL_FILE);
    await fsyncAll(files.filter((file) => file !== control));
    await fsyncAll(dirs);
    await fsyncPath(control, false);
    await writeFile(marker, String(startedAt));
  };

  const syncWal = async (now: WalPosition) => {
    const from = last?.segment ?? now.segment;
    const segments = (await readdir(walDir)).filter(
      (name) => SEGMENT_NAME.test(name) && name >= from && name <= now.segment,
    );
    for (const segment of segments) await fsyncPath(join(walDir, segment), true);
    if (now.segment !== last?.segment) await fsyncPath(walDir, false);
  };

  const sync = async () => {
    const [now] = await query<WalPosition>(
      `select pg_current_wal_lsn()::text as lsn,
              pg_walfile_name(pg_current_wal_lsn()) as segment,
              (pg_control_checkpoint()).checkpoint_lsn::text as checkpoint`,
    );
    if (!now) throw new Error('PGlite reported no WAL position');
    if (now.lsn === last?.lsn) return; // nothing written since the last sync
    await syncWal(now);
    if (now.checkpoint !== last?.checkpoint) await syncCheckpoint();
    last = now;
  };

  return () => {
    running = running.catch(() => {}).then(sync);
    return running;
  };
}
