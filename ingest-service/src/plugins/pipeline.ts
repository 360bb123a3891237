/**
 * The ingest pipeline (group commit, SPEC §5). What it reports goes to Prometheus here, and to
 * anyone listening on `pipelineEvents` (the health plugin: the live store must be rebuilt). On
 * close it answers every queued request before the live store and the database go.
 */
import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
import { IngestPipeline } from '../ingest/pipeline.ts';
import { STATE_PLUGINS } from './dependencies.ts';

export interface PipelineEvents {
  /** a committed group's deltas did not reach the live store */
  liveStoreFailure: [err: unknown];
  /** a group's transaction failed: its COMMIT may have gone through with the answer lost */
  storageFailure: [err: unknown];
}

declare module 'fastify' {
  interface FastifyInstance {
    pipeline: IngestPipeline;
    pipelineEvents: EventEmitter<PipelineEvents>;
  }
}

export default fp(
  async (app) => {
    const { database, live, registry, metrics } = app;
    const events = new EventEmitter<PipelineEvents>();
    const pipeline = new IngestPipeline({
      database,
      live,
      registry,
      now: app.config.now,
      maxEventAgeDays: app.config.limits.maxEventAgeDays,
      onCommitted: (stats) => metrics.recordCommit(stats),
      onLiveStoreFailure: (err) => {
        metrics.liveFailures.inc();
        events.emit('liveStoreFailure', err);
      },
      onStorageFailure: (err) => events.emit('storageFailure', err),
    });
    app.decorate('pipeline', pipeline);
    app.decorate('pipelineEvents', events);
    app.addHook('onClose', () => pipeline.drain());
  },
  {
    name: 'dudao-pipeline',
    fastify: '5.x',
    dependencies: [...STATE_PLUGINS, 'dudao-metrics'],
  },
);
