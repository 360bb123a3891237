/**
 * The service as the benchmarks run it, in a process of its own: configured by the environment
 * (plus DUDAO_NAMESPACE for Redis keys), one JSON line `{url}` on stdout when ready, SIGINT stops it.
 *
 * `BENCH_WAL_SYNC=off` (the bench's baseline for the cost of durable commits, never the service's
 * behaviour): on PGlite, commits are answered without the fdatasync of the WAL
 * (`db/src/pglite-durability.ts`), as PGlite alone would.
 */
import { openDatabase } from '@dudao/db';
import { configFromEnv, startServer } from '@dudao/ingest-service';

const config = configFromEnv(process.env);
const unsynced =
  process.env.BENCH_WAL_SYNC === 'off' && !config.databaseUrl
    ? { ...(await openDatabase({ dataDir: config.dataDir })), syncCommitted: async () => {} }
    : undefined;
const server = await startServer({
  ...config,
  port: 0,
  // Warnings and errors go to stdout after the ready line; the bench keeps them in a file.
  logger: { level: process.env.LOG_LEVEL ?? 'warn' },
  ...(process.env.DUDAO_NAMESPACE ? { redisNamespace: process.env.DUDAO_NAMESPACE } : {}),
  ...(unsynced ? { database: unsynced } : {}),
});
console.log(JSON.stringify({ url: server.url }));
process.once('SIGINT', () => {
  server
    .close()
    .then(() => unsynced?.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
});
