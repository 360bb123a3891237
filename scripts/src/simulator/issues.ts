/**
 * The issue ledger's closed loop (问题必反馈、反馈必整改、整改必回访): a finding becomes an issue
 * with a deadline, the school reports its fix, the inspector revisits and closes it or reopens it
 * with a new deadline. Some schools never answer; their issues go overdue. The office urges (督办)
 * the late ones, grants some a later deadline (延期), and remarks on a few (SPEC §13).
 */
import type { DudaoEvent, IssueActionBody } from '@dudao/domain';
import { beijingIso, DAY_MS, deadlineAfterDays, laterInOfficeHours, randomDays } from './clock.ts';
import { CATEGORIES_BY_THEME } from './rhythm.ts';
import type { Draft, StepContext } from './steps.ts';
import {
  COMMENT_AFTER_DAYS,
  COMMENT_NOTES,
  COMMENT_SHARE,
  DEADLINE_DAYS,
  EXTEND_BY_DAYS,
  EXTEND_LATE_SHARE,
  EXTEND_REASONS,
  ISSUE_DESCRIPTIONS,
  ISSUE_MEASURES,
  ISSUE_PHOTO_SHARE,
  ISSUE_PHOTOS,
  ISSUE_RESPONSIBLE,
  OFFICE_ACTOR,
  RECTIFICATION_PHOTO_SHARE,
  URGE_AFTER_DEADLINE_DAYS,
  URGE_LATE_SHARE,
  URGE_NOTES,
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
    status: 'open',
  };
  planRectification(ctx, issue, at);
  if (random.chance(COMMENT_SHARE))
    planOffice(ctx, issue, at, 'comment', randomDays(random, COMMENT_AFTER_DAYS));
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
    description: random.pick(ISSUE_DESCRIPTIONS[issue.category]),
    measures: random.pick(ISSUE_MEASURES),
    responsible: random.pick(ISSUE_RESPONSIBLE),
    ...photosOf(ctx, issue.id, ISSUE_PHOTO_SHARE),
  };
}

/** Placeholder photos (the thumbnails link out to them), or none. */
function photosOf(ctx: StepContext, seed: string, share: number): { photos?: string[] } {
  if (!ctx.random.chance(share)) return {};
  const n = ctx.random.int(...ISSUE_PHOTOS);
  return { photos: Array.from({ length: n }, (_, i) => `https://picsum.photos/seed/${seed}-${i}/800/600`) };
}

function planOffice(
  ctx: StepContext,
  issue: SimIssue,
  at: number,
  kind: 'urge' | 'extend' | 'comment',
  delayMs: number,
) {
  ctx.plan(laterInOfficeHours(at, ctx.scaled(Math.max(0, delayMs)), ctx.random), { kind, issue });
}

/**
 * Most fixes come before the deadline, some after it, a few never. The office urges many of the
 * late ones after the deadline; some late schools ask for a later deadline the day before it.
 */
function planRectification(ctx: StepContext, issue: SimIssue, at: number): void {
  const { random } = ctx;
  const span = issue.deadline - at;
  const never = random.chance(NEVER_RECTIFIED_SHARE);
  const late = never || random.chance(LATE_RECTIFICATION_SHARE);
  if (late && random.chance(URGE_LATE_SHARE))
    planOffice(ctx, issue, at, 'urge', span + randomDays(random, URGE_AFTER_DEADLINE_DAYS));
  if (late && random.chance(EXTEND_LATE_SHARE)) planOffice(ctx, issue, at, 'extend', span - DAY_MS);
  if (never) return;
  const delay = late
    ? span + randomDays(random, LATE_BY_DAYS)
    : span * random.between(...RECTIFIED_AT_SHARE_OF_SPAN);
  ctx.plan(laterInOfficeHours(at, ctx.scaled(delay), random), { kind: 'rectify', issue });
}

export function rectifyIssue(ctx: StepContext, issue: SimIssue, at: number): Draft {
  const { random } = ctx;
  issue.status = 'submitted';
  const revisit = laterInOfficeHours(at, ctx.scaled(randomDays(random, REVISIT_DAYS)), random);
  ctx.plan(revisit, { kind: 'verify', issue });
  const draft: Draft = { type: 'issue.rectified', district: issue.district, issueId: issue.id };
  return random.chance(RECTIFICATION_NOTE_SHARE)
    ? {
        ...draft,
        note: random.pick(RECTIFICATION_NOTES),
        ...photosOf(ctx, `${issue.id}-r`, RECTIFICATION_PHOTO_SHARE),
      }
    : draft;
}

/** The office's 督办, 延期 or remark: urging and extending only while the issue is open. */
export function actOnIssue(
  ctx: StepContext,
  kind: 'urge' | 'extend' | 'comment',
  issue: SimIssue,
  at: number,
): Draft | undefined {
  const { random } = ctx;
  const base = { district: issue.district, issueId: issue.id, actor: OFFICE_ACTOR };
  if (kind === 'comment') return { ...base, type: 'issue.commented', note: random.pick(COMMENT_NOTES) };
  if (issue.status !== 'open') return undefined;
  if (kind === 'urge') return { ...base, type: 'issue.urged', note: random.pick(URGE_NOTES) };
  issue.deadline = deadlineAfterDays(Math.max(issue.deadline, at), random.int(...EXTEND_BY_DAYS));
  return {
    ...base,
    type: 'issue.deadline_extended',
    deadline: beijingIso(issue.deadline),
    reason: random.pick(EXTEND_REASONS),
  };
}

/**
 * The office's action as a supervisor makes it at the laptop (`POST /api/v1/issues/:issueId/actions`,
 * SPEC §13): the event's id is the action's, so a retry acts once; the service stamps the time and
 * the supervisor as the actor. Undefined for every other event.
 */
export function actionOf(event: DudaoEvent): { issueId: string; body: IssueActionBody } | undefined {
  const { id } = event;
  switch (event.type) {
    case 'issue.urged':
      return { issueId: event.issueId, body: { id, type: 'urge', note: event.note } };
    case 'issue.commented':
      return { issueId: event.issueId, body: { id, type: 'comment', note: event.note } };
    case 'issue.deadline_extended':
      return {
        issueId: event.issueId,
        body: { id, type: 'extend', deadline: event.deadline, reason: event.reason },
      };
    default:
      return undefined;
  }
}

/** The revisit (回访复查) by the inspector who raised the issue. */
export function verifyIssue(ctx: StepContext, issue: SimIssue, at: number): Draft {
  const { district, inspector } = issue;
  const failShare = issue.reopens === 0 ? REVISIT_FAIL_SHARE.first : REVISIT_FAIL_SHARE.again;
  if (!ctx.random.chance(failShare)) {
    issue.status = 'closed';
    return { type: 'issue.verified', district, inspector, issueId: issue.id, result: 'passed' };
  }
  issue.status = 'open';
  issue.reopens += 1;
  issue.deadline = deadlineAfterDays(at, ctx.random.int(...REOPEN_DEADLINE_DAYS));
  planRectification(ctx, issue, at);
  const deadline = beijingIso(issue.deadline);
  return { type: 'issue.verified', district, inspector, issueId: issue.id, result: 'failed', deadline };
}
