/**
 * The embedded nightly scheduler (SPEC §10): inside the running service, a cron in the city's
 * timezone runs the nightly job (rollups, reconciliation, briefing — given by the caller, since it
 * lives in `scripts/`) for the days just ended. `startServer` runs it on the leader instance only, and
 * every run takes a single-run lock, so neither a lease hand-over nor a `pnpm nightly` by hand makes
 * it run twice at once. A night the service missed is caught up by the next one: each run covers
 * the last few days and the job skips the ones already done.
 */
import { Cron } from 'croner';
import type { Database } from '@dudao/db';
import { addDays, localTime } from '@dudao/domain';
import type { LiveStore } from '../live/store.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { RunLock } from './run-lock.ts';

/** 01:30 city time: the day is over, late events of the evening have arrived, the wall is quiet. */
export const DEFAULT_NIGHTLY_CRON = '30 1 * * *';
/** How many ended days each scheduled run looks at, so a few missed nights are caught up. */
export const NIGHTLY_CATCH_UP_DAYS = 7;

/** What the job gets to work with: the service's own database and live store when embedded. */
export interface NightlyContext {
  database: Database;
  city: { adcode: string; name: string; timezone: string };
  districts: { adcode: string; name: string }[];
  /** the live store to reconcile; null when it lives in another process (in-process store, CLI) */
  live: LiveStore | null;
  /** runs a task between this process's ingest groups (a process that does not ingest runs it as is) */
  pipeline: Pick<IngestPipeline, 'runExclusive'>;
  /** `DATA_DIR`: briefings go to `reports/` in it (`memory://` keeps them in the database only) */
  dataDir: string;
  now: () => number;
  log: (line: string) => void;
}

export interface NightlyRequest {
  /** local days, inclusive */
  fromDay: string;
  toDay: string;
  /** skip the days whose briefing exists (a scheduled run); else redo every day */
  onlyMissing: boolean;
}

export interface NightlySummary {
  days: string[];
  drift: number | null;
  briefings: string[];
}

export type NightlyJob = (ctx: NightlyContext, request: NightlyRequest) => Promise<NightlySummary>;

export interface SchedulerOptions {
  job: NightlyJob;
  context: NightlyContext;
  lock: RunLock;
  /** cron pattern in the city's timezone */
  pattern?: string;
  onError?: (err: unknown) => void;
}

export class NightlyScheduler {
  private cron: Cron | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: SchedulerOptions) {}

  get lockName(): string {
    return `nightly:${this.options.context.city.adcode}`;
  }

  /** Starts the cron (again after a `stop`); a second start while running changes nothing. */
  start(): void {
    if (this.cron) return;
    const { context, pattern = DEFAULT_NIGHTLY_CRON } = this.options;
    // protect: a run still going when the next is due is not started twice in this process.
    this.cron = new Cron(pattern, { timezone: context.city.timezone, protect: true }, async () => {
      await this.runScheduled().then(
        () => undefined,
        (err: unknown) => this.options.onError?.(err),
      );
    });
  }

  /** When the scheduled run fires next (null when stopped). */
  nextRun(): Date | null {
    return this.cron?.nextRun() ?? null;
  }

  /** The scheduled run: the last days that ended, those not yet done. */
  runScheduled(): Promise<NightlySummary | null> {
    const { context } = this.options;
    const yesterday = addDays(localTime(context.now(), context.city.timezone).day, -1);
    return this.run({
      fromDay: addDays(yesterday, 1 - NIGHTLY_CATCH_UP_DAYS),
      toDay: yesterday,
      onlyMissing: true,
    });
  }

  /** Runs the job now under the lock; null when another runner holds it. */
  run(request: NightlyRequest): Promise<NightlySummary | null> {
    const { job, context, lock } = this.options;
    const result = lock
      .tryRun(this.lockName, () => job(context, request))
      .then((r) => {
        if (!r.ran) context.log('nightly: another instance is running it; skipped here');
        return r.ran ? r.value : null;
      });
    const settled: Promise<unknown> = result.catch(() => {}).finally(() => this.inFlight.delete(settled));
    this.inFlight.add(settled);
    return result;
  }

  /** Stops the cron and waits for a run in progress. */
  async stop(): Promise<void> {
    this.cron?.stop();
    this.cron = null;
    await Promise.all(this.inFlight);
  }
}
