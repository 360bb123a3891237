/**
 * The issue ledger's closed loop (问题必反馈、反馈必整改、整改必回访): a finding becomes an issue
 * with a deadline, the school reports its fix, the inspector revisits and closes it or reopens it
 * with a new deadline. Some schools never answer; their issues go overdue.
 */
import { beijingIso, deadlineAfterDays, laterInOfficeHours, randomDays } from './clock.ts';
import { CATEGORIES_BY_THEME } from './rhythm.ts';
import type { Draft, StepContext } from './steps.ts';
import {
  DEADLINE_DAYS,
  INSTITUTION_ISSUE_CATEGORIES,
  LATE_BY_DAYS,
  LATE_RECTIFICATION_SHARE,
  NEVER_RECTIFIED_SHARE,
  RECTIFICATION_NOTE_SHARE,
  RECTIFICATION_NOTES,
  RECTIFIED_AT_SHARE_OF_SPAN,
  REOPEN_DEADLINE_DAYS,
  REVISIT_DAYS,
  REVISIT_FAIL_SHARE,
  SEVERITY_WEIGHTS,
} from './tuning.ts';
import type { SimInspection, SimIssue } from './world.ts';

export function raiseIssue(ctx: StepContext, inspection: SimInspection, at: number): Draft {
  const { random } = ctx;
  const severity = random.weighted(SEVERITY_WEIGHTS);
  const categories =
    inspection.target.kind === 'institution'
      ? INSTITUTION_ISSUE_CATEGORIES
      : CATEGORIES_BY_THEME[inspection.theme];
  const { district, target, inspector } = inspection;
  const issue: SimIssue = {
    id: ctx.id('q'),
    district,
    target,
    inspector,
    category: random.pick(categories),
    deadline: deadlineAfterDays(at, random.int(...DEADLINE_DAYS[severity])),
    reopens: 0,
  };
  planRectification(ctx, issue, at);
  return {
    type: 'issue.raised',
    district,
    inspector,
    issueId: issue.id,
    inspectionId: inspection.id,
    target,
    category: issue.category,
    severity,
    deadline: beijingIso(issue.deadline),
  };
}

/** Most fixes come before the deadline, some after it, a few never. */
function planRectification(ctx: StepContext, issue: SimIssue, at: number): void {
  const { random } = ctx;
  if (random.chance(NEVER_RECTIFIED_SHARE)) return;
  const span = issue.deadline - at;
  const delay = random.chance(LATE_RECTIFICATION_SHARE)
    ? span + randomDays(random, LATE_BY_DAYS)
    : span * random.between(...RECTIFIED_AT_SHARE_OF_SPAN);
  ctx.plan(laterInOfficeHours(at, ctx.scaled(delay), random), { kind: 'rectify', issue });
}

export function rectifyIssue(ctx: StepContext, issue: SimIssue, at: number): Draft {
  const { random } = ctx;
  const revisit = laterInOfficeHours(at, ctx.scaled(randomDays(random, REVISIT_DAYS)), random);
  ctx.plan(revisit, { kind: 'verify', issue });
  const draft: Draft = { type: 'issue.rectified', district: issue.district, issueId: issue.id };
  return random.chance(RECTIFICATION_NOTE_SHARE)
    ? { ...draft, note: random.pick(RECTIFICATION_NOTES) }
    : draft;
}

/** The revisit (回访复查) by the inspector who raised the issue. */
export function verifyIssue(ctx: StepContext, issue: SimIssue, at: number): Draft {
  const { district, inspector } = issue;
  const failShare = issue.reopens === 0 ? REVISIT_FAIL_SHARE.first : REVISIT_FAIL_SHARE.again;
  if (!ctx.random.chance(failShare))
    return { type: 'issue.verified', district, inspector, issueId: issue.id, result: 'passed' };
  issue.reopens += 1;
  issue.deadline = deadlineAfterDays(at, ctx.random.int(...REOPEN_DEADLINE_DAYS));
  planRectification(ctx, issue, at);
  const deadline = beijingIso(issue.deadline);
  return { type: 'issue.verified', district, inspector, issueId: issue.id, result: 'failed', deadline };
}
