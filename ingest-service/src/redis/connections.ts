/**
 * Every Redis client of the service (and of the scripts) is made here, with one of three named
 * policies, so what a command does while Redis is away is decided once per kind of work:
 *
 * - `failFast` — the hot path: the live store's deltas (applied under the city's ingest lock) and
 *   reads, the shared rate-limit counts (on every request: a Redis down at start-up must not add a
 *   reconnect delay to each). ioredis by default queues a command while
 *   disconnected and sends it again after a reconnect; for a delta that is wrong twice over: ingest
 *   stalls for the whole outage, and a command whose first send did reach Redis is applied a second
 *   time. Here a command fails at once instead; the caller marks the live store for a rebuild, which
 *   repairs whatever a failed command did or did not do.
 * - `subscriber` — Pub/Sub (the live store's change channel, the Socket.IO adapter's): a
 *   subscription waits however long Redis is away and is renewed on every reconnect.
 * - `queueing` — work that may wait a little but not forever (the leader lease, the run lock, the
 *   adapter's publisher, scripts): queued while away, failed after ioredis' retry count.
 */
import { Redis, type Cluster, type RedisOptions } from 'ioredis';

/** A command unanswered this long fails (a Redis that stopped answering without closing). */
const REDIS_COMMAND_TIMEOUT_MS = 2_000;
/** A connection attempt that takes longer counts as failed. */
const REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** Reconnect attempts back off up to this, so a returning Redis is found within about a second. */
const MAX_RECONNECT_DELAY_MS = 1_000;
const RECONNECT_STEP_MS = 100;

const reconnectSoon = (attempt: number) => Math.min(attempt * RECONNECT_STEP_MS, MAX_RECONNECT_DELAY_MS);

export const REDIS_POLICIES = {
  failFast: {
    // Commands pending when a connection drops fail with it (retried 0 times, never re-sent).
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: reconnectSoon,
  },
  subscriber: {
    // SUBSCRIBE waits for a connection, however long; ioredis subscribes again after a reconnect.
    maxRetriesPerRequest: null,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: reconnectSoon,
  },
  queueing: {},
} as const satisfies Record<string, RedisOptions>;

export type RedisPolicy = keyof typeof REDIS_POLICIES;

/** A new client of `url` under `policy`; the caller owns it and ends it with `closeRedis`. */
export function createRedis(url: string, policy: RedisPolicy, extra: { lazyConnect?: boolean } = {}): Redis {
  const redis = new Redis(url, { ...REDIS_POLICIES[policy], ...extra });
  // Outages show in ping() (readyz, health) and in failed calls; an unheard 'error' would crash us.
  redis.on('error', () => {});
  if (policy === 'failFast') {
    // Commands wait for the first connection attempt only (start-up); from then on — connected, or
    // that attempt failed (Redis down at start-up) — while Redis is away a command fails at once
    // rather than waiting in a queue for the next attempt, or to be sent late.
    const failFast = () => {
      redis.options.enableOfflineQueue = false;
    };
    redis.once('ready', failFast);
    redis.once('reconnecting', failFast);
  }
  return redis;
}

/** Ends a client (or a Cluster's), even when Redis is unreachable (QUIT would wait for it). */
export async function closeRedis(redis: Redis | Cluster): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}

/** What ioredis says when Redis is away, the connection dropped or a command timed out. */
const REDIS_UNAVAILABLE_MESSAGE =
  /Stream isn't writeable|Connection is closed|Command timed out|max retries per request|ECONNREFUSED|ECONNRESET/i;

/** Whether `err` says Redis could not be reached (a 503 to retry), rather than a wrong command. */
export const isRedisUnavailable = (err: unknown): boolean =>
  err instanceof Error &&
  (err.name === 'MaxRetriesPerRequestError' || REDIS_UNAVAILABLE_MESSAGE.test(err.message));
