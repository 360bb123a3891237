/** `buildApp(deps)`: the Fastify app with its plugins, dependencies injected (no I/O of its own). */
import Fastify, { type FastifyServerOptions } from 'fastify';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import type { SocketAdapter } from './cluster/index.ts';
import { MAX_BODY_BYTES, type ServiceLimits } from './config.ts';
import { withRedaction } from './auth/log-redaction.ts';
import auth from './plugins/auth.ts';
import core, { type CoreDeps } from './plugins/core.ts';
import dashboard from './plugins/dashboard.ts';
import errors from './plugins/errors.ts';
import rateLimit from './plugins/rate-limit.ts';
import session from './plugins/session.ts';
import socket from './plugins/socket.ts';
import adminKeyRoutes from './routes/admin-keys.ts';
import briefingRoutes from './routes/briefings.ts';
import ingestRoutes from './routes/ingest.ts';
import issueRoutes from './routes/issues.ts';
import opsRoutes from './routes/ops.ts';
import peopleRoutes from './routes/people.ts';
import readRoutes from './routes/read.ts';
import sessionRoutes from './routes/session.ts';

export interface AppOptions {
  city: string;
  corsOrigins: string[];
  dashboardDir: string;
  logger?: FastifyServerOptions['logger'];
  /** Socket.IO adapter across instances (Redis); absent → the in-memory default */
  socketAdapter?: SocketAdapter | undefined;
  limits: ServiceLimits;
  /** Redis for the shared rate-limit counts; absent → counted in this process */
  redisUrl?: string | undefined;
  redisNamespace: string;
}

const TIMEOUT_CHECKS_PER_LIMIT = 4;

export async function buildApp(deps: CoreDeps, options: AppOptions) {
  const app = Fastify({
    logger: withRedaction(options.logger),
    bodyLimit: MAX_BODY_BYTES,
    requestTimeout: options.limits.requestTimeoutMs,
    http: {
      // Node enforces requestTimeout only when the headers' timeout (60 s by default) is no longer.
      headersTimeout: options.limits.requestTimeoutMs,
      // It looks for late requests every so often (30 s by default): here often enough that a slow
      // client is cut off within a quarter more than its limit.
      connectionsCheckingInterval: Math.ceil(options.limits.requestTimeoutMs / TIMEOUT_CHECKS_PER_LIMIT),
    },
    ajv: {
      // The contract is strict JSON: no coercion of "5" to 5, nothing silently dropped.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true, discriminator: true },
    },
  });
  await app.register(errors);
  await app.register(core, deps);
  await app.register(auth, { database: deps.database, now: deps.now });
  await app.register(session, { database: deps.database, now: deps.now });
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  await app.register(cors, { origin: options.corsOrigins.length > 0 ? options.corsOrigins : false });
  await app.register(rateLimit, {
    ingestPerMinute: options.limits.ingestPerMinute,
    readPerMinute: options.limits.readPerMinute,
    redisUrl: options.redisUrl,
    namespace: options.redisNamespace,
  });
  await app.register(ingestRoutes);
  await app.register(readRoutes, { city: options.city });
  await app.register(briefingRoutes);
  await app.register(opsRoutes);
  await app.register(sessionRoutes);
  await app.register(peopleRoutes);
  await app.register(issueRoutes);
  await app.register(socket, {
    corsOrigins: options.corsOrigins,
    adapter: options.socketAdapter,
    socketsPerKey: options.limits.socketsPerKey,
  });
  await app.register(adminKeyRoutes);
  await app.register(dashboard, { dir: options.dashboardDir });
  return app;
}
