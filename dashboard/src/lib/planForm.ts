/**
 * The admin's plan form (SPEC §14): what the fields hold, the plan they make, and which of a plan's
 * problems (JSON pointers, from domain's rules or the service) belong under which field.
 */
import type { PlanInput, PlanPhase, PlanProblem, SchoolStage, TargetKind, Theme } from '@dudao/domain';

export interface PlanDraft extends Pick<PlanInput, 'id' | 'kind' | 'title' | 'scope' | 'from' | 'to'> {
  /** '' for none */
  theme: Theme | '';
  targetKind: TargetKind;
  /** none ticked: every stage */
  stages: SchoolStage[];
  /** target ids as typed: one a line, or separated by commas or spaces; empty for every target */
  ids: string;
  phases: PlanPhase[];
}

export const emptyDraft = (scope: string): PlanDraft => ({
  id: '',
  kind: 'theme',
  title: '',
  scope,
  from: '',
  to: '',
  theme: '',
  targetKind: 'school',
  stages: [],
  ids: '',
  phases: [],
});

/** The plan the draft makes; optional parts are left out when empty. */
export function draftToPlan(d: PlanDraft): PlanInput {
  const ids = d.ids.split(/[\s,，、]+/).filter(Boolean);
  return {
    id: d.id.trim(),
    kind: d.kind,
    title: d.title.trim(),
    scope: d.scope,
    from: d.from,
    to: d.to,
    ...(d.theme ? { theme: d.theme } : {}),
    ...(d.phases.length > 0
      ? { phases: d.phases.map((p) => ({ name: p.name.trim(), from: p.from, to: p.to })) }
      : {}),
    targets: {
      kind: d.targetKind,
      ...(d.targetKind === 'school' && d.stages.length > 0 ? { stages: [...d.stages] } : {}),
      ...(ids.length > 0 ? { ids } : {}),
    },
  };
}

/**
 * The problems of one field: those at its pointer, and with `within` also those below it
 * (`/targets/ids` takes `/targets/ids/3`).
 */
export function problemsAt(problems: readonly PlanProblem[], pointer: string, within = false): PlanProblem[] {
  return problems.filter((p) => p.path === pointer || (within && p.path.startsWith(`${pointer}/`)));
}

/**
 * A problem in the screen's language: its code's message (`plans.problem.<code>`) with its figures,
 * a target kind and a scope named as the screen names them; the service's English when it has no code.
 */
export function problemText(
  p: PlanProblem,
  t: (key: string, params: Record<string, string | number>) => string,
  scopeName: (scope: string) => string,
): string {
  if (!p.code) return p.message;
  const params = { ...p.params };
  if (typeof params.kind === 'string') params.kind = t(`plans.targetKind.${params.kind}`, {});
  if (typeof params.scope === 'string') params.scope = scopeName(params.scope);
  return t(`plans.problem.${p.code}`, params);
}

/** The fields the form shows problems under; anything else is said above the button. */
export const FORM_FIELDS = [
  '/id',
  '/kind',
  '/title',
  '/scope',
  '/from',
  '/to',
  '/theme',
  '/phases',
  '/targets',
];

export const unplacedProblems = (problems: readonly PlanProblem[]): PlanProblem[] =>
  problems.filter((p) => !FORM_FIELDS.some((f) => p.path === f || p.path.startsWith(`${f}/`)));
