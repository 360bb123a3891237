/**
 * The REAL service for the browser tests: an in-memory PGlite database seeded with a city pack
 * (株洲市 unless told), the service on a free port serving the freshly built dashboard, and keys of
 * each kind we need. With `backend: 'env'` the database and live store are the ones the environment
 * names (a scratch PostgreSQL database under DATABASE_URL, Redis under REDIS_URL), as the server
 * suites choose theirs.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { openDatabase, type Database } from '@dudao/db';
import { configFromEnv, createKey, startServer, type RunningServer } from '@dudao/ingest-service';
import { seedCity } from '@dudao/scripts';
import { openTestDatabase, requireServiceUrl } from '@dudao/testkit';
import { loadRegistry, type DistrictRegistry } from '../support/events.ts';

export const DASHBOARD_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST_DIR = fileURLToPath(new URL('../../dist', import.meta.url));
export const SCREENSHOTS_DIR = fileURLToPath(new URL('../../test-results', import.meta.url));
export const DISTRICT = '430211'; // 天元区
export const OTHER_DISTRICT = '430202'; // 荷塘区

export interface Stack {
  url: string;
  port: number;
  database: Database;
  keys: { viewer: string; ingest: string; districtViewer: string };
  registry: DistrictRegistry[];
  server: RunningServer;
  /** stop the service (the database stays), as a crash or a deploy would */
  stopServer(): Promise<void>;
  /** start it again on the same port and database */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

export async function buildDashboard(): Promise<void> {
  await build({ root: DASHBOARD_ROOT, logLevel: 'warn' });
}

export async function startStack(
  opts: { city?: 'zhuzhou' | 'guiyang'; backend?: 'embedded' | 'env' } = {},
): Promise<Stack> {
  const city = opts.city ?? 'zhuzhou';
  const fromEnv = opts.backend === 'env';
  const scratch = fromEnv ? await openTestDatabase() : null;
  const database = scratch?.database ?? (await openDatabase({ dataDir: 'memory://' }));
  await seedCity(database, { city });
  const redisUrl = fromEnv ? requireServiceUrl('REDIS_URL') : undefined;
  const config = {
    ...configFromEnv({}),
    city,
    host: '127.0.0.1',
    dataDir: 'memory://',
    dashboardDir: DIST_DIR,
    ...(redisUrl ? { redisUrl, redisNamespace: `dudao-browser-${randomBytes(4).toString('hex')}` } : {}),
  };
  let server = await startServer({ ...config, port: 0, database, logger: false });
  const port = server.port;
  const viewer = (await createKey(database, { role: 'viewer', scope: 'city' })).token;
  const { districts } = await loadRegistry(server.url, viewer);
  // 天元区 in 株洲市; another city's first district
  const district = districts.some((d) => d.adcode === DISTRICT) ? DISTRICT : districts[0]!.adcode;
  const keys = {
    viewer,
    ingest: (await createKey(database, { role: 'ingest', scope: 'city' })).token,
    districtViewer: (await createKey(database, { role: 'viewer', scope: district })).token,
  };
  let running = true;
  const stack: Stack = {
    url: server.url,
    port,
    database,
    keys,
    registry: districts,
    get server() {
      return server;
    },
    async stopServer() {
      if (!running) return;
      running = false;
      await server.close();
    },
    async restartServer() {
      server = await startServer({ ...config, port, database, logger: false });
      running = true;
    },
    async close() {
      await stack.stopServer();
      await (scratch ? scratch.drop() : database.close());
    },
  };
  return stack;
}
