/**
 * The soak's screens: many Socket.IO clients on `/live`, each keeping the newest snapshot of its
 * scope as the wall does (subscribe on every connect, apply patches, subscribe again on a gap),
 * and counting what the service told them (`health`, disconnects).
 */
import { io, type Socket } from 'socket.io-client';
import {
  applyMetricsMessage,
  LIVE_NAMESPACE,
  type Ack,
  type Health,
  type MetricsMessage,
  type Snapshot,
} from '@dudao/domain';

/** The wall's reconnection (dashboard/src/composables/useLiveSocket.ts). */
const RECONNECT_DELAY_MS = 500;
const RECONNECT_DELAY_MAX_MS = 5_000;
/** Clients connect in waves of this many, so the start is not one thundering herd. */
const CONNECT_WAVE = 50;
const CONNECT_WAVE_GAP_MS = 100;

interface Wall {
  scope: string;
  socket: Socket;
  snapshot: Snapshot | null;
}

export interface WallStats {
  clients: number;
  connected: number;
  metricsMessages: number;
  disconnects: number;
  /** clients told `live: down` at least once, and told `live: ok` after their last `down` */
  toldLiveDown: number;
  toldLiveBack: number;
}

export class Walls {
  private readonly walls: Wall[] = [];
  private metricsMessages = 0;
  private disconnects = 0;
  private readonly lastLive = new Map<Wall, Health['live']>();
  private readonly sawDown = new Set<Wall>();

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** Connects `count` clients, their scopes taken in turn from `scopes`; resolves when all are live. */
  async connect(count: number, scopes: string[]): Promise<void> {
    for (let i = 0; i < count; i += CONNECT_WAVE) {
      const wave = Array.from({ length: Math.min(CONNECT_WAVE, count - i) }, (_, j) =>
        this.open(scopes[(i + j) % scopes.length]!),
      );
      await Promise.all(wave);
      await new Promise((resolve) => setTimeout(resolve, CONNECT_WAVE_GAP_MS));
    }
  }

  stats(): WallStats {
    return {
      clients: this.walls.length,
      connected: this.walls.filter((w) => w.socket.connected).length,
      metricsMessages: this.metricsMessages,
      disconnects: this.disconnects,
      toldLiveDown: this.sawDown.size,
      toldLiveBack: [...this.sawDown].filter((w) => this.lastLive.get(w) === 'ok').length,
    };
  }

  /**
   * Clients not on the final snapshot: their version, metrics or districts differ from what
   * `read(scope)` says once the load has stopped.
   */
  async behind(read: (scope: string) => Promise<Snapshot>): Promise<number> {
    const now = new Map<string, string>();
    for (const scope of new Set(this.walls.map((w) => w.scope))) now.set(scope, valuesOf(await read(scope)));
    return this.walls.filter((w) => !w.snapshot || valuesOf(w.snapshot) !== now.get(w.scope)).length;
  }

  close(): void {
    for (const wall of this.walls) wall.socket.close();
  }

  private open(scope: string): Promise<void> {
    const socket: Socket = io(`${this.url}${LIVE_NAMESPACE}`, {
      auth: { token: this.token },
      transports: ['websocket'],
      reconnectionDelay: RECONNECT_DELAY_MS,
      reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    });
    const wall: Wall = { scope, socket, snapshot: null };
    this.walls.push(wall);
    const subscribe = () =>
      new Promise<void>((resolve) =>
        socket.emit('subscribe', { scope }, (ack: Ack<Snapshot>) => {
          if ('data' in ack) wall.snapshot = ack.data;
          resolve();
        }),
      );
    socket.on('metrics', (message: MetricsMessage) => {
      this.metricsMessages++;
      if (!wall.snapshot) return;
      const result = applyMetricsMessage(wall.snapshot, message);
      if (result.status === 'applied') wall.snapshot = result.snapshot;
      else if (result.status === 'gap') void subscribe();
    });
    socket.on('health', (h: Health) => {
      this.lastLive.set(wall, h.live);
      if (h.live === 'down') this.sawDown.add(wall);
    });
    socket.on('disconnect', () => this.disconnects++);
    return new Promise((resolve, reject) => {
      socket.on('connect', () => void subscribe().then(resolve));
      socket.once('connect_error', (err) => {
        if (!socket.active) reject(err);
      });
    });
  }
}

const valuesOf = (s: Snapshot) =>
  JSON.stringify({ version: s.version, metrics: s.metrics, districts: s.districts });
