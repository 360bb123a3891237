/**
 * The service as the benchmarks run it, in a process of its own: configured by the environment
 * (plus DUDAO_NAMESPACE for Redis keys), one JSON line `{url}` on stdout when ready, SIGINT stops it.
 */
import { configFromEnv, startServer } from '@dudao/ingest-service';

const config = configFromEnv(process.env);
const server = await startServer({
  ...config,
  port: 0,
  ...(process.env.DUDAO_NAMESPACE ? { redisNamespace: process.env.DUDAO_NAMESPACE } : {}),
});
console.log(JSON.stringify({ url: server.url }));
process.once('SIGINT', () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
