/**
 * Beyond one Redis: the leader lease and the Socket.IO adapter on a real Redis Cluster (three
 * masters started for this file). The live store's contract runs on it in test/live (backends.ts).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as connectClient, type Socket } from 'socket.io-client';
import { createAdapter } from '@socket.io/redis-adapter';
import { requireServiceUrl, until } from '@dudao/testkit';
import { startRedisCluster, testNamespace, type RedisClusterHandle } from '@dudao/testkit/redis';
import { RedisLeaderLease } from '../../src/cluster/index.ts';
import { leaderLeaseKey, socketAdapterPrefix } from '../../src/redis/keys.ts';

const REDIS_URL = requireServiceUrl('REDIS_URL');
const TTL_MS = 300;

const NAMESPACE = testNamespace('redis-cluster');

describe.skipIf(!REDIS_URL)('on a Redis Cluster of three masters', () => {
  let cluster: RedisClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(() => cluster?.stop());

  it('the leader lease has one holder at a time and hands over on close', async () => {
    const key = leaderLeaseKey(NAMESPACE, '430200');
    const lease = (id: string) =>
      new RedisLeaderLease({ redis: cluster.connect(), key, instanceId: id, ttlMs: TTL_MS });
    const first = lease('first');
    const second = lease('second');
    await first.start();
    await second.start();
    expect([first.isLeader, second.isLeader]).toEqual([true, false]);
    await first.close();
    await until(() => second.isLeader, TTL_MS * 3);
    await second.close();
  });

  describe('Socket.IO over the cluster (the Redis adapter)', () => {
    const servers: { io: Server; http: HttpServer; url: string }[] = [];
    const clients: Socket[] = [];

    async function instance() {
      const http = createServer();
      const pub = cluster.connect();
      const io = new Server(http, {
        // The plain adapter: ioredis cannot carry the sharded one on a Cluster (ioredis#1759).
        adapter: createAdapter(pub, pub.duplicate(), { key: socketAdapterPrefix(NAMESPACE, '430200') }),
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      servers.push({ io, http, url });
      io.of('/live').on('connection', (socket) => void socket.join('scope:city'));
      return { io, url };
    }

    afterAll(async () => {
      for (const c of clients) c.close();
      for (const s of servers) await new Promise<void>((resolve) => s.io.close(() => resolve()));
    });

    it('a room broadcast and fetchSockets reach the sockets of another instance', async () => {
      const a = await instance();
      const b = await instance();
      const client = connectClient(`${b.url}/live`, { transports: ['websocket'] });
      clients.push(client);
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      await until(async () => (await a.io.of('/live').in('scope:city').fetchSockets()).length === 1);
      const heard = new Promise<unknown>((resolve) => client.once('health', resolve));
      a.io.of('/live').to('scope:city').emit('health', { db: 'ok', live: 'ok' });
      expect(await heard).toEqual({ db: 'ok', live: 'ok' });
    });
  });
});
