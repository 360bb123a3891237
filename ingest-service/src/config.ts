/** Configuration by environment (SPEC §3), read in one place. */
import { fileURLToPath } from 'node:url';

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
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_CITY = 'zhuzhou';
const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    port: env.PORT ? Number(env.PORT) : DEFAULT_PORT,
    host: env.HOST || DEFAULT_HOST,
    dataDir: env.DATA_DIR || './data',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    city: env.CITY || DEFAULT_CITY,
    dashboardDir: env.DASHBOARD_DIR || DEFAULT_DASHBOARD_DIR,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** Ingest limits of SPEC §5. */
export const MAX_EVENTS_PER_REQUEST = 1000;
export const MAX_BODY_BYTES = 1024 * 1024;
/** One `metrics` message per scope per window (SPEC §8). */
export const COALESCE_WINDOW_MS = 100;
/** How often the clock checks for deadlines that passed and for a new day. */
export const CLOCK_TICK_MS = 1000;
/**
 * Lease of the instance that runs periodic work (overdue clock, nightly): when its holder dies,
 * another instance takes over within this long.
 */
export const LEADER_LEASE_MS = 10_000;
/** How often database and live store are pinged for `health`. */
export const HEALTH_CHECK_MS = 2000;
/** Verified keys are remembered this long; a revoked key stops working within it. */
export const KEY_CACHE_MS = 5000;
