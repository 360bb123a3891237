/**
 * Redis connections for work that must not wait on a Redis that is away: the live store's deltas
 * (applied under the city's ingest lock) and the shared rate-limit counters (on every request).
 *
 * ioredis by default queues a command while disconnected and sends it again after a reconnect. For
 * a delta that is wrong twice over: ingest stalls for the whole outage, and a command whose first
 * send did reach Redis is applied a second time. Here a command fails at once instead; the caller
 * marks the live store for a rebuild, which repairs whatever a failed command did or did not do
 * (it runs on the same connection, after everything sent before it).
 */
import { Redis } from 'ioredis';

/** A command unanswered this long fails (a Redis that stopped answering without closing). */
const REDIS_COMMAND_TIMEOUT_MS = 2_000;
/** A connection attempt that takes longer counts as failed. */
const REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** Reconnect attempts back off up to this, so a returning Redis is found within about a second. */
const MAX_RECONNECT_DELAY_MS = 1_000;
const RECONNECT_STEP_MS = 100;

export function failFastRedis(url: string): Redis {
  const redis = new Redis(url, {
    // Commands pending when a connection drops fail with it (retried 0 times, never re-sent).
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * RECONNECT_STEP_MS, MAX_RECONNECT_DELAY_MS),
  });
  // Outages show in ping() (readyz, health) and in failed calls; an unheard 'error' would crash us.
  redis.on('error', () => {});
  // Commands wait for the first connection only (start-up); from then on, while Redis is away a
  // command fails at once rather than waiting in a queue to be sent late.
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
  });
  return redis;
}

/** What ioredis says when Redis is away, the connection dropped or a command timed out. */
const REDIS_UNAVAILABLE_MESSAGE =
  /Stream isn't writeable|Connection is closed|Command timed out|max retries per request|ECONNREFUSED|ECONNRESET/i;

/** Whether `err` says Redis could not be reached (a 503 to retry), rather than a wrong command. */
export const isRedisUnavailable = (err: unknown): boolean =>
  err instanceof Error &&
  (err.name === 'MaxRetriesPerRequestError' || REDIS_UNAVAILABLE_MESSAGE.test(err.message));
