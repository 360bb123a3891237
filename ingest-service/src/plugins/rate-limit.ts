/**
 * Requests per minute per key (SPEC §9), ingest and reads counted apart, over the limit a 429 with
 * `Retry-After`. With Redis the count is shared by every instance (@fastify/rate-limit's RedisStore,
 * one script per request), else it is this process's (its LocalStore).
 *
 * Counted after the route's key check (`preParsing`), so the count belongs to a verified key and a
 * request over the limit is refused before its body is read. Routes without a key (health, the
 * wall's files) are not counted.
 */
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { failFastRedis } from '../live/redis-connection.ts';
import { HttpError } from './errors.ts';

export interface RateLimitPluginOptions {
  /** `POST /api/v1/events` requests per minute per key; 0 = no limit */
  ingestPerMinute: number;
  /** other keyed requests per minute per key; 0 = no limit */
  readPerMinute: number;
  /** absent → counted in this process */
  redisUrl?: string | undefined;
  /** Redis key prefix of the deployment */
  namespace: string;
}

const WINDOW_MS = 60_000;
const INGEST_ROUTE = '/api/v1/events';

const isIngest = (request: FastifyRequest) => request.routeOptions.url === INGEST_ROUTE;

export default fp(
  async (app, opts: RateLimitPluginOptions) => {
    const limitOf = (request: FastifyRequest) =>
      isIngest(request) ? opts.ingestPerMinute : opts.readPerMinute;
    const redis = opts.redisUrl ? failFastRedis(opts.redisUrl) : undefined;
    await app.register(rateLimit, {
      hook: 'preParsing',
      timeWindow: WINDOW_MS,
      max: (request) => limitOf(request),
      keyGenerator: (request) =>
        request.principal
          ? `${request.principal.keyId}:${isIngest(request) ? 'ingest' : 'read'}`
          : request.ip,
      allowList: (request) => !request.principal || limitOf(request) === 0,
      // Redis away: serve rather than refuse. The limit is a guard; the database is the truth.
      skipOnError: true,
      ...(redis ? { redis, nameSpace: `${opts.namespace}:rate-limit:` } : {}),
      errorResponseBuilder: (_request, context) =>
        new HttpError(429, 'rate_limited', `too many requests for this key; retry in ${context.after}`),
    });
    if (redis) app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
  },
  { name: 'dudao-rate-limit', fastify: '5.x', dependencies: ['dudao-auth', 'dudao-errors'] },
);
