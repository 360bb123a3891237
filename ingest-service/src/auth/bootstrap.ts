/**
 * Secure by default, yet the first start opens the wall (SPEC §9): on a database without keys, make a
 * city viewer key and a city ingest key. The demo keeps them in DATA_DIR so every `pnpm start`
 * can print the wall URL again and feed the simulator; `pnpm serve` shows them once only.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { count } from 'drizzle-orm';
import { apiKeys, type Database } from '@dudao/db';
import { CITY_SCOPE, createKey } from './keys.ts';

export interface BootstrapKeys {
  viewer: string;
  ingest: string;
  /** true when they were made just now */
  created: boolean;
}

async function readSaved(path: string): Promise<BootstrapKeys | null> {
  try {
    const saved = JSON.parse(await readFile(path, 'utf8')) as { viewer?: string; ingest?: string };
    return saved.viewer && saved.ingest
      ? { viewer: saved.viewer, ingest: saved.ingest, created: false }
      : null;
  } catch {
    return null;
  }
}

/**
 * The first start's keys. With `saveTo` (the demo): read back from that file, or made and saved
 * when it is missing. Without (production): made only when the database has no key at all, and
 * returned that once; null otherwise.
 */
export async function bootstrapKeys(database: Database, saveTo?: string): Promise<BootstrapKeys | null> {
  if (saveTo) {
    const saved = await readSaved(saveTo);
    if (saved) return saved;
  } else {
    const [row] = await database.db.select({ n: count() }).from(apiKeys);
    if (Number(row?.n ?? 0) > 0) return null;
  }
  const viewer = await createKey(database, {
    role: 'viewer',
    scope: CITY_SCOPE,
    label: 'wall (first start)',
  });
  const ingest = await createKey(database, {
    role: 'ingest',
    scope: CITY_SCOPE,
    label: 'simulator (first start)',
  });
  const keys = { viewer: viewer.token, ingest: ingest.token, created: true };
  if (saveTo) {
    await mkdir(dirname(saveTo), { recursive: true });
    await writeFile(saveTo, JSON.stringify({ viewer: keys.viewer, ingest: keys.ingest }, null, 2), {
      mode: 0o600,
    });
    await chmod(saveTo, 0o600);
  }
  return keys;
}
