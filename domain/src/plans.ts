/**
 * Responsibility and plans (SPEC §14): the shapes the service, the dashboard and the briefing share,
 * and the rules a plan must follow, checked the same way by the API and by the dashboard's form.
 */
import { THEMES, TARGET_KINDS, type TargetKind, type Theme } from './events.ts';
import { daysInRange, isCalendarDay } from './time.ts';

export const PLAN_KINDS = ['theme', 'campaign'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const SCHOOL_STAGES = ['kindergarten', 'primary', 'junior', 'nine_year', 'senior'] as const;
export type SchoolStage = (typeof SCHOOL_STAGES)[number];

/** A stage of a campaign (芦淞: 摸底数 → 督落实 → 督整改); days in the city's time, both included. */
export interface PlanPhase {
  name: string;
  from: string;
  to: string;
}

/** What a plan covers: every school (of these stages) or institution in its scope, or the listed ids. */
export interface PlanTargets {
  kind: TargetKind;
  stages?: SchoolStage[];
  ids?: string[];
}

/** `POST /api/v1/plans` */
export interface PlanInput {
  id: string;
  kind: PlanKind;
  title: string;
  /** `city` or a district adcode */
  scope: string;
  /** first and last day, YYYY-MM-DD in the city's time, both included */
  from: string;
  to: string;
  /** only inspections of this theme count as visits */
  theme?: Theme;
  phases?: PlanPhase[];
  targets: PlanTargets;
}

export interface PlanProgress {
  /** targets the plan covers in the scope read */
  targets: number;
  /** targets with an inspection started in the plan's window (of its theme when it has one) */
  visited: number;
  /** issues raised on its targets within the window */
  issuesRaised: number;
  /** of those, closed (销号) by now */
  issuesClosed: number;
}

export type PlanStatus = 'upcoming' | 'running' | 'ended';

/** One plan in `GET /api/v1/plans?scope=` and in the `plans` push. */
export interface PlanView extends PlanInput {
  createdAt: string;
  status: PlanStatus;
  /** counted over the scope read: the plan's own scope, or one district of a city-wide plan */
  progress: PlanProgress;
  /** a campaign's phases with the targets visited within each */
  phaseProgress?: (PlanPhase & { visited: number })[];
  /** per district of the plan's scope (city reads of a city-wide plan only) */
  districts?: { adcode: string; name: string; progress: PlanProgress }[];
}

/** `plans` push and `GET /plans` answer */
export interface PlansMessage {
  scope: string;
  asOf: string;
  plans: PlanView[];
}

/** One target of a plan not visited yet: `GET /plans/:id/unvisited?district=` */
export interface UnvisitedTarget {
  id: string;
  kind: TargetKind;
  name: string;
  district: string;
  stage: SchoolStage | null;
  supervisor: string | null;
  supervisorName: string | null;
  zone: string | null;
  lastVisitAt: string | null;
}

/** `GET /plans/:id/unvisited?district=`: the districts read and their targets not visited yet */
export interface UnvisitedResponse {
  plan: string;
  districts: string[];
  targets: UnvisitedTarget[];
}

export const PLAN_ID_PATTERN = /^[A-Za-z0-9_-]{4,64}$/;
export const MAX_PLAN_TITLE_CHARS = 80;
export const MAX_PLAN_PHASES = 8;
export const MAX_PLAN_TARGET_IDS = 5_000;
/** A plan's window: at most a school year and a bit. */
export const MAX_PLAN_DAYS = 400;

/** What a plan problem is, for a screen to say in its own language (the message is the English). */
export type PlanProblemCode =
  | 'id_format'
  | 'id_taken'
  | 'kind_unknown'
  | 'title_length'
  | 'scope_unknown'
  | 'day_format'
  | 'before_from'
  | 'window_too_long'
  | 'theme_unknown'
  | 'theme_missing'
  | 'phases_too_many'
  | 'phase_name_length'
  | 'phase_days'
  | 'phase_outside'
  | 'phase_overlap'
  | 'target_kind_unknown'
  | 'stages_not_school'
  | 'stages_empty'
  | 'stage_unknown'
  | 'ids_count'
  | 'ids_duplicate'
  | 'ids_in_theme'
  | 'target_unknown';

export interface PlanProblem {
  /** the field as a JSON pointer (`/title`, `/phases/1/from`), as the API's schema errors name it */
  path: string;
  message: string;
  /** the rule broken (absent on the API's schema errors) and the figures its message names */
  code?: PlanProblemCode;
  params?: Record<string, string | number>;
}

/** `phases[1].name` → `/phases/1/name` */
const toPointer = (path: string) => `/${path.replace(/\[(\d+)\]/g, '.$1').replaceAll('.', '/')}`;

/**
 * Every rule a plan breaks, each naming its field; empty when the plan is good. Registry checks
 * (do the listed ids exist in the scope?) are the service's: they need the database.
 */
export function planProblems(p: PlanInput, districts: ReadonlySet<string>): PlanProblem[] {
  const out: PlanProblem[] = [];
  const bad: Bad = (path, code, message, params) =>
    out.push({ path: toPointer(path), message, code, ...(params ? { params } : {}) });
  if (!PLAN_ID_PATTERN.test(p.id)) bad('id', 'id_format', 'must be 4–64 characters of A-Z a-z 0-9 _ -');
  if (!PLAN_KINDS.includes(p.kind)) bad('kind', 'kind_unknown', `must be one of ${PLAN_KINDS.join('|')}`);
  if (p.title.trim() === '' || p.title.length > MAX_PLAN_TITLE_CHARS)
    bad('title', 'title_length', `must be 1–${MAX_PLAN_TITLE_CHARS} characters`, {
      max: MAX_PLAN_TITLE_CHARS,
    });
  if (p.scope !== 'city' && !districts.has(p.scope))
    bad('scope', 'scope_unknown', `"${p.scope}" is not the city or one of its districts`, { scope: p.scope });
  const fromOk = isCalendarDay(p.from);
  const toOk = isCalendarDay(p.to);
  if (!fromOk) bad('from', 'day_format', 'must be a day YYYY-MM-DD');
  if (!toOk) bad('to', 'day_format', 'must be a day YYYY-MM-DD');
  if (fromOk && toOk && p.to < p.from) bad('to', 'before_from', 'must not be before from');
  // calendar days with both ends included, as for the read ranges: 2026-01-01 – 2027-02-04 is 400
  if (fromOk && toOk && daysInRange(p.from, p.to) > MAX_PLAN_DAYS)
    bad('to', 'window_too_long', `a plan spans at most ${MAX_PLAN_DAYS} days`, { max: MAX_PLAN_DAYS });
  if (p.theme !== undefined && !THEMES.includes(p.theme))
    bad('theme', 'theme_unknown', `must be one of ${THEMES.join('|')}`);
  if (p.kind === 'theme' && p.theme === undefined)
    bad('theme', 'theme_missing', 'a monthly theme plan needs its theme');
  if (p.phases !== undefined) checkPhases(p, bad);
  checkTargets(p.targets, p.kind, bad);
  return out;
}

type Bad = (path: string, code: PlanProblemCode, message: string, params?: PlanProblem['params']) => void;

function checkPhases(p: PlanInput, bad: Bad): void {
  const phases = p.phases ?? [];
  if (phases.length > MAX_PLAN_PHASES)
    bad('phases', 'phases_too_many', `at most ${MAX_PLAN_PHASES} phases`, { max: MAX_PLAN_PHASES });
  phases.forEach((phase, i) => {
    const at = `phases[${i}]`;
    if (phase.name.trim() === '' || phase.name.length > MAX_PLAN_TITLE_CHARS)
      bad(`${at}.name`, 'phase_name_length', `must be 1–${MAX_PLAN_TITLE_CHARS} characters`, {
        max: MAX_PLAN_TITLE_CHARS,
      });
    if (!isCalendarDay(phase.from) || !isCalendarDay(phase.to))
      return bad(at, 'phase_days', 'from and to must be days YYYY-MM-DD');
    if (phase.to < phase.from) bad(`${at}.to`, 'before_from', 'must not be before from');
    if (phase.from < p.from || phase.to > p.to)
      bad(at, 'phase_outside', `must lie within the plan (${p.from} – ${p.to})`, { from: p.from, to: p.to });
    const prev = phases[i - 1];
    // the message counts phases from 0 (their index); `phase` counts from 1, as a screen does
    if (prev && phase.from <= prev.to)
      bad(`${at}.from`, 'phase_overlap', `must come after phase ${i - 1} ends (${prev.to})`, {
        phase: i,
        end: prev.to,
      });
  });
}

function checkTargets(t: PlanTargets, kind: PlanKind, bad: Bad): void {
  if (!TARGET_KINDS.includes(t.kind))
    return bad('targets.kind', 'target_kind_unknown', `must be one of ${TARGET_KINDS.join('|')}`);
  if (t.stages !== undefined) {
    if (t.kind !== 'school') bad('targets.stages', 'stages_not_school', 'only schools have stages');
    if (t.stages.length === 0) bad('targets.stages', 'stages_empty', 'leave it out for every stage');
    t.stages.forEach((s, i) => {
      if (!SCHOOL_STAGES.includes(s))
        bad(`targets.stages[${i}]`, 'stage_unknown', `must be one of ${SCHOOL_STAGES.join('|')}`);
    });
  }
  if (t.ids !== undefined) {
    if (t.ids.length === 0 || t.ids.length > MAX_PLAN_TARGET_IDS)
      bad('targets.ids', 'ids_count', `list 1–${MAX_PLAN_TARGET_IDS} ids, or leave it out for every target`, {
        max: MAX_PLAN_TARGET_IDS,
      });
    if (new Set(t.ids).size !== t.ids.length) bad('targets.ids', 'ids_duplicate', 'lists an id twice');
  }
  if (kind === 'theme' && t.ids !== undefined)
    bad('targets.ids', 'ids_in_theme', 'a monthly theme covers whole stages, not a list');
}

/**
 * A plan's content in one canonical form: the same plan posted again (fields in any order) reads
 * the same, so a retry is told apart from a different plan under a taken id.
 */
export function planContent(p: PlanInput): string {
  const { id, kind, title, scope, from, to, theme, phases, targets } = p;
  return JSON.stringify({
    id,
    kind,
    title,
    scope,
    from,
    to,
    theme: theme ?? null,
    phases: phases?.map(({ name, from, to }) => ({ name, from, to })) ?? null,
    targets: { kind: targets.kind, stages: targets.stages ?? null, ids: targets.ids ?? null },
  });
}

/** Where a plan stands on `today` (YYYY-MM-DD in the city's time). */
export function planStatus(p: Pick<PlanInput, 'from' | 'to'>, today: string): PlanStatus {
  if (today < p.from) return 'upcoming';
  return today > p.to ? 'ended' : 'running';
}

/** The phase `today` falls in, if any. */
export function currentPhase<T extends PlanPhase>(phases: readonly T[] | undefined, today: string): T | null {
  return phases?.find((ph) => ph.from <= today && today <= ph.to) ?? null;
}

/** visited / targets, 0 when the plan covers nothing. */
export const planRate = (p: PlanProgress): number => (p.targets > 0 ? p.visited / p.targets : 0);

export const emptyProgress = (): PlanProgress => ({
  targets: 0,
  visited: 0,
  issuesRaised: 0,
  issuesClosed: 0,
});

export function addProgress(a: PlanProgress, b: PlanProgress): PlanProgress {
  return {
    targets: a.targets + b.targets,
    visited: a.visited + b.visited,
    issuesRaised: a.issuesRaised + b.issuesRaised,
    issuesClosed: a.issuesClosed + b.issuesClosed,
  };
}

/** `GET /districts/:adcode/responsibility?by=supervisor|zone` (and city-wide `GET /responsibility`) */
export type ResponsibilityBy = 'supervisor' | 'zone';

export interface ResponsibilityRow {
  /** the inspector's id (by supervisor) or `<district>:<zone>` (by zone) */
  id: string;
  district: string;
  /** the inspector's name, or the zone's */
  name: string;
  /** by supervisor: the inspector's role and the zone most of their targets are in */
  role: 'full_time' | 'part_time' | null;
  zone: string | null;
  /** by zone: its 责任督学 (distinct supervisors of its targets) */
  supervisors: number;
  schools: number;
  institutions: number;
  /** schools + institutions */
  assigned: number;
  /** assigned targets with an inspection started this month */
  visited: number;
  /** by supervisor: assigned targets they visited themselves this month */
  visitedBySelf: number;
  inspectionsToday: number;
  openIssues: number;
  overdueIssues: number;
  issuesRaised: number;
  issuesClosed: number;
  lastVisitAt: string | null;
}

export interface ResponsibilityResponse {
  scope: string;
  by: ResponsibilityBy;
  rows: ResponsibilityRow[];
}
