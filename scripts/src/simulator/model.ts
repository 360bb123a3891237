/**
 * The city simulator: a pure, seeded model that yields SPEC §5 events one at a time in time order.
 * New activity arrives as a Poisson process shaped by the working day (rhythm.ts); each activity
 * plans its own follow-ups on an agenda: a visit ends, issues are raised, fixed, revisited, closed.
 * `speedup` shortens every process duration and multiplies arrivals, for a live demo that shows a
 * month's life cycle in an hour; deadlines always stay real dates.
 */
import type { DudaoEvent } from '@dudao/domain';
import { Random } from '../registry/random.ts';
import { Agenda } from './agenda.ts';
import { beijingIso, beijingTime } from './clock.ts';
import { receiveComplaint, resolveComplaint } from './complaints.ts';
import {
  campaignAction,
  completeInspection,
  followupVisit,
  institutionAction,
  startInspection,
} from './inspections.ts';
import { actOnIssue, raiseIssue, rectifyIssue, verifyIssue } from './issues.ts';
import { schoolReport } from './reports.ts';
import type { Draft, Plan, StepContext } from './steps.ts';
import { ARRIVAL_RATES, EVENTS_PER_ARRIVAL } from './tuning.ts';
import { activity, perMsAtPeak } from './rhythm.ts';
import { CityState, type SimRegistry } from './world.ts';

export type { SimRegistry } from './world.ts';

const RUN_TAG_PATTERN = /^[A-Za-z0-9]{1,20}$/;
/** Base-36 digits of the event counter; with `sim-` and the tag an id always has the 8+ chars SPEC §5 asks. */
const EVENT_SEQ_DIGITS = 6;

export interface ModelOptions {
  seed: number;
  /** makes ids unique across runs: `sim-<runTag>-…`; letters and digits, 1–20 */
  runTag: string;
  /** model time of the first possible event, ms since the epoch */
  startMs: number;
  /** 1 = real pace (backfill); larger for live demos */
  speedup?: number;
  /** floor of the activity curve (0..1); 0 keeps nights as quiet as they are */
  minActivity?: number;
}

type ArrivalKind = keyof typeof ARRIVAL_RATES;

export class CityModel {
  private readonly random: Random;
  private readonly state: CityState;
  private readonly agenda = new Agenda<Plan>();
  private readonly ctx: StepContext;
  private readonly tag: string;
  private eventSeq = 0;
  private objectSeq = 0;
  private clock: number;
  private speedup: number;
  private minActivity: number;
  private arrival: { at: number; kind: ArrivalKind } | null = null;
  /** arrivals are drawn from here on (moved by `setPace`) */
  private arrivalsFrom: number;
  private month: string;
  private readonly inspectionsPerWeekday: number;

  constructor(registry: SimRegistry, options: ModelOptions) {
    if (!RUN_TAG_PATTERN.test(options.runTag)) throw new Error(`runTag must match ${RUN_TAG_PATTERN}`);
    this.tag = options.runTag;
    this.random = new Random(options.seed);
    this.state = new CityState(registry);
    if (this.state.inspectorList.length === 0)
      throw new Error('the registry has no inspectors to simulate: run `pnpm seed` first');
    this.clock = options.startMs;
    this.arrivalsFrom = options.startMs;
    this.inspectionsPerWeekday = this.state.inspectorList.reduce(
      (sum, i) => sum + ARRIVAL_RATES.inspection.perInspector[i.role],
      0,
    );
    this.month = beijingTime(options.startMs).month;
    this.speedup = options.speedup ?? 1;
    this.minActivity = options.minActivity ?? 0;
    this.ctx = {
      random: this.random,
      state: this.state,
      plan: (at, plan) => this.agenda.add(at, plan),
      id: (prefix) => `sim-${this.tag}-${prefix}${(this.objectSeq++).toString(36)}`,
      scaled: (ms) => ms / this.speedup,
    };
  }

  /** Model time of the last event handed out (or of the start). */
  get now(): number {
    return this.clock;
  }

  /**
   * Changes the pace from `atMs` on (e.g. from backfill to live). Plans already made keep their
   * times; only new arrivals and new plans follow the new pace.
   */
  setPace(pace: { speedup: number; minActivity?: number; atMs?: number }): void {
    this.speedup = pace.speedup;
    this.minActivity = pace.minActivity ?? this.minActivity;
    this.arrivalsFrom = Math.max(this.clock, pace.atMs ?? this.clock);
    this.arrival = null;
  }

  /** Events per second that `speedup = 1` gives at a weekday's peak hour, for choosing a speedup. */
  peakEventsPerSecond(): number {
    let perMs = 0;
    for (const kind of Object.keys(ARRIVAL_RATES) as ArrivalKind[]) {
      // Reports are spread over the month; half the schools still to report is a fair average.
      const daily = kind === 'report' ? this.dailyRate(kind, null) / 2 : this.dailyRate(kind, null);
      perMs += perMsAtPeak(ARRIVAL_RATES[kind].profile, daily) * EVENTS_PER_ARRIVAL[kind];
    }
    return perMs * 1000;
  }

