/**
 * `pnpm serve`: the service alone, as production runs it (configuration by environment);
 * `pnpm serve --instances N`: N of them on consecutive ports (PostgreSQL and Redis required).
 */
import { bootstrapKeys, startServer } from '@dudao/ingest-service';
import { instancesFromArgs, runCluster } from './cluster.ts';
import { nightlyJob } from './nightly/job.ts';
import { onShutdownSignal, runMain, serviceConfig } from './env.ts';

runMain(async () => {
  const config = serviceConfig();
  const instances = instancesFromArgs(process.argv.slice(2));
  if (instances > 1) return runCluster(config, instances);
  const server = await startServer({
    ...config,
    nightly: nightlyJob,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  onShutdownSignal(() => server.close());
  const keys = await bootstrapKeys(server.database);
  if (keys?.created) {
    // Shown once: only their hashes are stored.
    console.log(`first start: made a city viewer key and a city ingest key (shown once, store them now)`);
    console.log(`  viewer: ${keys.viewer}`);
    console.log(`  ingest: ${keys.ingest}`);
    console.log(`wall: ${server.url}/?token=${keys.viewer}`);
  }
  console.log(`dudao serving ${server.registry.city.name} on ${server.url}`);
});
