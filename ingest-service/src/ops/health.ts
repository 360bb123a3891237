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
  /** a commit may have happened without its deltas reaching the live store (see commitUncertain) */
  private rebuildWanted = false;
  /** grows with every reason to rebuild, so a rebuild clears only the reasons that came before it */
  private rebuildReasons = 0;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;

  constructor(private readonly deps: HealthMonitorDeps) {
    super();
    deps.live.onLost(() => this.liveStoreFailed());
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

  /** Rebuilds the live store from the database now (the checks do it by themselves when needed). */
  rebuild(): Promise<void> {
    return this.deps.rebuild();
  }

  /** The live store could not take committed deltas: it is wrong until rebuilt. */
  liveStoreFailed(): void {
    this.liveMissedDeltas = true;
    this.rebuildReasons++;
    this.set({ ...this.current, live: 'down' });
  }

  /**
   * A group's transaction failed with the database: its COMMIT may have gone through with the
   * answer lost, and then its deltas never reached the live store. Rebuild once the database is
   * back; the live store itself is not down.
   */
  commitUncertain(): void {
    this.rebuildWanted = true;
    this.rebuildReasons++;
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
    if (liveUp && dbUp && (this.liveMissedDeltas || this.rebuildWanted || this.current.live === 'down')) {
      const reasons = this.rebuildReasons;
      try {
        await this.deps.rebuild();
        if (this.rebuildReasons === reasons) this.liveMissedDeltas = this.rebuildWanted = false;
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
