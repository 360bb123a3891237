/** The Prometheus registry of this instance (`GET /api/v1/metrics/prometheus`). */
import fp from 'fastify-plugin';
import { PipelineMetrics } from '../ops/prometheus.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: PipelineMetrics;
  }
}

export default fp(
  async (app) => {
    app.decorate('metrics', new PipelineMetrics());
  },
  { name: 'dudao-metrics', fastify: '5.x' },
);
