/**
 * Visits (督导): an inspector starts a visit to a school or a training institution, ends it with
 * findings, and for an institution the visit may end in an enforcement action.
 */
import type { InspectionMode, InstitutionActionType, Target, Theme } from '@dudao/domain';
import { beijingTime, MINUTE_MS } from './clock.ts';
import { CATEGORIES_BY_THEME, COMPULSORY_ONLY_THEMES, INSTITUTION_THEMES, isSummerBreak } from './rhythm.ts';
import { KINDERGARTEN_THEMES, themeOfMonth } from './rhythm.ts';
import type { Draft, Plan, StepContext } from './steps.ts';
import {
  ACTION_AFTER_FINDINGS_SHARE,
  ACTION_AFTER_VISIT_MINUTES,
  ACTION_WEIGHTS,
  FINDINGS_WEIGHTS,
  FINE_STEP_YUAN,
  FINE_YUAN,
  INSTITUTION_VISIT_SHARE,
  MODE_WEIGHTS,
  MONTHLY_THEME_SHARE,
  NOTICE_AFTER_VISIT_MINUTES,
  NOTICE_GAP_MINUTES,
  PART_TIME_PICK_SHARE,
  VISIT_MINUTES,
  VISIT_WEIGHT_BY_STAGE,
} from './tuning.ts';
import type { SimInspection, SimInstitution } from './world.ts';

/** A visit on an inspector's own initiative: a free inspector, a target of their district. */
export function startInspection(ctx: StepContext, at: number): Draft | undefined {
  const { random, state } = ctx;
  const inspectors = state.inspectorList;
  for (let attempt = 0; attempt < inspectors.length; attempt++) {
    const inspector = random.pick(inspectors);
    if (state.busy.has(inspector.id)) continue;
    // Part-time inspectors visit less often than full-time ones.
    if (inspector.role === 'part_time' && !random.chance(PART_TIME_PICK_SHARE)) continue;
    const share = isSummerBreak(at) ? INSTITUTION_VISIT_SHARE.summer : INSTITUTION_VISIT_SHARE.term;
    const month = beijingTime(at).month;
    const kind = random.chance(share) ? 'institution' : 'school';
    const target =
      state.visitTarget(random, inspector.district, month, kind, VISIT_WEIGHT_BY_STAGE) ??
      state.visitTarget(random, inspector.district, month, 'school', VISIT_WEIGHT_BY_STAGE);
    if (!target) return undefined;
    const mode = random.weighted(MODE_WEIGHTS);
    return visit(
      ctx,
      at,
      { district: inspector.district, target, mode, theme: themeFor(ctx, target, at) },
      inspector.id,
    );
  }
  return undefined;
}

/** A follow-up visit planned after a complaint, by whichever inspector of the district is free. */
export function followupVisit(ctx: StepContext, plan: Extract<Plan, { kind: 'followup' }>, at: number) {
  const inspector = ctx.state.freeInspector(ctx.random, plan.district);
  if (!inspector) return undefined;
  return visit(ctx, at, { ...plan, mode: 'followup' }, inspector.id);
}

interface VisitSpec {
  district: string;
  target: Target;
  mode: InspectionMode;
  theme: Theme;
}

function visit(ctx: StepContext, at: number, spec: VisitSpec, inspector: string): Draft | undefined {
  const { district, target, mode, theme } = spec;
  if (target.kind === 'institution' && ctx.state.institutions.get(target.id)?.status === 'closed')
    return undefined;
  const inspection: SimInspection = { id: ctx.id('i'), district, target, inspector, theme };
  ctx.state.busy.add(inspector);
  ctx.state.markVisited(beijingTime(at).month, target.id);
  const minutes = ctx.random.int(VISIT_MINUTES.min, VISIT_MINUTES.max);
  ctx.plan(at + ctx.scaled(minutes * MINUTE_MS), { kind: 'complete', inspection });
  return {
    type: 'inspection.started',
    district,
    inspector,
    inspectionId: inspection.id,
    target,
    mode,
    theme,
  };
}

