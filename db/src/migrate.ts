/** `pnpm -C db migrate`: applies the committed migrations to DATABASE_URL or the PGlite in DATA_DIR. */
import { openDatabase } from './client.ts';

try {
  const database = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: process.env.DATA_DIR,
  });
  await database.close();
  console.log(`migrations applied (${database.kind})`);
} catch (err) {
  console.error('migration failed:', err instanceof Error ? err.message : err);
  process.exit(1);
}
