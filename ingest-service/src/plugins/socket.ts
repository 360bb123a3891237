/**
 * Socket.IO `/live` (SPEC §8) on the service's own port: handshake with a viewer key, `subscribe`
 * with a snapshot in the ack, then coalesced `metrics` patches, `feed` and `health`.
 */
import fp from 'fastify-plugin';
import { Server, type Namespace } from 'socket.io';
import {
  LIVE_NAMESPACE,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type Snapshot,
} from '@dudao/domain';
import { canReach, hasRole, type Principal } from '../auth/keys.ts';
import type { SocketAdapter } from '../cluster/index.ts';
import { LivePusher, roomOf } from '../push/pusher.ts';

interface SocketData {
  principal: Principal;
}
export type LiveNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

declare module 'fastify' {
  interface FastifyInstance {
    io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  }
}

export interface SocketPluginOptions {
  corsOrigins: string[];
  /** the Redis adapter when several instances serve one city */
  adapter?: SocketAdapter | undefined;
}

const fail = (code: string, message: string): Ack<Snapshot> => ({ error: { code, message } });

export default fp(
  async (app, opts: SocketPluginOptions) => {
    const { live, snapshots, health, metrics } = app.core;
    const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
      app.server,
      {
        serveClient: false,
        cors: opts.corsOrigins.length > 0 ? { origin: opts.corsOrigins } : undefined,
        ...(opts.adapter ? { adapter: opts.adapter } : {}),
      },
    );
    const nsp: LiveNamespace = io.of(LIVE_NAMESPACE);
    const pusher = new LivePusher(nsp as unknown as Namespace, live, snapshots, (err) =>
      app.log.error({ err }, 'live push failed'),
    );

    // Same key check as HTTP: a viewer (or admin) key, its scope enforced on subscribe.
    nsp.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string') return next(new Error('unauthorized'));
      app.verifyToken(token).then(
        (principal) => {
          if (!principal) return next(new Error('unauthorized'));
          if (!hasRole(principal, 'viewer')) return next(new Error('forbidden'));
          socket.data.principal = principal;
          next();
        },
        () => next(new Error('unavailable')),
      );
    });

    nsp.on('connection', (socket) => {
      metrics.sockets.inc();
      socket.emit('health', health.state);
      socket.on('disconnect', () => metrics.sockets.dec());
      socket.on('unsubscribe', (request) => {
        if (typeof request?.scope === 'string') void socket.leave(roomOf(request.scope));
      });
      socket.on('subscribe', async (request, ack) => {
        if (typeof ack !== 'function') return;
        const scope = typeof request?.scope === 'string' ? request.scope : '';
        if (!snapshots.isScope(scope)) return ack(fail('not_found', `no scope ${scope} in this city`));
        if (!canReach(socket.data.principal, scope))
          return ack(fail('forbidden', `this key may read ${socket.data.principal.scope} only`));
        try {
          const snapshot = await pusher.snapshotFor(scope);
          // Join in the same tick as the read resolves: no patch can fall between base and room.
          void socket.join(roomOf(scope));
          ack({ data: snapshot });
        } catch (err) {
          app.log.error({ err }, 'subscribe failed');
          ack(fail('unavailable', 'the live store is unavailable'));
        }
      });
    });

    const onHealth = (h: typeof health.state) => nsp.local.emit('health', h);
    health.on('change', onHealth);

    app.decorate('io', io);
    app.addHook('preClose', async () => {
      health.off('change', onHealth);
      pusher.close();
      // Closing the transport (not a server-side disconnect) makes clients reconnect elsewhere.
      for (const socket of nsp.sockets.values()) socket.conn.close();
    });
    app.addHook('onClose', async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
    });
  },
  { name: 'dudao-socket', fastify: '5.x', dependencies: ['dudao-core', 'dudao-auth'] },
);