/** The visit ends; each finding becomes an issue notice shortly after. */
export function completeInspection(ctx: StepContext, inspection: SimInspection, at: number): Draft {
  const { random } = ctx;
  ctx.state.busy.delete(inspection.inspector);
  const findings = Number(random.weighted(FINDINGS_WEIGHTS));
  const [noticeMin, noticeMax] = NOTICE_AFTER_VISIT_MINUTES;
  for (let i = 0; i < findings; i++) {
    const minutes = random.int(noticeMin, noticeMax) + NOTICE_GAP_MINUTES * i;
    ctx.plan(at + ctx.scaled(minutes * MINUTE_MS), { kind: 'raise', inspection });
  }
  if (
    inspection.target.kind === 'institution' &&
    findings > 0 &&
    random.chance(ACTION_AFTER_FINDINGS_SHARE)
  ) {
    const minutes = random.int(...ACTION_AFTER_VISIT_MINUTES);
    const plan: Plan = { kind: 'act', institutionId: inspection.target.id, inspector: inspection.inspector };
    ctx.plan(at + ctx.scaled(minutes * MINUTE_MS), plan);
  }
  const { district, inspector } = inspection;
  return { type: 'inspection.completed', district, inspector, inspectionId: inspection.id, findings };
}

/** 联合执法: an enforcement check of an institution outside the responsibility-zone visits. */
export function campaignAction(ctx: StepContext): Draft | undefined {
  const district = ctx.random.pick(ctx.state.districts);
  const institution = ctx.state.institutionIn(ctx.random, district);
  const inspector = ctx.state.anyInspector(ctx.random, district);
  if (!institution || !inspector) return undefined;
  return institutionAction(ctx, institution.id, inspector.id);
}

export function institutionAction(
  ctx: StepContext,
  institutionId: string,
  inspector: string,
): Draft | undefined {
  const institution = ctx.state.institutions.get(institutionId);
  if (!institution || institution.status === 'closed') return undefined;
  const action = actionFor(ctx, institution);
  if (action === 'closure') institution.status = 'closed';
  if (action === 'suspension') institution.status = 'suspended';
  const { district } = institution;
  const draft: Draft = { type: 'institution.action', district, inspector, institutionId, action };
  if (action !== 'fine') return draft;
  const [min, max] = FINE_YUAN[institution.category];
  return {
    ...draft,
    amountYuan: ctx.random.int(min / FINE_STEP_YUAN, max / FINE_STEP_YUAN) * FINE_STEP_YUAN,
  };
}

/** Suspension and closure are for subject tutoring (压减); a suspended one that offends again is closed. */
function actionFor(ctx: StepContext, institution: SimInstitution): InstitutionActionType {
  const action = ctx.random.weighted(ACTION_WEIGHTS);
  if (action !== 'suspension' && action !== 'closure') return action;
  if (institution.category !== 'subject') return 'rectification_order';
  return institution.status === 'suspended' ? 'closure' : action;
}

/** Most school visits check the month's theme; kindergartens get safety visits instead of 双减 ones. */
function themeFor(ctx: StepContext, target: Target, at: number): Theme {
  const { random } = ctx;
  if (target.kind === 'institution') return random.weighted(INSTITUTION_THEMES);
  const monthly = themeOfMonth(at);
  const kindergarten = ctx.state.stageOf(target.id) === 'kindergarten';
  if (kindergarten && COMPULSORY_ONLY_THEMES.includes(monthly)) return random.pick(KINDERGARTEN_THEMES);
  if (random.chance(MONTHLY_THEME_SHARE)) return monthly;
  return random.pick(kindergarten ? KINDERGARTEN_THEMES : (Object.keys(CATEGORIES_BY_THEME) as Theme[]));
}
