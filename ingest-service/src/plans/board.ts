/**
 * Plans' progress, live (SPEC §14). Every change the live store reports marks the board; at most
 * once per `PLANS_PUSH_WINDOW_MS` it recounts the live plans (running, upcoming, or ended within
 * `PLAN_LIVE_GRACE_DAYS`) from the ledger tables and tells its listeners (the socket pusher). A read
 * (`GET /plans`) counts afresh, every plan, over the districts it reads.
 */
import {
  addDays,
  localTime,
  plansMessage,
  planSpan,
  type PlansMessage,
  type PlanTally,
  type StoredPlan,
} from '@dudao/domain';
import { listPlans, planTally, type Database, type Span } from '@dudao/db';
import { BurstWindow } from '../push/burst-window.ts';
import type { Registry } from '../registry.ts';

/** Plans recounted at most this often while events arrive (one query pair per live plan). */
export const PLANS_PUSH_WINDOW_MS = 1000;
/** Plans that ended this many days ago are still pushed: late events may still move them. */
export const PLAN_LIVE_GRACE_DAYS = 31;

export interface PlanBoardOptions {
  database: Database;
  registry: Registry;
  now: () => number;
  onError: (err: unknown) => void;
}

export class PlanBoard {
  private live: PlanTally[] | null = null;
  private loading: Promise<PlanTally[]> | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly madeListeners = new Set<() => void>();
  private readonly window: BurstWindow;
  /** ms the last recount of the live plans took (the docs' measurement) */
  lastRefreshMs = 0;
  /** Is anyone watching plans? (the sockets say); when not, changes cost no recount. */
  audience: () => boolean = () => this.listeners.size > 0;

  constructor(private readonly o: PlanBoardOptions) {
    this.window = new BurstWindow({
      run: () => this.refresh(),
      windowMs: PLANS_PUSH_WINDOW_MS,
      onError: o.onError,
    });
  }

  private get timezone() {
    return this.o.registry.city.timezone;
  }

  today(): string {
    return localTime(this.o.now(), this.timezone).day;
  }

  /** A plan's days as instants: from the first day's start to the end of the last day. */
  span(from: string, to: string): Span {
    return planSpan(from, to, this.timezone);
  }

  /** The districts a plan covers. */
  districtsOf(plan: StoredPlan): string[] {
    return plan.scope === 'city' ? [...this.o.registry.districtCodes] : [plan.scope];
  }

  /** Counts one plan over `districts` (all of its own when absent). */
  async tally(plan: StoredPlan, districts = this.districtsOf(plan)): Promise<PlanTally> {
    const counts = await planTally(this.o.database, {
      plan,
      districts,
      window: this.span(plan.from, plan.to),
      phases: (plan.phases ?? []).map((ph) => this.span(ph.from, ph.to)),
    });
    return { plan, districts: counts };
  }

  /** `GET /plans?scope=`: every plan the scope sees, counted now over the scope's districts. */
  async read(scope: string): Promise<PlansMessage> {
    const plans = await listPlans(this.o.database);
    const tallies = await Promise.all(
      plans
        .filter((p) => scope === 'city' || p.scope === 'city' || p.scope === scope)
        .map((p) => this.tally(p, scope === 'city' ? this.districtsOf(p) : [scope])),
    );
    return this.compose(scope, tallies);
  }

  /** The live plans a subscriber of `scope` sees, as last counted (counted now if never). */
  async current(scope: string): Promise<PlansMessage> {
    await this.window.idle();
    if (this.live) return this.compose(scope, this.live);
    this.loading ??= this.recount().finally(() => (this.loading = null));
    return this.compose(scope, await this.loading);
  }

  /** As last counted, without waiting; null before the first count. */
  cached(scope: string): PlansMessage | null {
    return this.live ? this.compose(scope, this.live) : null;
  }

  private compose(scope: string, tallies: readonly PlanTally[]): PlansMessage {
    const now = this.o.now();
    return plansMessage(scope, tallies, { asOf: new Date(now).toISOString(), today: this.today() }, (a) =>
      this.o.registry.districtName(a),
    );
  }

  /** Something may have moved a plan (an event, a new plan): recount soon. */
  markDirty(): void {
    this.window.mark();
  }

  /** A plan was made here: recount, and tell `onMade` listeners (the other instances hear of it). */
  planMade(): void {
    this.markDirty();
    for (const listener of this.madeListeners) listener();
  }

  onMade(listener: () => void): () => void {
    this.madeListeners.add(listener);
    return () => this.madeListeners.delete(listener);
  }

  /** Called after each recount of the live plans. */
  onRefresh(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async recount(): Promise<PlanTally[]> {
    const started = performance.now();
    const plans = await listPlans(this.o.database, addDays(this.today(), -PLAN_LIVE_GRACE_DAYS));
    const tallies = await Promise.all(plans.map((p) => this.tally(p)));
    this.lastRefreshMs = performance.now() - started;
    this.live = tallies;
    return tallies;
  }

  private async refresh(): Promise<void> {
    // Nobody listens: forget the counts, the next subscriber counts afresh.
    if (!this.audience()) {
      this.live = null;
      return;
    }
    await this.recount();
    this.window.sent();
    for (const listener of this.listeners) listener();
  }

  close(): void {
    this.window.close();
    this.listeners.clear();
    this.madeListeners.clear();
  }
}
