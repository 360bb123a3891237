/**
 * The issue loop (SPEC §5, and §13's extend, urge and comment, which the issue actions of
 * `POST /issues/:issueId/actions` become): every event type on an issue in every state, and every
 * way each is refused.
 */
import {
  AT_MS,
  CLOSED,
  clearDeadline,
  DEADLINE,
  event,
  HT,
  incr,
  INSPECTION,
  ISSUE,
  seen,
  setDeadline,
  SUBMITTED,
  type Row,
} from './fixtures.ts';
import type { IssueState } from '../../src/index.ts';

const raise = (fields: Record<string, unknown> = {}) =>
  event({
    type: 'issue.raised',
    issueId: 'ISS1',
    target: { kind: 'school', id: 'S1' },
    category: 'homework',
    severity: 'minor',
    deadline: DEADLINE,
    ...fields,
  });
const onIssue = (type: string, fields: Record<string, unknown> = {}) =>
  event({ type, issueId: 'ISS1', ...fields });
const rectify = onIssue('issue.rectified');
const pass = onIssue('issue.verified', { result: 'passed' });
const REVISIT_DEADLINE = '2026-12-10T00:00:00+08:00';
const fail = onIssue('issue.verified', { result: 'failed', deadline: REVISIT_DEADLINE });
const LATER = '2026-12-05T18:00:00+08:00';
const extend = (deadline = LATER) => onIssue('issue.deadline_extended', { deadline, reason: '整改需要施工' });
const urge = onIssue('issue.urged', { note: '请尽快整改' });
const comment = onIssue('issue.commented', { note: '已电话沟通' });

const raised = { ...ISSUE, raisedAt: AT_MS };
const raisedDeltas = [
  incr('issues.raised'),
  incr('issues.open'),
  incr('issues.byCategory.homework'),
  setDeadline('ISS1', DEADLINE),
  seen(),
];
const URGED = { ...ISSUE, urgeCount: 2 };
const URGED_SUBMITTED = { ...SUBMITTED, urgeCount: 1, reopenCount: 1 };
/** an open issue rectified: no longer open, submitted, its deadline no longer judged */
const RECTIFIED = [incr('issues.open', -1), incr('issues.submitted'), clearDeadline('ISS1')];
/** a submitted issue whose revisit failed: open again with the revisit's deadline, a reopen counted */
const FAILED = [
  incr('issues.submitted', -1),
  incr('issues.open'),
  incr('issues.reopened'),
  setDeadline('ISS1', REVISIT_DEADLINE),
];
const reopened = (issue: IssueState): IssueState => ({
  ...issue,
  status: 'open',
  deadline: Date.parse(REVISIT_DEADLINE),
  reopenCount: issue.reopenCount + 1,
  reopenedAt: AT_MS,
  submittedAt: null,
});
const invalid = { code: 'invalid_transition' } as const;
const unknownIssue = { code: 'unknown_issue' } as const;

/** Each action on a raised issue and the states it is refused in (`invalid_transition`). */
const REFUSED_IN: [name: string, event: Row['event'], states: IssueState[]][] = [
  ['rectified', rectify, [SUBMITTED, CLOSED]],
  ['verified passed', pass, [ISSUE, CLOSED]],
  ['verified failed', fail, [ISSUE, CLOSED]],
  ['extended', extend(), [SUBMITTED, CLOSED]],
  ['urged', urge, [SUBMITTED, CLOSED]],
  ['commented', comment, []],
];
const REFUSED: Row[] = REFUSED_IN.flatMap(([name, e, states]) => [
  ...states.map((issue): Row => ({
    rule: `${name}: a ${issue.status} issue`,
    before: { issue },
    event: e,
    expected: invalid,
  })),
  { rule: `${name}: an issue never raised`, event: e, expected: unknownIssue },
  {
    rule: `${name}: an issue of another district`,
    before: { issue: { ...SUBMITTED, district: HT } },
    event: e,
    expected: unknownIssue,
  },
]);

