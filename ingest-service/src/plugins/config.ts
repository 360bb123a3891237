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
}

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
  };
}

export default fp(
  async (app, settings: ServiceSettings) => {
    app.decorate('config', settings);
  },
  { name: 'dudao-config', fastify: '5.x' },
);
