/**
 * Faults, clients (SPEC §8): a wall that loses the network comes back to current numbers by
 * itself. The client reaches the service through a TCP proxy the test cuts; events arrive while
 * it is away; once the link is back it reconnects, subscribes again and shows what the service
 * shows, as the wall does (dashboard/src/composables/useLiveSocket.ts: subscribe on every connect).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { applyMetricsMessage, type Ack, type MetricsMessage, type Snapshot } from '@dudao/domain';
import { ev } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { values } from './truth.ts';

/** The wall's longest wait between two reconnection attempts (RECONNECT_DELAY_MAX_MS there). */
const WALL_RECONNECT_DELAY_MAX_MS = 5_000;
/** Long enough for the attempts to back off to that longest wait: from then on, every minute is alike. */
const OUTAGE_MS = WALL_RECONNECT_DELAY_MAX_MS + 1_000;

let svc: TestService;
let network: TcpProxy;
beforeAll(async () => {
  svc = await startTestService();
  network = await TcpProxy.start({ host: '127.0.0.1', port: svc.server.port });
});
afterAll(async () => {
  await network?.close();
  await svc?.close();
});

/** A client that keeps the newest city snapshot the way the wall does. */
function wallClient(url: string, token: string) {
  const socket: Socket = io(`${url}/live`, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: WALL_RECONNECT_DELAY_MAX_MS,
  });
  const state = { snapshot: null as Snapshot | null, disconnects: 0 };
  socket.on('connect', () =>
    socket.emit('subscribe', { scope: 'city' }, (ack: Ack<Snapshot>) => {
      if ('data' in ack) state.snapshot = ack.data;
    }),
  );
  socket.on('metrics', (message: MetricsMessage) => {
    if (!state.snapshot) return;
    const r = applyMetricsMessage(state.snapshot, message);
    if (r.status === 'applied') state.snapshot = r.snapshot;
  });
  socket.on('disconnect', () => state.disconnects++);
  return { socket, state };
}

describe('a wall that loses the network', () => {
  it('comes back to current numbers by itself once the network returns', { timeout: 60_000 }, async () => {
    const wall = wallClient(`http://127.0.0.1:${network.port}`, svc.keys.viewer);
    try {
      await vi.waitFor(() => expect(wall.state.snapshot).not.toBeNull(), { timeout: 10_000 });
      const before = wall.state.snapshot!.metrics.inspections.total;
      // The client never gives up trying (socket.io's default, which the wall keeps).
      expect(wall.socket.io.reconnectionAttempts()).toBe(Infinity);

      network.cut();
      await vi.waitFor(() => expect(wall.socket.connected).toBe(false), { timeout: 5_000 });
      // The city goes on meanwhile.
      const now = new Date().toISOString();
      expect((await svc.post([ev.started(now), ev.started(now), ev.complaint(now)])).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      expect(wall.state.snapshot!.metrics.inspections.total).toBe(before);

      network.restore();
      await vi.waitFor(
        async () => {
          expect(wall.socket.connected).toBe(true);
          expect(values(wall.state.snapshot!)).toEqual(values(await svc.metrics()));
        },
        { timeout: WALL_RECONNECT_DELAY_MAX_MS * 3, interval: 200 },
      );
      expect(wall.state.snapshot!.metrics.inspections.total).toBe(before + 2);
      expect(wall.state.disconnects).toBe(1);
    } finally {
      wall.socket.close();
    }
  });
});
