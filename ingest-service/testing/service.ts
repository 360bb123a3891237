/**
 * A real service for tests: real HTTP on a free port, a fresh database (PostgreSQL when DATABASE_URL
 * is set, else PGlite), the Redis live store when REDIS_URL is set (own namespace), a small known
 * registry (testkit's), and keys of every role. The clock is the test's to move.
 */
import { openTestDatabase, requireServiceUrl, seedTestRegistry, TY, type TestClock } from '@dudao/testkit';
import { testNamespace } from '@dudao/testkit/redis';
import {
  createKey,
  startServer,
  type RunningServer,
  type ServiceLimits,
  type StartOptions,
} from '../src/index.ts';

export type TestService = Awaited<ReturnType<typeof startTestService>>;

/**
 * The service as the tests start it: a free port on 127.0.0.1, the test city, no dashboard, no CORS
 * origins; `options` (the database and Redis at least) add to that.
 */
export const startTestServer = (
  options: Pick<StartOptions, 'databaseUrl' | 'redisUrl'> & Partial<StartOptions>,
): Promise<RunningServer> =>
  startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: 'memory://',
    city: 'zhuzhou',
    dashboardDir: '/nonexistent',
    corsOrigins: [],
    ...options,
  });

export interface TestServiceOptions {
  clock?: TestClock;
  /** the service reaches PostgreSQL at this URL instead (fault tests put a TcpProxy there) */
  databaseVia?: (url: string) => string;
  /** the service reaches Redis at this URL instead */
  redisVia?: (url: string) => string;
  /** a Redis of the test's own, on either backend (REDIS_URL or not) */
  redisUrl?: string;
  /** Redis namespace; give two services the same one to make them one deployment */
  redisNamespace?: string;
  limits?: Partial<ServiceLimits>;
  corsOrigins?: string[];
  logger?: StartOptions['logger'];
  /** a built dashboard to serve (none by default) */
  dashboardDir?: string;
  /** ALERTS_FILE (SPEC §15) */
  alertsFile?: string;
  alertRetry?: StartOptions['alertRetry'];
  /** rows per page of the ledger's export (the service's default otherwise) */
  exportPageSize?: number;
}

export async function startTestService(options: TestServiceOptions = {}) {
  const testDb = await openTestDatabase();
  const { database } = testDb;
  await seedTestRegistry(database);
  const redisUrl = requireServiceUrl('REDIS_URL');
  const viaProxy = options.databaseVia && testDb.url;
  const redisNamespace = options.redisNamespace ?? testNamespace('service');
  const server = await startTestServer({
    ...(viaProxy ? { databaseUrl: options.databaseVia!(testDb.url!) } : { databaseUrl: undefined, database }),
    redisUrl: options.redisUrl ?? (redisUrl && options.redisVia ? options.redisVia(redisUrl) : redisUrl),
    redisNamespace,
    ...(options.dashboardDir ? { dashboardDir: options.dashboardDir } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.clock ? { now: options.clock.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.alertsFile ? { alertsFile: options.alertsFile } : {}),
    ...(options.alertRetry ? { alertRetry: options.alertRetry } : {}),
    ...(options.exportPageSize ? { exportPageSize: options.exportPageSize } : {}),
  });
  const key = async (role: 'ingest' | 'viewer' | 'admin', scope: string) =>
    (await createKey(database, { role, scope })).token;
  const keys = {
    admin: await key('admin', 'city'),
    ingest: await key('ingest', 'city'),
    ingestTY: await key('ingest', TY),
    viewer: await key('viewer', 'city'),
    viewerTY: await key('viewer', TY),
  };

  async function request(method: string, path: string, token: string | null, body?: unknown, type?: string) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = type ?? 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(`${server.url}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, body: json as any };
  }

  return {
    server,
    database,
    url: server.url,
    keys,
    redisUrl,
    request,
    post: (events: unknown, token: string | null = keys.ingest) =>
      request('POST', '/api/v1/events', token, events),
    postRaw: (body: string, type: string, token: string | null = keys.ingest) =>
      request('POST', '/api/v1/events', token, body, type),
    get: (path: string, token: string | null = keys.viewer) => request('GET', path, token),
    /**
     * Another instance of this deployment (the same database and Redis namespace, straight, not
     * through a proxy); `extra` adds to the test defaults. The caller closes it.
     */
    startInstance: (extra: Partial<StartOptions> = {}) =>
      startTestServer({
        databaseUrl: undefined,
        database,
        redisUrl: options.redisUrl ?? redisUrl,
        redisNamespace,
        ...extra,
      }),
    metrics: async (scope = 'city') =>
      (await request('GET', `/api/v1/metrics?scope=${scope}`, keys.viewer)).body,
    close: async () => {
      await server.close();
      await testDb.drop();
    },
  };
}
