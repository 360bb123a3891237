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
import { authorize } from '../auth/authorize.ts';
import type { Principal } from '../auth/keys.ts';
import { SocketKeyGuard } from '../auth/socket-guard.ts';
import { KEY_CACHE_MS, SOCKET_EXPIRY_CHECK_MS } from '../config.ts';
import { pushPlans } from '../push/plans-pusher.ts';
import { LivePusher, roomOf } from '../push/pusher.ts';

interface SocketData {
  principal: Principal;
  /** a key, or a session credential; checked again on every subscribe and sweep, so a revoked key or an ended session loses its sockets */
  token: string;
}
/** Between instances (through the adapter): a key revoked anywhere, and who holds how many sockets. */
interface InterServerEvents {
  keyRevoked: (keyId: string) => void;
  /** a plan was made on another instance: recount */
  plansChanged: () => void;
  keySockets: (ack: (counts: Record<string, number>) => void) => void;
}
export type LiveNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** Open sockets per key id, and whether every instance was counted or this one alone. */
export interface KeySocketCounts {
  counts: Map<string, number>;
  countedOn: 'all_instances' | 'this_instance';
}

declare module 'fastify' {
  interface FastifyInstance {
    io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
    keySockets(): Promise<KeySocketCounts>;
  }
}

export interface SocketPluginOptions {
  corsOrigins: string[];
  /** open connections one key may hold on this instance */
  socketsPerKey: number;
}

const fail = (code: string, message: string): Ack<Snapshot> => ({ error: { code, message } });

/** How long the other instances get to answer (Socket.IO's own wait for their answers is 5 s). */
const ASK_INSTANCES_TIMEOUT_MS = 6_000;

/**
 * `nsp.serverSideEmitWithAck(event)`, except that a Redis away fails it, within
 * ASK_INSTANCES_TIMEOUT_MS. The adapter first asks Redis how many instances there are (its publisher
 * retries for a minute while Redis is away); Socket.IO's own wrapper leaves that promise's failure
 * unhandled (the process would end) and its own promise pending for ever (the request with it).
 */
