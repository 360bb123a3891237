/**
 * The alert evaluator (SPEC §15), run on the leader only: every tick it reads the rules, fetches
 * the objects within their bounds not fired yet (and the coverage of districts not fired this
 * month), runs the domain's pure `evaluateAlerts` over them and stores the firings. The store's
 * unique dedupe key decides what is new, so a firing is announced once even when a former leader
 * stored it a moment before the hand-over.
 */
import {
  alertBounds,
  alertDedupeKey,
  coverageSubject,
  evaluateAlerts,
  type AlertRules,
  type DistrictCoverage,
} from '@dudao/domain';
import { alertCandidates, firedKeys, insertFirings, type AlertFiringRow, type Database } from '@dudao/db';

export interface AlertEvaluatorDeps {
  database: Database;
  timezone: string;
  districts: readonly string[];
  /** the rules in force (the admin API's, else ALERTS_FILE's, else the defaults) */
  rules: () => Promise<AlertRules>;
  /** this month's school coverage of these districts (the live store's) */
  coverage: (districts: string[]) => Promise<DistrictCoverage[]>;
  now: () => number;
  tickMs: number;
  /** the firings this tick stored, to announce and deliver */
  onFired: (rows: AlertFiringRow[]) => void;
  onError?: (err: unknown) => void;
}

export class AlertEvaluator {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<AlertFiringRow[]> | null = null;

  constructor(private readonly deps: AlertEvaluatorDeps) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.tick().catch((err: unknown) => this.deps.onError?.(err));
    }, this.deps.tickMs);
    this.timer.unref();
  }

  /** Stops ticking and waits for a tick on its way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  /** One evaluation; a tick asked for while one runs shares it. Returns the firings it stored. */
  tick(): Promise<AlertFiringRow[]> {
    this.running ??= this.evaluate().finally(() => (this.running = null));
    return this.running;
  }

  private async evaluate(): Promise<AlertFiringRow[]> {
    const { database, timezone, now: clock } = this.deps;
    const now = clock();
    const rules = await this.deps.rules();
    const bounds = alertBounds(rules, now, timezone);
    const { issues, complaints } = await alertCandidates(database, bounds);
    const coverage = bounds.coverage ? await this.coverageToCheck(bounds.coverage.month) : [];
    const firings = evaluateAlerts({ now, timezone, rules, issues, complaints, coverage });
    const stored = await insertFirings(database, firings, new Date(now));
    if (stored.length > 0) this.deps.onFired(stored);
    return stored;
  }

  /** The coverage of the districts whose coverage alert has not fired this month. */
  private async coverageToCheck(month: string): Promise<DistrictCoverage[]> {
    const keyOf = (d: string) => alertDedupeKey('coverage_low', coverageSubject(d, month));
    const fired = await firedKeys(this.deps.database, this.deps.districts.map(keyOf));
    const open = this.deps.districts.filter((d) => !fired.has(keyOf(d)));
    return open.length > 0 ? this.deps.coverage(open) : [];
  }
}
