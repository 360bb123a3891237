/**
 * `buildApp(options)`: the service as Fastify plugins, one resource each, registered in dependency
 * order. Each decorates its own name (`app.database`, `app.live`, …) and closes in `onClose` only
 * what it opened; closing runs them backwards, so requests drain before the live store and the
 * database go. The app is loaded (database open, live store filled) but not listening.
 *
 * | plugin                 | decorates                      | needs                             |
 * | ---------------------- | ------------------------------ | --------------------------------- |
 * | `plugins/config`       | `config`                       |                                   |
 * | `plugins/database`     | `database`                     | config                            |
 * | `plugins/registry`     | `registry`                     | database                          |
 * | `plugins/redis`        | `redis` (null without one)     | config                            |
 * | `plugins/metrics`      | `metrics`                      |                                   |
 * | `plugins/live`         | `live`, `snapshots`            | registry, redis                   |
 * | `plugins/pipeline`     | `pipeline`, `pipelineEvents`   | database, registry, live, metrics |
 * | `plugins/health`       | `health`                       | database, live, pipeline          |
 * | `plugins/cluster`      | `cluster` (lease, adapter)     | redis                             |
 * | `plugins/scheduler`    | `scheduler` (clock, nightly)   | live, pipeline, cluster           |
 * | `plugins/auth`         | `verifyToken`, `requireKey`    | database                          |
 * | `plugins/session`      | people's sessions (SPEC §12)   | database, auth                    |
 * | `plugins/rate-limit`   |                                | redis, auth                       |
 * | `plugins/plans`        | `plans` (live plan progress)   | database, registry, live          |
 * | `plugins/socket`       | `io`, `keySockets`             | live, plans, health, cluster, auth |
 * | `plugins/alerts`       | `alerts` (rules, evaluator)    | database, cluster, socket         |
 * | `routes/index`         | the API routes                 | all of the above                  |
 * | `plugins/dashboard`    | `dashboardIndex`               |                                   |
 */
import Fastify, { type FastifyServerOptions } from 'fastify';
import cors from '@fastify/cors';
import type { Database } from '@dudao/db';
import { withRedaction } from './auth/log-redaction.ts';
import { MAX_BODY_BYTES, type ServiceConfig } from './config.ts';
import type { NightlyJob } from './ops/scheduler.ts';
import alerts from './plugins/alerts.ts';
import auth from './plugins/auth.ts';
import cluster from './plugins/cluster.ts';
import config, { resolveSettings, type ServiceOverrides } from './plugins/config.ts';
import dashboard from './plugins/dashboard.ts';
import database from './plugins/database.ts';
import errors from './plugins/errors.ts';
import health from './plugins/health.ts';
import live from './plugins/live.ts';
import metrics from './plugins/metrics.ts';
import pipeline from './plugins/pipeline.ts';
import plans from './plugins/plans.ts';
import rateLimit from './plugins/rate-limit.ts';
import redis from './plugins/redis.ts';
import registry from './plugins/registry.ts';
import scheduler from './plugins/scheduler.ts';
import securityHeaders from './plugins/security-headers.ts';
import session from './plugins/session.ts';
import socket from './plugins/socket.ts';
import routes from './routes/index.ts';

export interface AppOptions extends ServiceConfig, ServiceOverrides {
  logger?: FastifyServerOptions['logger'];
  /** an open database to use (the caller closes it); else one is opened from the config */
  database?: Database;
  /** the nightly job (it lives in `scripts/`): given, the embedded scheduler runs it (SPEC §10) */
  nightly?: NightlyJob;
}

const TIMEOUT_CHECKS_PER_LIMIT = 4;

export async function buildApp(options: AppOptions) {
  const settings = resolveSettings(options);
  const { requestTimeoutMs } = settings.limits;
  const app = Fastify({
    logger: withRedaction(options.logger),
    bodyLimit: MAX_BODY_BYTES,
    // Plugins open the database (migrating it) and fill the live store from it: that takes as long
    // as the data needs, not Fastify's default 10 s.
    pluginTimeout: 0,
    requestTimeout: requestTimeoutMs,
    http: {
      // Node enforces requestTimeout only when the headers' timeout (60 s by default) is no longer.
      headersTimeout: requestTimeoutMs,
      // It looks for late requests every so often (30 s by default): here often enough that a slow
      // client is cut off within a quarter more than its limit.
      connectionsCheckingInterval: Math.ceil(requestTimeoutMs / TIMEOUT_CHECKS_PER_LIMIT),
    },
    ajv: {
      // The contract is strict JSON: no coercion of "5" to 5, nothing silently dropped.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, discriminator: true },
    },
  });
  try {
    await app.register(errors);
    await app.register(config, settings);
    await app.register(database, { database: options.database });
    await app.register(registry);
    await app.register(redis);
    await app.register(metrics);
    await app.register(live);
    await app.register(pipeline);
    await app.register(health);
    await app.register(cluster);
    await app.register(scheduler, { nightly: options.nightly });
    await app.register(auth, { database: app.database, now: settings.now });
    await app.register(session, { database: app.database, now: settings.now });
    await app.register(securityHeaders);
    await app.register(cors, { origin: settings.corsOrigins.length > 0 ? settings.corsOrigins : false });
    await app.register(rateLimit);
    await app.register(plans);
    await app.register(socket, {
      corsOrigins: settings.corsOrigins,
      socketsPerKey: settings.limits.socketsPerKey,
    });
    await app.register(alerts);
    await app.register(routes);
    await app.register(dashboard, { dir: settings.dashboardDir });
    await app.ready();
  } catch (err) {
    // What the loaded plugins opened is closed again (a database we opened, Redis connections).
    await app.close().catch(() => {});
    throw err;
  }
  return app;
}

export type DudaoApp = Awaited<ReturnType<typeof buildApp>>;
