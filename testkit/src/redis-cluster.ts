/**
 * A real Redis Cluster for tests and the bench: three masters started from Debian's `redis-server`
 * (`--cluster-enabled yes`) on spare ports, joined by `redis-cli --cluster create`, no replicas.
 * Its files live in a temporary folder; `stop()` ends the servers and removes it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { until } from './wait.ts';

const MASTERS = 3;
const HOST = '127.0.0.1';
/** Redis Cluster talks between nodes on the client port + 10000. */
const BUS_PORT_OFFSET = 10_000;
const READY_TIMEOUT_MS = 20_000;

export interface RedisClusterHandle {
  nodes: { host: string; port: number }[];
  /** a client of the cluster (closed by `stop()` when made here) */
  connect(): Cluster;
  stop(): Promise<void>;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** Client ports whose bus ports (+10000) are free too. */
async function sparePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (ports.includes(port)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + BUS_PORT_OFFSET))) ports.push(port);
  }
  return ports;
}

function redisCli(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync('redis-cli', args, { encoding: 'utf8', timeout: READY_TIMEOUT_MS });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

const waitFor = (what: string, check: () => boolean) =>
  until(check, READY_TIMEOUT_MS, `redis cluster: ${what}`);

export async function startRedisCluster(): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'dudao-redis-cluster-'));
  const ports = await sparePorts(MASTERS);
  const servers: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        HOST,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '2000',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  const clients: Cluster[] = [];
  const stop = async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    for (const server of servers) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports)
      await waitFor(`node ${port} up`, () => redisCli(['-p', String(port), 'ping']).output.includes('PONG'));
    const create = redisCli([
      '--cluster',
      'create',
      ...ports.map((port) => `${HOST}:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    if (!create.ok) throw new Error(`redis-cli --cluster create failed: ${create.output}`);
    for (const port of ports)
      await waitFor(`node ${port} in a healthy cluster`, () =>
        redisCli(['-p', String(port), 'cluster', 'info']).output.includes('cluster_state:ok'),
      );
  } catch (err) {
    await stop();
    throw err;
  }
  const nodes = ports.map((port) => ({ host: HOST, port }));
  return {
    nodes,
    connect: () => {
      const client = new Cluster(nodes);
      client.on('error', () => {});
      clients.push(client);
      return client;
    },
    stop,
  };
}
