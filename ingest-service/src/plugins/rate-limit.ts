/**
 * Requests per minute per key (SPEC §9), ingest and reads counted apart, over the limit a 429 with
 * `Retry-After`. With Redis the count is shared by every instance (`ReservingRedisStore`: tickets
 * reserved from Redis in blocks, no Redis call for most requests; never more than the limit, and
 * refused at the earliest (N−1) % before it with N instances), else it is this process's (the
 * library's LocalStore).
 *
 * Counted after the route's key check (`preParsing`), so the count belongs to a verified key and a
 * request over the limit is refused before its body is read. Routes without a key (health, the
 * wall's files) are not counted.
 */
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { closeRedis } from '../redis/connections.ts';
import { rateLimitPrefix } from '../redis/keys.ts';
import { reservingStoreOn } from '../redis/rate-limit-store.ts';
import { HttpError } from './errors.ts';

const WINDOW_MS = 60_000;
const INGEST_ROUTE = '/api/v1/events';

const isIngest = (request: FastifyRequest) => request.routeOptions.url === INGEST_ROUTE;

export default fp(
  async (app) => {
    // `POST /api/v1/events` and the other keyed requests, per minute per key; 0 = no limit.
    const { ingestPerMinute, readPerMinute } = app.config.limits;
    const limitOf = (request: FastifyRequest) => (isIngest(request) ? ingestPerMinute : readPerMinute);
    // Counted on every request: a Redis that is away must not hold it up.
    const redis = app.redis?.connect('failFast');
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
      ...(redis ? { store: reservingStoreOn(redis, rateLimitPrefix(app.config.redisNamespace)) } : {}),
      errorResponseBuilder: (_request, context) =>
        new HttpError(429, 'rate_limited', `too many requests for this key; retry in ${context.after}`),
    });
    if (redis) app.addHook('onClose', () => closeRedis(redis));
  },
  {
    name: 'dudao-rate-limit',
    fastify: '5.x',
    dependencies: ['dudao-config', 'dudao-redis', 'dudao-auth', 'dudao-errors'],
  },
);
