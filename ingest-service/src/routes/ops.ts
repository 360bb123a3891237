/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';

export default async function opsRoutes(app: FastifyInstance) {
  const { health, metrics } = app;

  app.get('/api/v1/healthz', async () => ({ status: 'ok' }));

  app.get('/api/v1/readyz', async (_request, reply) => {
    await health.check();
    const ready = health.state.db === 'ok' && health.state.live === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', ...health.state });
  });

  app.get('/api/v1/metrics/prometheus', { onRequest: app.requireKey('viewer') }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