export const ISSUE_ROWS: Row[] = [
  ...REFUSED,

  // issue.raised
  {
    rule: 'raised: a new issue is open, counted by category, its deadline set',
    event: raise(),
    expected: { outcome: 'raised', change: { kind: 'issue', state: raised }, deltas: raisedDeltas },
  },
  {
    rule: 'raised: from an inspection of its district, the issue keeps the inspection',
    before: { inspection: INSPECTION },
    event: raise({ inspectionId: 'INS1' }),
    expected: {
      outcome: 'raised',
      change: { kind: 'issue', state: { ...raised, inspectionId: 'INS1' } },
      deltas: raisedDeltas,
    },
  },
  ...[ISSUE, SUBMITTED, CLOSED].map((issue): Row => ({
    rule: `raised: a ${issue.status} issueId again`,
    before: { issue },
    event: raise(),
    expected: invalid,
  })),
  {
    rule: 'raised: from an inspection never started',
    event: raise({ inspectionId: 'INS9' }),
    expected: { code: 'unknown_inspection' },
  },
  {
    rule: 'raised: from an inspection of another district',
    before: { inspection: { ...INSPECTION, district: HT } },
    event: raise({ inspectionId: 'INS1' }),
    expected: { code: 'unknown_inspection' },
  },
  {
    rule: 'raised: on a school of another district',
    event: raise({ target: { kind: 'school', id: 'S2' } }),
    expected: { code: 'unknown_target' },
  },
  {
    rule: 'raised: on an institution not in the registry',
    event: raise({ target: { kind: 'institution', id: 'N9' } }),
    expected: { code: 'unknown_target' },
  },

  // issue.rectified
  {
    rule: 'rectified: open → submitted, its deadline no longer counts',
    before: { issue: ISSUE },
    event: rectify,
    expected: {
      outcome: 'rectified',
      change: { kind: 'issue', state: { ...ISSUE, status: 'submitted', submittedAt: AT_MS } },
      deltas: [...RECTIFIED, seen()],
    },
  },
  {
    rule: 'rectified: an urged open issue leaves issues.urged',
    before: { issue: URGED },
    event: rectify,
    expected: {
      outcome: 'rectified',
      change: { kind: 'issue', state: { ...URGED, status: 'submitted', submittedAt: AT_MS } },
      deltas: [...RECTIFIED, incr('issues.urged', -1), seen()],
    },
  },

  // issue.verified
  {
    rule: 'verified passed: submitted → closed, the time since raised added to close',
    before: { issue: SUBMITTED },
    event: pass,
    expected: {
      outcome: 'passed',
      change: { kind: 'issue', state: { ...SUBMITTED, status: 'closed', closedAt: AT_MS } },
      deltas: [
        incr('issues.submitted', -1),
        incr('issues.closed'),
        incr('issues.closeMsSum', 3_600_000),
        seen(),
      ],
    },
  },
  {
    rule: 'verified failed: submitted → open with the new deadline, a reopen counted',
    before: { issue: SUBMITTED },
    event: fail,
    expected: {
      outcome: 'failed',
      change: { kind: 'issue', state: reopened(SUBMITTED) },
      deltas: [...FAILED, seen()],
    },
  },
  {
    rule: 'verified failed: an issue urged before comes back into issues.urged',
    before: { issue: URGED_SUBMITTED },
    event: fail,
    expected: {
      outcome: 'failed',
      change: { kind: 'issue', state: reopened(URGED_SUBMITTED) },
      deltas: [...FAILED, incr('issues.urged'), seen()],
    },
  },

  // issue.deadline_extended (SPEC §13)
  {
    rule: 'extended: an open issue’s deadline moves later',
    before: { issue: ISSUE },
    event: extend(),
    expected: {
      outcome: 'extended',
      change: { kind: 'issue', state: { ...ISSUE, deadline: Date.parse(LATER) } },
      deltas: [setDeadline('ISS1', LATER), seen()],
    },
  },
  {
    rule: 'extended: an overdue issue’s new deadline replaces the passed one',
    before: { issue: { ...ISSUE, deadline: AT_MS - 1 } },
    event: extend(),
    expected: {
      outcome: 'extended',
      change: { kind: 'issue', state: { ...ISSUE, deadline: Date.parse(LATER) } },
      deltas: [setDeadline('ISS1', LATER), seen()],
    },
  },
  {
    rule: 'extended: to the current deadline',
    before: { issue: ISSUE },
    event: extend(DEADLINE),
    expected: invalid,
  },
  {
    rule: 'extended: to an earlier deadline',
    before: { issue: ISSUE },
    event: extend('2026-11-30T18:00:00+08:00'),
    expected: invalid,
  },

  // issue.urged (SPEC §13)
  {
    rule: 'urged: the first urge of an open issue counts in issues.urged',
    before: { issue: ISSUE },
    event: urge,
    expected: {
      outcome: 'first',
      change: { kind: 'issue', state: { ...ISSUE, urgeCount: 1 } },
      deltas: [incr('issues.urged'), seen()],
    },
  },
  {
    rule: 'urged: a later urge is kept in urgeCount only',
    before: { issue: { ...ISSUE, urgeCount: 1 } },
    event: urge,
    expected: {
      outcome: 'again',
      change: { kind: 'issue', state: { ...ISSUE, urgeCount: 2 } },
      deltas: [seen()],
    },
  },

  // issue.commented (SPEC §13)
  ...[ISSUE, SUBMITTED, CLOSED].map((issue): Row => ({
    rule: `commented: a remark on a ${issue.status} issue changes nothing`,
    before: { issue },
    event: comment,
    expected: { outcome: 'commented', change: { kind: 'issue', state: issue }, deltas: [seen()] },
  })),
];
