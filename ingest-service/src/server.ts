/**
 * `startServer`: opens the database (migrating it), loads the city pack, rebuilds the live store
 * from the database, and serves the API, Socket.IO and the dashboard on one port.
 */
import { upsertCityPack, openDatabase, type Database } from '@dudao/db';
import { cityPackById } from '@dudao/domain/cities';
import { buildApp } from './app.ts';
import { openCluster } from './cluster/index.ts';
import {
  CLOCK_TICK_MS,
  DEFAULT_LIMITS,
  HEALTH_CHECK_MS,
  LEADER_LEASE_MS,
  type ServiceConfig,
} from './config.ts';
import { IngestPipeline } from './ingest/pipeline.ts';
import { OverdueClock } from './live/clock.ts';
import { createLiveStore, DEFAULT_NAMESPACE } from './live/index.ts';
import { rebuildLiveStore } from './live/rebuild.ts';
import { HealthMonitor } from './ops/health.ts';
import { openRunLock } from './ops/run-lock.ts';
import { NightlyScheduler, type NightlyJob } from './ops/scheduler.ts';
import { PipelineMetrics } from './ops/prometheus.ts';
import { SnapshotReader } from './push/snapshots.ts';
import { Registry } from './registry.ts';
import type { FastifyServerOptions } from 'fastify';

export interface StartOptions extends ServiceConfig {
  logger?: FastifyServerOptions['logger'];
  /** an open database to use (the caller closes it); else one is opened from the config */
  database?: Database;
  /** Redis key namespace, so several deployments (or test runs) share one Redis */
  redisNamespace?: string;
  /** the clock, for tests that move time */
  now?: () => number;
  /** leader lease length (default LEADER_LEASE_MS), shorter in tests that kill the leader */
  leaderLeaseMs?: number;
  /** the nightly job (it lives in `scripts/`): given, the embedded scheduler runs it (SPEC §10) */
  nightly?: NightlyJob;
}

export type RunningServer = Awaited<ReturnType<typeof startServer>>;

export async function startServer(config: StartOptions) {
  const now = config.now ?? Date.now;
  const pack = cityPackById(config.city);
  const limits = { ...DEFAULT_LIMITS, ...config.limits };
  const ownsDatabase = !config.database;
  const database =
    config.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      queryTimeoutMs: limits.dbQueryTimeoutMs,
    }));
  await upsertCityPack(database, pack);
  const registry = await Registry.load(database, pack);
  const live = createLiveStore({
    redisUrl: config.redisUrl,
    cityAdcode: pack.adcode,
    timezone: pack.timezone,
    ...(config.redisNamespace ? { namespace: config.redisNamespace } : {}),
  });
  const cluster = openCluster({
    redisUrl: config.redisUrl,
    namespace: config.redisNamespace ?? DEFAULT_NAMESPACE,
    cityAdcode: pack.adcode,
    leaseTtlMs: config.leaderLeaseMs ?? LEADER_LEASE_MS,
  });
  const metrics = new PipelineMetrics();
  let health: HealthMonitor | null = null;
  const pipeline = new IngestPipeline({
    database,
    live,
    registry,
    now,
    onCommitted: (stats) => metrics.recordCommit(stats),
    onLiveStoreFailure: () => {
      metrics.liveFailures.inc();
      health?.liveStoreFailed();
    },
    onStorageFailure: () => health?.commitUncertain(),
  });
  const rebuild = () =>
    rebuildLiveStore({ database, live, pipeline, cityAdcode: pack.adcode, timezone: pack.timezone, now });
  health = new HealthMonitor({ database, live, rebuild, intervalMs: HEALTH_CHECK_MS });
  const monitor = health;
  const snapshots = new SnapshotReader(live, registry, now);
  const app = await buildApp(
    { database, live, registry, pipeline, snapshots, health, metrics, now },
    {
      city: config.city,
      corsOrigins: config.corsOrigins,
      dashboardDir: config.dashboardDir,
      logger: config.logger,
      socketAdapter: cluster.socketAdapter,
      limits,
      redisUrl: config.redisUrl,
      redisNamespace: config.redisNamespace ?? DEFAULT_NAMESPACE,
    },
  );
  health.on('change', (h) => app.log.warn({ health: h }, 'health changed'));
  health.deps.onError = (err) => app.log.error({ err }, 'live store rebuild failed');
  const clock = new OverdueClock({
    live,
    districts: [...registry.districtCodes],
    timezone: pack.timezone,
    tickMs: CLOCK_TICK_MS,
    now,
    onError: (err) => app.log.error({ err }, 'overdue clock failed'),
  });

  const runLock = openRunLock({
    database,
    redisUrl: config.redisUrl,
    namespace: config.redisNamespace ?? DEFAULT_NAMESPACE,
  });
  const nightly =
    config.nightly && config.nightlyCron !== 'off'
      ? new NightlyScheduler({
          job: config.nightly,
          lock: runLock.lock,
          ...(config.nightlyCron ? { pattern: config.nightlyCron } : {}),
          context: {
            database,
            city: registry.city,
            districts: [...registry.districts.values()].map(({ adcode, name }) => ({ adcode, name })),
            live,
            pipeline,
            dataDir: config.dataDir,
            now,
            log: (line) => app.log.info(line),
          },
          onError: (err) => app.log.error({ err }, 'nightly failed'),
        })
      : null;

  // Periodic work runs on the leader only: one instance across the deployment.
  const leadership = cluster.leadership;
  leadership.on('change', (leader) => {
    if (leader) {
      clock.start();
      nightly?.start();
    } else {
      clock.stop();
      void nightly?.stop();
    }
    app.log.info({ instance: cluster.instanceId, leader }, 'leadership changed');
  });

  await rebuild();
  await app.listen({ port: config.port, host: config.host });
  health.start();
  await leadership.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // The lease goes first, so a successor takes the periodic work over at once.
      await leadership.close();
      await nightly?.stop();
      await runLock.close();
      monitor.stop();
      await app.close();
      await pipeline.drain();
      await cluster.close();
      await live.close();
      if (ownsDatabase) await database.close();
    })());

  return {
    app,
    url,
    port,
    database,
    live,
    registry,
    pipeline,
    clock,
    leadership,
    health,
    rebuild,
    nightly,
    close,
  };
}
