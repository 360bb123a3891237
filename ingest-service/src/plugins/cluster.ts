/**
 * What several instances over one Redis share beyond the live store (`cluster/index.ts`): the leader
 * lease and the Socket.IO adapter. The lease is taken once the app is ready and given up first
 * when it closes, so a successor takes the periodic work over at once.
 */
import fp from 'fastify-plugin';
import { openCluster, type Cluster } from '../cluster/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    cluster: Cluster;
  }
}

export default fp(
  async (app) => {
    const { redisNamespace, pack, leaderLeaseMs } = app.config;
    const cluster = openCluster({
      redisUrl: app.redis?.url,
      namespace: redisNamespace,
      cityAdcode: pack.adcode,
      leaseTtlMs: leaderLeaseMs,
    });
    app.decorate('cluster', cluster);
    cluster.leadership.on('change', (leader) =>
      app.log.info({ instance: cluster.instanceId, leader }, 'leadership changed'),
    );
    app.addHook('onReady', () => cluster.leadership.start());
    app.addHook('preClose', () => cluster.leadership.close());
    app.addHook('onClose', () => cluster.close());
  },
  { name: 'dudao-cluster', fastify: '5.x', dependencies: ['dudao-config', 'dudao-redis'] },
);