function askOtherInstances<T>(nsp: LiveNamespace, event: keyof InterServerEvents): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the other instances did not answer ${event} in time`)),
      ASK_INSTANCES_TIMEOUT_MS,
    );
    const ack = (err: Error | null, answers: T[]) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(answers);
    };
    Promise.resolve(nsp.adapter.serverSideEmit([event, ack])).catch((err: unknown) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export default fp(
  async (app, opts: SocketPluginOptions) => {
    const { live, snapshots, health, metrics, cluster } = app;
    const adapter = cluster.socketAdapter;
    const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(
      app.server,
      {
        serveClient: false,
        cors: opts.corsOrigins.length > 0 ? { origin: opts.corsOrigins } : undefined,
        ...(adapter ? { adapter } : {}),
      },
    );
    const nsp: LiveNamespace = io.of(LIVE_NAMESPACE);
    const pusher = new LivePusher(nsp, live, snapshots, (err) => app.log.error({ err }, 'live push failed'));
    const stopPlans = pushPlans(nsp, app.plans);

    const guard = new SocketKeyGuard({
      maxPerKey: opts.socketsPerKey,
      sweepMs: KEY_CACHE_MS,
      expiryCheckMs: SOCKET_EXPIRY_CHECK_MS,
      now: app.config.now,
      verify: (credential) => app.verifyCredential(credential),
      sockets: () => nsp.sockets.values(),
      onError: (err) => app.log.warn({ err }, 'socket key sweep failed'),
    });
    guard.start();

    // The same decision as HTTP (authorize): a viewer (or admin) key, or else a person's session
    // cookie (SPEC §12); its scope on subscribe.
    nsp.use((socket, next) => {
      const key = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const token = key ? key : app.sessionCredential(socket.handshake.headers.cookie);
      if (typeof token !== 'string') return next(new Error('unauthorized'));
      app.verifyCredential(token).then(
        (principal) => {
          const denial = authorize(principal, { role: 'viewer' });
          if (denial) return next(new Error(denial.code));
          if (!guard.hasRoom(principal!.keyId)) return next(new Error('rate_limited'));
          socket.data.principal = principal!;
          socket.data.token = token;
          if (!principal!.user) app.keyUsage.record(principal!.keyId, socket.handshake.address);
          next();
        },
        () => next(new Error('unavailable')),
      );
    });

    nsp.on('connection', (socket) => {
      metrics.sockets.inc();
      guard.add(socket.data.principal.keyId);
      socket.emit('health', health.state);
      socket.on('disconnect', () => {
        metrics.sockets.dec();
        guard.release(socket.data.principal.keyId);
      });
      socket.on('unsubscribe', (request) => {
        if (typeof request?.scope === 'string') void socket.leave(roomOf(request.scope));
      });
      socket.on('subscribe', async (request, ack) => {
        if (typeof ack !== 'function') return;
        const scope = typeof request?.scope === 'string' ? request.scope : '';
        if (!snapshots.isScope(scope)) return ack(fail('not_found', `no scope ${scope} in this city`));
        try {
          // Checked again (cached): a key revoked since the handshake subscribes to nothing more.
          const denial = authorize(await app.verifyCredential(socket.data.token), { role: 'viewer', scope });
          if (denial) return ack(fail(denial.code, denial.message));
          // Joined in the same tick as the base is read: no patch can fall between base and room.
          const snapshot = await pusher.snapshotFor(scope, () => void socket.join(roomOf(scope)));
          ack({ data: snapshot });
          socket.emit('plans', await app.plans.current(scope));
        } catch (err) {
          app.log.error({ err }, 'subscribe failed');
          ack(fail('unavailable', 'the live store is unavailable'));
        }
      });
    });

    const onHealth = (h: typeof health.state) => nsp.local.emit('health', h);
    health.on('change', onHealth);

    // A key revoked here loses its sockets here at once, and every other instance is told.
    const onRevoked = (keyId: string) => {
      guard.disconnectKey(keyId);
      if (adapter) nsp.serverSideEmit('keyRevoked', keyId);
    };
    app.keyEvents.on('revoked', onRevoked);
    nsp.on('keyRevoked', (keyId) => {
      app.forgetKey(keyId);
      guard.disconnectKey(keyId);
    });
    nsp.on('keySockets', (ack) => ack(Object.fromEntries(guard.counts())));
    const onPlanMade = () => {
      if (adapter) nsp.serverSideEmit('plansChanged');
    };
    const stopMade = app.plans.onMade(onPlanMade);
    nsp.on('plansChanged', () => app.plans.markDirty());

    app.decorate('keySockets', async (): Promise<KeySocketCounts> => {
      const counts = new Map(guard.counts());
      if (!adapter) return { counts, countedOn: 'all_instances' };
      // Redis (through which the instances talk) is away: this instance alone, without the wait.
      if (health.state.live !== 'ok') return { counts, countedOn: 'this_instance' };
      try {
        for (const answer of await askOtherInstances<Record<string, number>>(nsp, 'keySockets'))
          for (const [keyId, n] of Object.entries(answer)) counts.set(keyId, (counts.get(keyId) ?? 0) + n);
        return { counts, countedOn: 'all_instances' };
      } catch (err) {
        // An instance did not answer in time: say so rather than show a short count as the total.
        app.log.warn({ err }, 'counting sockets on the other instances failed');
        return { counts: new Map(guard.counts()), countedOn: 'this_instance' };
      }
    });

    app.decorate('io', io);
    app.addHook('preClose', async () => {
      health.off('change', onHealth);
      app.keyEvents.off('revoked', onRevoked);
      stopMade();
      stopPlans();
      guard.stop();
      pusher.close();
      // Closing the transport (not a server-side disconnect) makes clients reconnect elsewhere.
      for (const socket of nsp.sockets.values()) socket.conn.close();
    });
    app.addHook('onClose', async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
    });
  },
  {
    name: 'dudao-socket',
    fastify: '5.x',
    dependencies: [
      'dudao-config',
      'dudao-live',
      'dudao-plans',
      'dudao-health',
      'dudao-metrics',
      'dudao-cluster',
      'dudao-auth',
      'dudao-session',
    ],
  },
);
