/**
 * The service's settings, resolved once (defaults filled in) and decorated as `config`, so every
 * plugin and route reads the same city, limits, clock and Redis namespace.
 */
import fp from 'fastify-plugin';
import { cityPackById, type CityPack } from '@dudao/domain/cities';
import { DEFAULT_LIMITS, LEADER_LEASE_MS, type ServiceConfig, type ServiceLimits } from '../config.ts';
import type { RetryPolicy } from '../alerts/webhooks.ts';
import { DEFAULT_NAMESPACE } from '../redis/keys.ts';

/** What `buildApp` is given beyond the environment's `ServiceConfig`. */
export interface ServiceOverrides {
  /** the clock, for tests that move time */
  now?: () => number;
  /** leader lease length (default LEADER_LEASE_MS), shorter in tests that kill the leader */
  leaderLeaseMs?: number;
  /** webhook retries (default DEFAULT_RETRY), shorter in tests of a receiver that recovers */
  alertRetry?: RetryPolicy;
  /** rows per page an export reads (default EXPORT_PAGE_SIZE), small in tests that cross pages */
  exportPageSize?: number;
}

/** Rows per page of the ledger's export (SPEC §13): one query each, about 1 MB of rows in memory. */
export const EXPORT_PAGE_SIZE = 1000;

export interface ServiceSettings {
  /** city pack id */
  city: string;
  pack: CityPack;
  limits: ServiceLimits;
  now: () => number;
  databaseUrl: string | undefined;
  dataDir: string;
  /** absent → the embedded deployment: in-process live store, no adapter, always the leader */
  redisUrl: string | undefined;
  /** first part of every Redis key (`redis/keys.ts`) */
  redisNamespace: string;
  leaderLeaseMs: number;
  /** cron of the embedded nightly; `off` = never; absent = the default */
  nightlyCron: string | undefined;
  corsOrigins: string[];
  dashboardDir: string;
  /** ALERTS_FILE; absent → the default rules and no webhooks */
  alertsFile: string | undefined;
  alertRetry: RetryPolicy | undefined;
  exportPageSize: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: ServiceSettings;
  }
}

export function resolveSettings(options: ServiceConfig & ServiceOverrides): ServiceSettings {
  return {
    city: options.city,
    pack: cityPackById(options.city),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    now: options.now ?? Date.now,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    redisUrl: options.redisUrl,
    redisNamespace: options.redisNamespace ?? DEFAULT_NAMESPACE,
    leaderLeaseMs: options.leaderLeaseMs ?? LEADER_LEASE_MS,
    nightlyCron: options.nightlyCron,
    corsOrigins: options.corsOrigins,
    dashboardDir: options.dashboardDir,
    alertsFile: options.alertsFile,
    alertRetry: options.alertRetry,
    exportPageSize: options.exportPageSize ?? EXPORT_PAGE_SIZE,
  };
}

export default fp(
  async (app, settings: ServiceSettings) => {
    app.decorate('config', settings);
  },
  { name: 'dudao-config', fastify: '5.x' },
);
