/** Configuration by environment (SPEC §3), read in one place. */
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_EVENT_AGE_DAYS } from '@dudao/domain';
import { DEFAULT_CITY_ID } from '@dudao/domain/cities';

export interface ServiceConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** city pack id: `zhuzhou` | `guiyang` */
  city: string;
  /** built dashboard to serve at `/`; absent folder → API only */
  dashboardDir: string;
  /** origins allowed by CORS; empty → same-origin only */
  corsOrigins: string[];
  /** Redis key namespace (REDIS_NAMESPACE), so several deployments or test runs share one Redis */
  redisNamespace?: string;
  /** the limits of `DEFAULT_LIMITS` this deployment changes */
  limits?: Partial<ServiceLimits>;
  /** when the embedded nightly runs: cron in the city's time (NIGHTLY_CRON; default 01:30, `off` = never) */
  nightlyCron?: string;
  /** the alert rules' thresholds and the webhooks (ALERTS_FILE, JSON; SPEC §15); absent → default rules, no webhooks */
  alertsFile?: string;
}

/** What one client may use of the service, so a runaway or hostile sender cannot take it all. */
export interface ServiceLimits {
  /** `POST /events` requests per minute per key (RATE_LIMIT_INGEST_PER_MIN; 0 = no limit) */
  ingestPerMinute: number;
  /** read API requests per minute per key (RATE_LIMIT_READ_PER_MIN; 0 = no limit) */
  readPerMinute: number;
  /** open Socket.IO connections per key on one instance (SOCKETS_PER_KEY) */
  socketsPerKey: number;
  /** a database query unanswered this long fails, so an unreachable database hangs nobody (DB_QUERY_TIMEOUT_MS) */
  dbQueryTimeoutMs: number;
  /** a request not finished by then is cut off: no slow client holds a connection forever (REQUEST_TIMEOUT_MS) */
  requestTimeoutMs: number;
  /** an event whose `occurredAt` is older than this many days is refused as `too_old` (MAX_EVENT_AGE_DAYS; 0 = no limit) */
  maxEventAgeDays: number;
}

/**
 * Generous enough for the simulator, the walls and the benchmarks (SPEC §11: 5,000 single-event
 * requests/s from one key), low enough to stop a loop gone wrong.
 */
export const DEFAULT_LIMITS: ServiceLimits = {
  ingestPerMinute: 600_000,
  readPerMinute: 12_000,
  socketsPerKey: 5_000,
  dbQueryTimeoutMs: 15_000,
  requestTimeoutMs: 30_000,
  maxEventAgeDays: DEFAULT_MAX_EVENT_AGE_DAYS,
};

const LIMIT_ENV: Record<keyof ServiceLimits, string> = {
  ingestPerMinute: 'RATE_LIMIT_INGEST_PER_MIN',
  readPerMinute: 'RATE_LIMIT_READ_PER_MIN',
  socketsPerKey: 'SOCKETS_PER_KEY',
  dbQueryTimeoutMs: 'DB_QUERY_TIMEOUT_MS',
  requestTimeoutMs: 'REQUEST_TIMEOUT_MS',
  maxEventAgeDays: 'MAX_EVENT_AGE_DAYS',
};

/** The limits named in the environment; a value that is not a whole number ≥ 0 is refused. */
function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<ServiceLimits> {
  const limits: Partial<ServiceLimits> = {};
  for (const [name, variable] of Object.entries(LIMIT_ENV) as [keyof ServiceLimits, string][]) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${variable} must be a whole number ≥ 0`);
    limits[name] = value;
  }
  return limits;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    port: env.PORT ? Number(env.PORT) : DEFAULT_PORT,
    host: env.HOST || DEFAULT_HOST,
    dataDir: env.DATA_DIR || './data',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    city: env.CITY || DEFAULT_CITY_ID,
    dashboardDir: env.DASHBOARD_DIR || DEFAULT_DASHBOARD_DIR,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ...(env.REDIS_NAMESPACE ? { redisNamespace: env.REDIS_NAMESPACE } : {}),
    limits: limitsFromEnv(env),
    ...(env.NIGHTLY_CRON ? { nightlyCron: env.NIGHTLY_CRON } : {}),
    ...(env.ALERTS_FILE ? { alertsFile: env.ALERTS_FILE } : {}),
  };
}

/** Ingest limits of SPEC §5. */
export const MAX_EVENTS_PER_REQUEST = 1000;
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * One `metrics` message per scope per window (SPEC §8: a window of at most 100 ms). Under a steady
 * stream each change waits for the window to close, half a window on average, so the window sets
 * the floor of event → client: at 2,000 events/s p50 was 68–70 ms with 100 ms and 40–44 ms with
 * 40 ms (docs/benchmarks.md). The price: a scope in a burst sends up to 25 messages a second, not 10.
 */
export const COALESCE_WINDOW_MS = 40;
/** How often the leader evaluates the alert rules (SPEC §15: a firing reaches the wall within 2 s). */
export const ALERT_TICK_MS = 1000;
/** How often the clock checks for deadlines that passed and for a new day. */
export const CLOCK_TICK_MS = 1000;
/**
 * Lease of the instance that runs periodic work (overdue clock, nightly): when its holder dies,
 * another instance takes over within this long.
 */
export const LEADER_LEASE_MS = 10_000;
/** How often database and live store are pinged for `health`. */
export const HEALTH_CHECK_MS = 2000;
/** Verified keys are remembered this long; a key revoked behind the service's back stops working within it. */
export const KEY_CACHE_MS = 5000;
/** How often the keys' last use (kept in memory) is written to the database. */
export const KEY_USAGE_FLUSH_MS = 10_000;
/** How often open sockets are checked for a key that expired (locally, no database read). */
export const SOCKET_EXPIRY_CHECK_MS = 1000;