  /** Time of the next event, without producing it. */
  peekAt(): number {
    return Math.min(this.agenda.peekAt(), this.nextArrival().at);
  }

  next(): DudaoEvent {
    for (;;) {
      const arrival = this.nextArrival();
      let event: Draft | undefined;
      let at: number;
      if (this.agenda.peekAt() <= arrival.at) {
        const planned = this.agenda.pop();
        if (!planned) continue;
        at = planned.at;
        this.advance(at);
        event = this.perform(planned.item, at);
      } else {
        this.arrival = null;
        at = arrival.at;
        this.advance(at);
        event = this.spawn(arrival.kind, at);
      }
      if (event) return this.stamp(event, at);
    }
  }

  private stamp(event: Draft, at: number): DudaoEvent {
    const id = `sim-${this.tag}-${(this.eventSeq++).toString(36).padStart(EVENT_SEQ_DIGITS, '0')}`;
    const { type, district, ...rest } = event;
    return { id, type, occurredAt: beijingIso(at), district, ...rest } as DudaoEvent;
  }

  private advance(at: number): void {
    this.clock = at;
    const { month } = beijingTime(at);
    if (month !== this.month) {
      // Reports and coverage count per month; the month before is finished business.
      this.state.forgetBefore(this.month);
      this.month = month;
    }
  }

  private spawn(kind: ArrivalKind, at: number): Draft | undefined {
    switch (kind) {
      case 'inspection':
        return startInspection(this.ctx, at);
      case 'complaint':
        return receiveComplaint(this.ctx, at);
      case 'campaign':
        return campaignAction(this.ctx);
      case 'report':
        return schoolReport(this.ctx, at);
    }
  }

  private perform(plan: Plan, at: number): Draft | undefined {
    switch (plan.kind) {
      case 'complete':
        return completeInspection(this.ctx, plan.inspection, at);
      case 'raise':
        return raiseIssue(this.ctx, plan.inspection, at);
      case 'act':
        return institutionAction(this.ctx, plan.institutionId, plan.inspector);
      case 'rectify':
        return rectifyIssue(this.ctx, plan.issue, at);
      case 'verify':
        return verifyIssue(this.ctx, plan.issue, at);
      case 'urge':
      case 'extend':
      case 'comment':
        return actOnIssue(this.ctx, plan.kind, plan.issue, at);
      case 'resolve':
        return resolveComplaint(this.ctx, plan.complaint);
      case 'followup':
        return followupVisit(this.ctx, plan, at);
    }
  }

  /** "n per weekday" of each kind of arrival at `at`, or its upper bound when `at` is null. */
  private dailyRate(kind: ArrivalKind, at: number | null): number {
    switch (kind) {
      case 'inspection':
        return this.inspectionsPerWeekday;
      case 'complaint':
        return ARRIVAL_RATES.complaint.perDistrict * this.state.districts.length;
      case 'campaign': {
        const open = at === null ? this.state.institutions.size : this.state.openInstitutions();
        return ARRIVAL_RATES.campaign.perInstitution * open;
      }
      case 'report': {
        const pending =
          at === null ? this.state.compulsorySchools.length : this.state.unreported(beijingTime(at).month);
        return ARRIVAL_RATES.report.perUnreportedSchool * pending;
      }
    }
  }

  /** Arrivals per ms of one kind at `at`, or the most it can be when `at` is null. */
  private intensity(kind: ArrivalKind, at: number | null): number {
    const { profile } = ARRIVAL_RATES[kind];
    const level = at === null ? 1 : Math.max(this.minActivity, activity(profile, at));
    return perMsAtPeak(profile, this.dailyRate(kind, at)) * level * this.speedup;
  }

  /**
   * The next accepted arrival, by thinning: candidates come at the highest possible rate and each
   * is kept with the ratio of the rate at its moment to that bound, then assigned a kind.
   */
  private nextArrival(): { at: number; kind: ArrivalKind } {
    if (this.arrival) return this.arrival;
    const kinds = Object.keys(ARRIVAL_RATES) as ArrivalKind[];
    const bound = kinds.reduce((sum, k) => sum + this.intensity(k, null), 0);
    let at = Math.max(this.clock, this.arrivalsFrom);
    for (;;) {
      at += this.random.exponential(1 / bound);
      const rates = Object.fromEntries(kinds.map((k) => [k, this.intensity(k, at)])) as Record<
        ArrivalKind,
        number
      >;
      const total = kinds.reduce((sum, k) => sum + rates[k], 0);
      if (this.random.float() * bound < total) {
        this.arrival = { at, kind: this.random.weighted(rates) };
        return this.arrival;
      }
    }
  }
}
