/**
 * Health of the database and the live store (`/readyz`, the sockets' `health`, Prometheus), and the
 * live store's repair: filled from the database at start-up, rebuilt (counters and feeds) whenever it
 * missed deltas.
 *
 * Redis away at start-up does not stop the service (the database is the truth): it starts with
 * `live: down`, ingests, serves reads from the database, and the health checks fill the live store
 * as soon as Redis answers.
 */
import fp from 'fastify-plugin';
import { HEALTH_CHECK_MS } from '../config.ts';
import { feedsFromDatabase } from '../ingest/feed-item.ts';
import { rebuildLiveStore } from '../live/rebuild.ts';
import { HealthMonitor } from '../ops/health.ts';
import { isRedisUnavailable } from '../redis/connections.ts';
import { STATE_PLUGINS } from './dependencies.ts';

declare module 'fastify' {
  interface FastifyInstance {
    health: HealthMonitor;
  }
}

export default fp(
  async (app) => {
    const { database, live, pipeline, pipelineEvents, metrics, registry } = app;
    const { pack, now } = app.config;
    const health = new HealthMonitor({
      database,
      live,
      rebuild: () =>
        rebuildLiveStore({
          database,
          live,
          pipeline,
          cityAdcode: pack.adcode,
          timezone: pack.timezone,
          now,
          feeds: () => feedsFromDatabase(database, registry),
        }),
      intervalMs: HEALTH_CHECK_MS,
      onError: (err) => app.log.error({ err }, 'live store rebuild failed'),
    });
    const liveStoreFailed = () => health.liveStoreFailed();
    const commitUncertain = () => health.commitUncertain();
    pipelineEvents.on('liveStoreFailure', liveStoreFailed);
    pipelineEvents.on('storageFailure', commitUncertain);
    metrics.recordHealth(health.state);
    health.on('change', (h) => {
      metrics.recordHealth(h);
      app.log.warn({ health: h }, 'health changed');
    });
    app.decorate('health', health);

    try {
      await health.rebuild();
    } catch (err) {
      if (!isRedisUnavailable(err)) throw err;
      app.log.warn(
        { err },
        'Redis is unreachable: starting without the live store, reads come from the database',
      );
      health.liveStoreFailed();
    }
    app.addHook('onReady', async () => health.start());
    app.addHook('onClose', async () => {
      health.stop();
      pipelineEvents.off('liveStoreFailure', liveStoreFailed);
      pipelineEvents.off('storageFailure', commitUncertain);
    });
  },
  {
    name: 'dudao-health',
    fastify: '5.x',
    dependencies: [...STATE_PLUGINS, 'dudao-pipeline', 'dudao-metrics'],
  },
);
