/**
 * One more instance of the service in a process of its own, so a test can SIGKILL it like a crash
 * (no lease released, no goodbye). Configured by the environment; prints one JSON line when ready.
 */
import { startServer } from '../../src/index.ts';

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir: 'memory://',
  databaseUrl: process.env.DATABASE_URL,
  redisUrl: process.env.REDIS_URL,
  redisNamespace: process.env.DUDAO_NAMESPACE,
  leaderLeaseMs: Number(process.env.DUDAO_LEASE_MS),
  city: 'zhuzhou',
  dashboardDir: '/nonexistent',
  corsOrigins: [],
});
const { url, leadership } = server;
console.log(JSON.stringify({ url, instanceId: leadership.instanceId, leader: leadership.isLeader }));
