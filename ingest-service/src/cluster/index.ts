/**
 * What several instances over one Redis share beyond the live store: the Socket.IO Redis adapter
 * (so `fetchSockets`, `disconnectSockets`, `serverSideEmit` and non-local room broadcasts reach
 * every instance's sockets) and the leader lease for periodic work. Without Redis: no adapter, and
 * this process leads.
 *
 * Metrics patches do NOT cross the adapter: every instance's pusher hears every change through the
 * live store's own channel, re-reads the shared counters (same versions everywhere) and sends its
 * own rooms a patch against what they last received, so patches chain per connection.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { closeRedis, createRedis } from '../redis/connections.ts';
import { leaderLeaseKey, socketAdapterPrefix } from '../redis/keys.ts';
import { RedisLeaderLease, SoloLeadership, type Leadership } from './lease.ts';

export { RedisLeaderLease, SoloLeadership, type Leadership } from './lease.ts';

export type SocketAdapter = ReturnType<typeof createShardedAdapter>;

export interface ClusterOptions {
  /** absent → one instance: no adapter, always the leader */
  redisUrl: string | undefined;
  /** Redis namespace of the deployment (the live store's), so test runs sharing a Redis stay apart */
  namespace: string;
  cityAdcode: string;
  leaseTtlMs: number;
  onError?: (err: unknown) => void;
}

export interface Cluster {
  instanceId: string;
  leadership: Leadership;
  /** the Socket.IO adapter factory; undefined without Redis (the in-memory default) */
  socketAdapter: SocketAdapter | undefined;
  /** Gives the lease up and quits the connections: call after the Socket.IO server closed. */
  close(): Promise<void>;
}

export function openCluster(options: ClusterOptions): Cluster {
  const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  if (!options.redisUrl) {
    const leadership = new SoloLeadership(instanceId);
    return { instanceId, leadership, socketAdapter: undefined, close: () => leadership.close() };
  }
  // A lease attempt fails at once while Redis is away (the holder leads on until its last lease
  // would have ended; a service started without Redis takes the lease when Redis answers). The
  // adapter's publisher may wait a little; its subscriptions wait however long it takes.
  const lease = createRedis(options.redisUrl, 'failFast');
  const publisher = createRedis(options.redisUrl, 'queueing');
  const subscriber = createRedis(options.redisUrl, 'subscriber');
  const leadership = new RedisLeaderLease({
    redis: lease,
    key: leaderLeaseKey(options.namespace, options.cityAdcode),
    instanceId,
    ttlMs: options.leaseTtlMs,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return {
    instanceId,
    leadership,
    // Sharded Pub/Sub (Redis 7): a message goes only to the shard of its channel, and with one
    // channel per room only instances with members in that room hear it.
    socketAdapter: createShardedAdapter(publisher, subscriber, {
      channelPrefix: socketAdapterPrefix(options.namespace, options.cityAdcode),
      subscriptionMode: 'dynamic',
    }),
    close: async () => {
      await leadership.close();
      await Promise.all([lease, publisher, subscriber].map(closeRedis));
    },
  };
}
