/**
 * What a key may do on Socket.IO after its handshake: hold at most `maxPerKey` connections on this
 * instance (a leaked key cannot take every file descriptor), and lose them once it is revoked
 * (keys of open sockets are checked again every `sweepMs`, through the same cached `verifyToken`).
 */
import type { Principal } from './keys.ts';

export interface GuardedSocket {
  data: { principal: Principal; token: string };
  disconnect(close?: boolean): unknown;
}

export interface SocketGuardOptions {
  maxPerKey: number;
  sweepMs: number;
  verify: (token: string) => Promise<Principal | null>;
  /** the sockets open now */
  sockets: () => Iterable<GuardedSocket>;
  onError?: (err: unknown) => void;
}

export class SocketKeyGuard {
  private readonly open = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SocketGuardOptions) {}

  /**
   * Whether `keyId` may open one more connection. Asked at the handshake and counted once the
   * socket is connected (a handshake the client gives up must not count), so handshakes running
   * at the same moment may pass the bound by as many.
   */
  hasRoom(keyId: string): boolean {
    return (this.open.get(keyId) ?? 0) < this.options.maxPerKey;
  }

  add(keyId: string): void {
    this.open.set(keyId, (this.open.get(keyId) ?? 0) + 1);
  }

  release(keyId: string): void {
    const n = (this.open.get(keyId) ?? 1) - 1;
    if (n > 0) this.open.set(keyId, n);
    else this.open.delete(keyId);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.sweep(), this.options.sweepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Disconnects every socket whose key is revoked (each distinct key verified once). */
  async sweep(): Promise<void> {
    const byToken = new Map<string, GuardedSocket[]>();
    for (const socket of this.options.sockets()) {
      const list = byToken.get(socket.data.token);
      if (list) list.push(socket);
      else byToken.set(socket.data.token, [socket]);
    }
    for (const [token, sockets] of byToken) {
      try {
        if (await this.options.verify(token)) continue;
        for (const socket of sockets) socket.disconnect(true);
      } catch (err) {
        // The database is away: keep the sockets, the next sweep decides.
        this.options.onError?.(err);
      }
    }
  }
}
