/**
 * How `db/` tells a database that is away from a query that is wrong: by SQLSTATE and Node's
 * network codes, and, for node-postgres' own errors that carry no code, by their message. The one
 * place that knows; the service answers 503 (retry) for the first and 500/400 for the second.
 */

/** Node's codes for a connection that could not be made or was lost. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** SQLSTATEs of a server that is away, shutting down or full (class 08: connection exception). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
/** What node-postgres says when a connection dies, cannot be made in time, or a query times out. */
const DRIVER_UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|is not queryable|Connection ended/i;

/**
 * Whether `err` (or an error it wraps, as drizzle does) says the database could not be reached,
 * rather than that the query was wrong: the caller answers 503 and the sender retries.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
      return true;
    if (DRIVER_UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}
