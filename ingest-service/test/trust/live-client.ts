/** A real socket.io-client on `/live` for trust tests: what it was told, and waits on it. */
import { vi } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { Ack, Health, Snapshot } from '@dudao/domain';

export interface LiveClient {
  socket: Socket;
  /** every `health` message, oldest first */
  healths: Health[];
  /** resolves once the newest `health` message matches `want` */
  waitHealth(want: Partial<Health>, timeoutMs?: number): Promise<void>;
  subscribe(scope: string): Promise<Ack<Snapshot>>;
  close(): void;
}

const HEALTH_WAIT_MS = 10_000;

/** Connects (reconnecting like the wall does) and waits for the connection. */
export async function connectLive(
  url: string,
  token: string,
  options: { reconnectionDelayMax?: number } = {},
): Promise<LiveClient> {
  const socket = io(`${url}/live`, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: options.reconnectionDelayMax ?? 1_000,
  });
  const healths: Health[] = [];
  socket.on('health', (h: Health) => healths.push(h));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    socket,
    healths,
    waitHealth: (want, timeoutMs = HEALTH_WAIT_MS) =>
      vi.waitFor(
        () => {
          const newest = healths.at(-1);
          const matches = Object.entries(want).every(([k, v]) => newest?.[k as keyof Health] === v);
          if (!matches) throw new Error(`health is not ${JSON.stringify(want)}: ${JSON.stringify(healths)}`);
        },
        { timeout: timeoutMs, interval: 50 },
      ),
    subscribe: (scope) => new Promise((resolve) => socket.emit('subscribe', { scope }, resolve)),
    close: () => void socket.close(),
  };
}

/** The handshake's refusal (`connect_error` message) for `token`, or null if it connected. */
export function handshakeError(url: string, token: unknown): Promise<string | null> {
  const socket = io(`${url}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve(null);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}
