/** 举报: the public's complaints by hotline, online form or letter, and how they are closed. */
import type { Target } from '@dudao/domain';
import { laterInOfficeHours, randomDays } from './clock.ts';
import type { Draft, StepContext } from './steps.ts';
import {
  CHANNEL_WEIGHTS,
  COMPLAINT_CATEGORY_WEIGHTS,
  COMPLAINT_RESOLVE_DAYS,
  COMPLAINT_RESOLVED_SHARE,
  COMPLAINT_TARGET_SHARE,
  FOLLOWUP_VISIT_DAYS,
  FOLLOWUP_VISIT_SHARE,
  THEME_OF_COMPLAINT,
} from './tuning.ts';
import type { SimComplaint } from './world.ts';

/** A new complaint; it plans its resolution and, when it names a target, often a follow-up visit. */
export function receiveComplaint(ctx: StepContext, at: number): Draft {
  const { random, state } = ctx;
  const district = random.pick(state.districts);
  const category = random.weighted(COMPLAINT_CATEGORY_WEIGHTS);
  let target: Target | undefined;
  const aboutTutoring = category === 'off_campus_training' || category === 'fees';
  const institution =
    aboutTutoring && random.chance(COMPLAINT_TARGET_SHARE.institution)
      ? state.institutionIn(random, district)
      : undefined;
  if (institution) target = { kind: 'institution', id: institution.id };
  else if (random.chance(COMPLAINT_TARGET_SHARE.school)) {
    const school = state.school(random, district);
    if (school) target = { kind: 'school', id: school.id };
  }
  const complaint: SimComplaint = { id: ctx.id('c'), district, category, target };
  const later = (days: readonly [number, number]) =>
    laterInOfficeHours(at, ctx.scaled(randomDays(random, days)), random);
  if (random.chance(COMPLAINT_RESOLVED_SHARE))
    ctx.plan(later(COMPLAINT_RESOLVE_DAYS), { kind: 'resolve', complaint });
  if (target && random.chance(FOLLOWUP_VISIT_SHARE)) {
    const theme = THEME_OF_COMPLAINT[category];
    ctx.plan(later(FOLLOWUP_VISIT_DAYS), { kind: 'followup', district, target, theme });
  }
  const channel = random.weighted(CHANNEL_WEIGHTS);
  const draft: Draft = { type: 'complaint.received', district, complaintId: complaint.id, channel, category };
  return target ? { ...draft, target } : draft;
}

/** Closed by the district's office; an inspector of the district signs it off. */
export function resolveComplaint(ctx: StepContext, complaint: SimComplaint): Draft {
  const inspector = ctx.state.anyInspector(ctx.random, complaint.district);
  const draft: Draft = {
    type: 'complaint.resolved',
    district: complaint.district,
    complaintId: complaint.id,
  };
  return inspector ? { ...draft, inspector: inspector.id } : draft;
}
