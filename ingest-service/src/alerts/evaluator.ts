/**
 * The alert evaluator (SPEC §15), run on the leader only: every tick it reads the rules, fetches
 * the objects within their bounds not fired yet (and the coverage of districts not fired this
 * month), runs the domain's pure `evaluateAlerts` over them and stores the firings. The store's
 * unique dedupe key decides what is new, so a firing is announced once even when a former leader
 * stored it a moment before the hand-over. Time-based rules fire for crossings since the evaluator
 * first started (less a grace for restarts and hand-overs): a first start over a backfilled month
 * does not announce its whole backlog at once. A firing on an issue names its school or institution.
 */
import {
  alertBounds,
  alertDedupeKey,
  coverageSubject,
  evaluateAlerts,
  type AlertRules,
  type DistrictCoverage,
} from '@dudao/domain';
import {
  alertCandidates,
  firedKeys,
  insertFirings,
  targetNames,
  type AlertFiringRow,
  type Database,
} from '@dudao/db';

/**
 * Crossings this long before the evaluator's first start still fire: a restart or a leader's
 * hand-over loses none, a first start over a backfill announces only its last hour.
 */
export const ALERT_RESTART_GRACE_MS = 3_600_000;

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
  /** crossings before this are history (set on the first start) */
  private since: number | undefined;

  constructor(private readonly deps: AlertEvaluatorDeps) {}

  start(): void {
    this.since ??= this.deps.now() - ALERT_RESTART_GRACE_MS;
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
    const { since } = this;
    const bounds = alertBounds(rules, now, timezone, since);
    const { issues, complaints } = await alertCandidates(database, bounds);
    const coverage = bounds.coverage ? await this.coverageToCheck(bounds.coverage.month) : [];
    const firings = evaluateAlerts({
      now,
      timezone,
      rules,
      issues,
      complaints,
      coverage,
      ...(since !== undefined ? { since } : {}),
    });
    const targets = [...issues, ...complaints].flatMap((x) => (x.target ? [x.target.id] : []));
    const names = await targetNames(database, targets);
    for (const f of firings) {
      const name = f.facts.target === undefined ? undefined : names.get(String(f.facts.target));
      if (name) f.facts.targetName = name;
    }
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
