/**
 * A plan's progress as each scope sees it (SPEC §14): the database counts per plan and district
 * (`PlanTally`); a city read sums the districts and lists them for a city-wide plan, a district read
 * sees the city's plans and its own, each counted over that district alone.
 */
import { addDays, startOfLocalDay } from './time.ts';
import {
  addProgress,
  emptyProgress,
  planStatus,
  type PlanInput,
  type PlanProgress,
  type PlansMessage,
  type PlanView,
} from './plans.ts';

export interface StoredPlan extends PlanInput {
  createdAt: string;
}

export interface DistrictTally {
  progress: PlanProgress;
  /** targets visited within each phase, in the plan's phase order */
  phases: number[];
}

/** What the database counted for one plan: every district of the plan's scope, zeros included. */
export interface PlanTally {
  plan: StoredPlan;
  districts: ReadonlyMap<string, DistrictTally>;
}

/** A plan's (or phase's) days as instants: the first day's start to the last day's end (excluded). */
export const planSpan = (from: string, to: string, timezone: string): { from: number; to: number } => ({
  from: startOfLocalDay(from, timezone),
  to: startOfLocalDay(addDays(to, 1), timezone),
});

/** May a reader of `scope` (the city or a district) see a plan of `planScope`? */
export const planVisibleIn = (planScope: string, scope: string): boolean =>
  scope === 'city' || planScope === 'city' || planScope === scope;

/** The plan as a reader of `scope` sees it; `today` is YYYY-MM-DD in the city's time. */
export function planView(
  tally: PlanTally,
  scope: string,
  today: string,
  districtName: (adcode: string) => string,
): PlanView {
  const { plan } = tally;
  const read = [...tally.districts].filter(([adcode]) => scope === 'city' || adcode === scope);
  const progress = read.reduce((sum, [, d]) => addProgress(sum, d.progress), emptyProgress());
  const view: PlanView = { ...plan, status: planStatus(plan, today), progress };
  if (plan.phases)
    view.phaseProgress = plan.phases.map((phase, i) => ({
      ...phase,
      visited: read.reduce((sum, [, d]) => sum + (d.phases[i] ?? 0), 0),
    }));
  if (scope === 'city' && plan.scope === 'city')
    view.districts = read.map(([adcode, d]) => ({
      adcode,
      name: districtName(adcode),
      progress: d.progress,
    }));
  return view;
}

/** Newest window first; plans starting the same day by id. */
const byWindow = (a: StoredPlan, b: StoredPlan) =>
  a.from === b.from ? (a.id < b.id ? -1 : 1) : a.from < b.from ? 1 : -1;

/** `GET /plans?scope=` and the `plans` push: the plans a reader of `scope` sees. */
export function plansMessage(
  scope: string,
  tallies: readonly PlanTally[],
  at: { asOf: string; today: string },
  districtName: (adcode: string) => string,
): PlansMessage {
  const plans = tallies
    .filter((t) => planVisibleIn(t.plan.scope, scope))
    .sort((a, b) => byWindow(a.plan, b.plan))
    .map((t) => planView(t, scope, at.today, districtName));
  return { scope, asOf: at.asOf, plans };
}
