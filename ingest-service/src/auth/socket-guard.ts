/**
 * What a key may do on Socket.IO after its handshake: hold at most `maxPerKey` connections on this
 * instance (a leaked key cannot take every file descriptor), and lose them once it expires (checked
 * every `expiryCheckMs` against the clock, no database read) or is revoked (at once through
 * `disconnectKey`; keys revoked behind the service's back are found when every open socket's key
 * is checked again every `sweepMs`, through the same cached `verifyToken`).
 */
import { isExpired, type Principal } from './keys.ts';

export interface GuardedSocket {
  data: { principal: Principal; token: string };
  disconnect(close?: boolean): unknown;
}

export interface SocketGuardOptions {
  maxPerKey: number;
  sweepMs: number;
  expiryCheckMs: number;
  now: () => number;
  verify: (token: string) => Promise<Principal | null>;
  /** the sockets open now */
  sockets: () => Iterable<GuardedSocket>;
  onError?: (err: unknown) => void;
}

export class SocketKeyGuard {
  private readonly open = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];

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

  /** Connections per key on this instance now. */
  counts(): ReadonlyMap<string, number> {
    return this.open;
  }

  start(): void {
    if (this.timers.length > 0) return;
    this.timers = [
      setInterval(() => void this.sweep(), this.options.sweepMs),
      setInterval(() => this.dropExpired(), this.options.expiryCheckMs),
    ];
    for (const timer of this.timers) timer.unref();
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Disconnects this instance's sockets of `keyId` (it was revoked). */
  disconnectKey(keyId: string): void {
    for (const socket of this.options.sockets())
      if (socket.data.principal.keyId === keyId) socket.disconnect(true);
  }

  dropExpired(): void {
    const now = this.options.now();
    for (const socket of this.options.sockets())
      if (isExpired(socket.data.principal, now)) socket.disconnect(true);
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
