/**
 * The overdue clock: `issues.overdue` changes when a deadline passes, with no event. Each tick finds
 * the districts whose deadlines passed since the last tick (and all of them when the local day
 * changes, for the day windows) and touches them, which bumps their versions and pushes them.
 */
import { localTime } from '@dudao/domain';
import type { LiveStore } from './store.ts';

export interface OverdueClockDeps {
  live: LiveStore;
  districts: readonly string[];
  timezone: string;
  tickMs: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export class OverdueClock {
  private lastTick: number;
  private lastDay: string;
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: OverdueClockDeps) {
    this.now = deps.now ?? Date.now;
    this.lastTick = this.now();
    this.lastDay = localTime(this.lastTick, deps.timezone).day;
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick().catch((err) => this.deps.onError?.(err)), this.deps.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<string[]> {
    const now = this.now();
    const day = localTime(now, this.deps.timezone).day;
    const changed =
      day !== this.lastDay
        ? [...this.deps.districts]
        : await this.deps.live.deadlinesPassed(this.lastTick - 1, now - 1); // [lastTick, now): overdue is `deadline < now`
    this.lastTick = now;
    this.lastDay = day;
    if (changed.length > 0) await this.deps.live.touch(changed);
    return changed;
  }
}
