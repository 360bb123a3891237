/** Decorates the app with the service's parts, built by `startServer` and injected (createApp(deps)). */
import fp from 'fastify-plugin';
import type { Database } from '@dudao/db';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { LiveStore } from '../live/store.ts';
import type { HealthMonitor } from '../ops/health.ts';
import type { PipelineMetrics } from '../ops/prometheus.ts';
import type { SnapshotReader } from '../push/snapshots.ts';
import type { Registry } from '../registry.ts';

export interface CoreDeps {
  database: Database;
  live: LiveStore;
  registry: Registry;
  pipeline: IngestPipeline;
  snapshots: SnapshotReader;
  health: HealthMonitor;
  metrics: PipelineMetrics;
  now: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    core: CoreDeps;
  }
}

export default fp(
  async (app, deps: CoreDeps) => {
    app.decorate('core', deps);
  },
  { name: 'dudao-core', fastify: '5.x' },
);
