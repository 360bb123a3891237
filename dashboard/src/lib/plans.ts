/**
 * Plans on screen (SPEC §14): the list a page holds, kept from the first read and the live `plans`
 * pushes, and what the wall's panel draws from it — this month's theme per district and the running
 * campaigns, each judged against the pace of its window.
 */
import {
  currentPhase,
  daysInRange,
  localTime,
  planRate,
  type PlanProgress,
  type PlansMessage,
  type PlanView,
} from '@dudao/domain';

/** Newest window first; plans starting the same day by id (the service's order). */
const byWindow = (a: PlanView, b: PlanView) =>
  a.from === b.from ? (a.id < b.id ? -1 : 1) : a.from < b.from ? 1 : -1;

/**
 * The plans held after `incoming` arrived. The read lists every plan, a push only the live ones
 * (running, upcoming, recently ended): a plan in both messages is taken from the newer one, a plan
 * in only one is kept — an old plan leaves the push, not the page.
 */
export function mergePlans(held: PlansMessage | null, incoming: PlansMessage): PlansMessage {
  if (!held || held.scope !== incoming.scope) return incoming;
  const incomingNewer = incoming.asOf >= held.asOf;
  const [older, newer] = incomingNewer ? [held, incoming] : [incoming, held];
  const byId = new Map(older.plans.map((p) => [p.id, p]));
  for (const p of newer.plans) byId.set(p.id, p);
  return { scope: incoming.scope, asOf: newer.asOf, plans: [...byId.values()].sort(byWindow) };
}

/** on pace: green; behind the pace of its window: amber (docs/WALL.md: amber = due soon) */
export type PaceTone = 'good' | 'behind';

/** How much of a plan's window has passed by the end of `today` (both ends included), 0..1. */
export function planPace(p: Pick<PlanView, 'from' | 'to'>, today: string): number {
  const total = daysInRange(p.from, p.to);
  const done = daysInRange(p.from, today);
  return Math.min(1, Math.max(0, done / total));
}

export interface PaceFigure {
  progress: PlanProgress;
  /** visited / targets */
  rate: number;
  tone: PaceTone;
}

const figure = (progress: PlanProgress, pace: number): PaceFigure => {
  const rate = planRate(progress);
  return { progress, rate, tone: rate >= pace ? 'good' : 'behind' };
};

export interface WallPhase {
  name: string;
  /** 1-based, of `count` */
  index: number;
  count: number;
  /** targets visited within the phase, over the plan's targets */
  figure: PaceFigure;
  pace: number;
}

export interface WallPlanLine extends PaceFigure {
  id: string;
  kind: PlanView['kind'];
  title: string;
  /** the district of a district's own plan (null: city-wide) */
  district: string | null;
  /** the share of the window passed: where the bar should have got to by now */
  pace: number;
  /** the phase today falls in, counted on its own (a campaign visits every target in each phase) */
  phase: WallPhase | null;
}

export interface WallPlans {
  /** this month's city-wide theme, per district (weakest first) */
  theme: (WallPlanLine & { districts: (PaceFigure & { adcode: string; name: string })[] }) | null;
  /** every other running plan: campaigns and districts' own themes */
  others: WallPlanLine[];
}

function currentWallPhase(p: PlanView, today: string): WallPhase | null {
  const phases = p.phaseProgress ?? [];
  const now = currentPhase(phases, today);
  if (!now) return null;
  const pace = planPace(now, today);
  return {
    name: now.name,
    index: phases.indexOf(now) + 1,
    count: phases.length,
    pace,
    figure: figure({ ...p.progress, visited: now.visited }, pace),
  };
}

/** The running plans of a city read as the wall's panel shows them; `today` in the city's time. */
export function wallPlans(msg: PlansMessage, timezone: string): WallPlans {
  const today = localTime(Date.parse(msg.asOf), timezone).day;
  const running = msg.plans.filter((p) => p.status === 'running');
  const line = (p: PlanView): WallPlanLine => {
    const pace = planPace(p, today);
    return {
      id: p.id,
      kind: p.kind,
      title: p.title,
      district: p.scope === 'city' ? null : p.scope,
      pace,
      phase: currentWallPhase(p, today),
      ...figure(p.progress, pace),
    };
  };
  const theme = running.find((p) => p.kind === 'theme' && p.scope === 'city') ?? null;
  const themeLine = theme && line(theme);
  return {
    theme:
      theme && themeLine
        ? {
            ...themeLine,
            districts: (theme.districts ?? [])
              .map((d) => ({ adcode: d.adcode, name: d.name, ...figure(d.progress, themeLine.pace) }))
              .sort((a, b) => a.rate - b.rate || a.adcode.localeCompare(b.adcode)),
          }
        : null,
    others: running.filter((p) => p !== theme).map(line),
  };
}
