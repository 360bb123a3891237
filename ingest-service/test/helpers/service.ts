/**
 * A real service for tests: real HTTP on a free port, a fresh database (PostgreSQL when DATABASE_URL
 * is set, else PGlite), the Redis live store when REDIS_URL is set (own namespace), a small known
 * registry, and keys of every role. The clock is the test's to move.
 */
import { randomBytes } from 'node:crypto';
import { upsertInspectors, upsertInstitutions, upsertSchools } from '@dudao/db';
import { openTestDatabase, requireServiceUrl } from '@dudao/testkit';
import { upsertCityPack, type Database } from '@dudao/db';
import { cityPackById } from '@dudao/domain/cities';
import { createKey, startServer, type StartOptions } from '../../src/index.ts';
import type { ServiceLimits } from '../../src/config.ts';

export const TY = '430211'; // 天元区
export const HT = '430202'; // 荷塘区

export const REGISTRY = {
  schools: [
    {
      id: 'S-TY-1',
      district: TY,
      name: '天元区泰山学校',
      stage: 'nine_year',
      ownership: 'public',
      students: 2100,
    },
    {
      id: 'S-TY-2',
      district: TY,
      name: '天元区白鹤小学',
      stage: 'primary',
      ownership: 'public',
      students: 1300,
    },
    {
      id: 'S-TY-3',
      district: TY,
      name: '天元区栗雨幼儿园',
      stage: 'kindergarten',
      ownership: 'private',
      students: 300,
    },
    {
      id: 'S-HT-1',
      district: HT,
      name: '荷塘区建设小学',
      stage: 'primary',
      ownership: 'public',
      students: 900,
    },
  ],
  institutions: [
    { id: 'N-TY-1', district: TY, name: '天元区学而思培训学校', category: 'subject', status: 'active' },
    { id: 'N-TY-2', district: TY, name: '天元区星光艺术培训中心', category: 'non_subject', status: 'active' },
    { id: 'N-HT-1', district: HT, name: '荷塘区启明教育培训学校', category: 'subject', status: 'active' },
  ],
  inspectors: [
    { id: 'P-TY-1', district: TY, name: '李建国', role: 'full_time' },
    { id: 'P-TY-2', district: TY, name: '王秀英', role: 'part_time' },
    { id: 'P-HT-1', district: HT, name: '张伟', role: 'full_time' },
  ],
} as const;

export interface TestClock {
  now: () => number;
  set(iso: string | number): void;
  advance(ms: number): void;
}

export function testClock(start: string): TestClock {
  let t = Date.parse(start);
  return {
    now: () => t,
    set: (v) => (t = typeof v === 'number' ? v : Date.parse(v)),
    advance: (ms) => (t += ms),
  };
}

export type TestService = Awaited<ReturnType<typeof startTestService>>;

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
}

/** 株洲市 and the small known registry of REGISTRY. */
export async function seedTestRegistry(database: Database): Promise<void> {
  await upsertCityPack(database, cityPackById('zhuzhou'));
  await upsertSchools(
    database,
    REGISTRY.schools.map((s) => ({ ...s })),
  );
  await upsertInstitutions(
    database,
    REGISTRY.institutions.map((s) => ({ ...s })),
  );
  await upsertInspectors(
    database,
    REGISTRY.inspectors.map((s) => ({ ...s })),
  );
}

export async function startTestService(options: TestServiceOptions = {}) {
  const testDb = await openTestDatabase();
  const { database } = testDb;
  await seedTestRegistry(database);
  const redisUrl = requireServiceUrl('REDIS_URL');
  const viaProxy = options.databaseVia && testDb.url;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: 'memory://',
    ...(viaProxy ? { databaseUrl: options.databaseVia!(testDb.url!) } : { databaseUrl: undefined, database }),
    redisUrl: options.redisUrl ?? (redisUrl && options.redisVia ? options.redisVia(redisUrl) : redisUrl),
    redisNamespace: options.redisNamespace ?? `dudao-test-${randomBytes(4).toString('hex')}`,
    city: 'zhuzhou',
    dashboardDir: options.dashboardDir ?? '/nonexistent',
    corsOrigins: options.corsOrigins ?? [],
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.clock ? { now: options.clock.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.alertsFile ? { alertsFile: options.alertsFile } : {}),
    ...(options.alertRetry ? { alertRetry: options.alertRetry } : {}),
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
    metrics: async (scope = 'city') =>
      (await request('GET', `/api/v1/metrics?scope=${scope}`, keys.viewer)).body,
    close: async () => {
      await server.close();
      await testDb.drop();
    },
  };
}
