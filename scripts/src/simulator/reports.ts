/** The schools' monthly 双减 reports: after-school service and homework compliance. */
import { beijingTime } from './clock.ts';
import type { Draft, StepContext } from './steps.ts';
import {
  AFTER_SCHOOL_OFFERED_SHARE,
  HOMEWORK_COMPLIANT_SHARE,
  PARTICIPATION,
  REPORT_CORRECTION_SHARE,
} from './tuning.ts';

/** One compulsory school reports its month (or, now and then, corrects its report). */
export function schoolReport(ctx: StepContext, at: number): Draft | undefined {
  const { random, state } = ctx;
  const period = beijingTime(at).month;
  const reported = state.reportedSchoolIds(period);
  const correction = reported.length > 0 && random.chance(REPORT_CORRECTION_SHARE);
  const school = correction
    ? state.compulsorySchools.find((s) => s.id === random.pick(reported))
    : state.unreportedSchool(random, period);
  if (!school) return undefined;
  let profile = state.profiles.get(school.id);
  if (!profile) {
    const participation = random.between(PARTICIPATION.min, PARTICIPATION.max);
    profile = { offersAfterSchool: random.chance(AFTER_SCHOOL_OFFERED_SHARE), participation };
    state.profiles.set(school.id, profile);
  }
  const jitter = random.between(-PARTICIPATION.monthlyJitter, PARTICIPATION.monthlyJitter);
  const rate = Math.min(PARTICIPATION.max, Math.max(PARTICIPATION.min, profile.participation + jitter));
  state.markReported(period, school.id);
  return {
    type: 'school.report',
    district: school.district,
    schoolId: school.id,
    period,
    afterSchoolOffered: profile.offersAfterSchool,
    afterSchoolParticipation: profile.offersAfterSchool ? Math.round(rate * 100) / 100 : 0,
    homeworkCompliant: random.chance(HOMEWORK_COMPLIANT_SHARE),
  };
}
