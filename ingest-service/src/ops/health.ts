/**
 * Watches the database and the live store. Tells listeners when either goes down or comes back
 * (pushed to sockets as `health`), and rebuilds the live store from the database whenever it has
 * missed deltas (Redis was away) — without a restart.
 */
import { EventEmitter } from 'node:events';
import type { Database } from '@dudao/db';
import type { Health } from '@dudao/domain';
import type { LiveStore } from '../live/store.ts';

export interface HealthMonitorDeps {
  database: Database;
  live: LiveStore;
  /** rebuilds the live store from the database */
  rebuild: () => Promise<void>;
  intervalMs: number;
  onError?: (err: unknown) => void;
}

export class HealthMonitor extends EventEmitter<{ change: [Health] }> {
  private current: Health = { db: 'ok', live: 'ok' };
  private liveMissedDeltas = false;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;

  constructor(readonly deps: HealthMonitorDeps) {
    super();
  }

  get state(): Health {
    return this.current;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.deps.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The live store could not take committed deltas: it is wrong until rebuilt. */
  liveStoreFailed(): void {
    this.liveMissedDeltas = true;
    this.set({ ...this.current, live: 'down' });
  }

  /** One round of checks (also run by the interval); concurrent calls share the round. */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => (this.checking = null));
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    const [dbUp, liveUp] = await Promise.all([
      this.deps.database.query('select 1').then(
        () => true,
        () => false,
      ),
      this.deps.live.ping(),
    ]);
    if (liveUp && !dbUp && this.current.live === 'down') this.liveMissedDeltas = true;
    if (liveUp && dbUp && (this.liveMissedDeltas || this.current.live === 'down')) {
      try {
        await this.deps.rebuild();
        this.liveMissedDeltas = false;
      } catch (err) {
        this.deps.onError?.(err);
        this.set({ db: dbUp ? 'ok' : 'down', live: 'down' });
        return;
      }
    }
    this.set({ db: dbUp ? 'ok' : 'down', live: liveUp && !this.liveMissedDeltas ? 'ok' : 'down' });
  }

  private set(next: Health): void {
    if (next.db === this.current.db && next.live === this.current.live) return;
    this.current = next;
    this.emit('change', next);
  }
}
