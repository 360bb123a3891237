/**
 * The deployment's Redis (REDIS_URL), or null without one. It hands out clients under a named
 * policy (`redis/connections.ts`); a client belongs to the plugin that asked for it, which closes
 * it in its own `onClose`. Key names come from `redis/keys.ts` with `namespace`.
 */
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { createRedis, type RedisPolicy } from '../redis/connections.ts';

export interface ServiceRedis {
  url: string;
  namespace: string;
  connect(policy: RedisPolicy, extra?: { lazyConnect?: boolean }): Redis;
}

declare module 'fastify' {
  interface FastifyInstance {
    redis: ServiceRedis | null;
  }
}

export default fp(
  async (app) => {
    const { redisUrl, redisNamespace } = app.config;
    app.decorate(
      'redis',
      redisUrl
        ? {
            url: redisUrl,
            namespace: redisNamespace,
            connect: (policy: RedisPolicy, extra?: { lazyConnect?: boolean }) =>
              createRedis(redisUrl, policy, extra),
          }
        : null,
    );
  },
  { name: 'dudao-redis', fastify: '5.x', dependencies: ['dudao-config'] },
);
