/**
 * The domain core: one event + the world as it is → a rejection code, or the state change and the
 * counter deltas it causes. Pure: no I/O, no clock but the `now` it is given.
 */
import { countedDeltas, type CounterName, type MoveFacts, type OutcomeOf } from './counters.ts';
import type { Delta } from './deltas.ts';
import {
  DEFAULT_MAX_EVENT_AGE_DAYS,
  MAX_FUTURE_SKEW_MS,
  type DudaoEvent,
  type EventType,
  type InspectionCompletedEvent,
  type InspectionStartedEvent,
  type InstitutionActionEvent,
  type IssueRaisedEvent,
  type IssueRectifiedEvent,
  type IssueVerifiedEvent,
  type IssueDeadlineExtendedEvent,
  type IssueUrgedEvent,
  type IssueCommentedEvent,
  type ComplaintReceivedEvent,
  type ComplaintResolvedEvent,
  type ItemCode,
  type SchoolReportEvent,
  type Target,
} from './events.ts';
import type { InstitutionStatus, IssueState, SchoolReportState, StateChange, World } from './state.ts';
import { DAY_MS, localTime } from './time.ts';

export type Rejection = { ok: false; code: ItemCode; message: string };
export type Acceptance = { ok: true; change: StateChange; deltas: Delta[] };
export type Outcome = Rejection | Acceptance;

/**
 * What a rule decided for an accepted event: the state change, the outcome that names its row of
 * the counter table (`counters.ts`), and the facts the table's moves read.
 */
type Decided = { ok: true; change: StateChange; outcome: string; facts: Partial<MoveFacts> };

/** An accepted event of type `T` with one of that type's outcomes in the counter table. */
const accept = <T extends EventType>(
  _type: T,
  outcome: OutcomeOf<T>,
  change: StateChange,
  facts: Partial<MoveFacts> = {},
): Decided => ({ ok: true, change, outcome, facts });

const reject = (code: ItemCode, message: string): Rejection => ({ ok: false, code, message });

/**
 * Checks that do not depend on the object an event acts on: the district, the writer's scope and
 * the clock. `scopeDistrict` is the district a key is limited to, or null for a city-wide key;
 * `maxAgeDays` is how far back `occurredAt` may lie (0 = no limit).
 */
export function checkEnvelope(
  event: Pick<DudaoEvent, 'district' | 'occurredAt'>,
  world: Pick<World, 'isDistrict'>,
  scopeDistrict: string | null,
  now: number,
  maxAgeDays: number = DEFAULT_MAX_EVENT_AGE_DAYS,
): Rejection | null {
  if (!world.isDistrict(event.district))
    return reject('unknown_district', `district ${event.district} is not a district of this city`);
  if (scopeDistrict !== null && scopeDistrict !== event.district)
    return reject('out_of_scope', `this key may write district ${scopeDistrict} only`);
  if (Date.parse(event.occurredAt) > now + MAX_FUTURE_SKEW_MS)
    return reject('future_timestamp', 'occurredAt is more than 5 minutes in the future');
  if (maxAgeDays > 0 && Date.parse(event.occurredAt) < now - maxAgeDays * DAY_MS)
    return reject('too_old', `occurredAt is more than ${maxAgeDays} days in the past`);
  return null;
}

/** Decides one event whose envelope has been checked. */
export function decide(event: DudaoEvent, world: World): Outcome {
  const at = Date.parse(event.occurredAt);
  if (event.inspector !== undefined && !world.hasInspector(event.district, event.inspector))
    return reject('unknown_target', `inspector ${event.inspector} is not in district ${event.district}`);
  const decided = decideByType(event, at, world);
  if (!decided.ok) return decided;
  const facts: MoveFacts = {
    district: event.district,
    at,
    timezone: world.timezone,
    inspector: event.inspector,
    ...decided.facts,
  };
  return { ok: true, change: decided.change, deltas: countedDeltas(event.type, decided.outcome, facts) };
}

function decideByType(event: DudaoEvent, at: number, world: World): Rejection | Decided {
  switch (event.type) {
    case 'inspection.started':
      return startInspection(event, at, world);
    case 'inspection.completed':
      return completeInspection(event, at, world);
    case 'issue.raised':
      return raiseIssue(event, at, world);
    case 'issue.rectified':
      return rectifyIssue(event, at, world);
    case 'issue.verified':
      return verifyIssue(event, at, world);
    case 'issue.deadline_extended':
      return extendDeadline(event, world);
    case 'issue.urged':
      return urgeIssue(event, world);
    case 'issue.commented':
      return commentIssue(event, world);
    case 'institution.action':
      return actOnInstitution(event, at, world);
    case 'complaint.received':
      return receiveComplaint(event, at, world);
    case 'complaint.resolved':
      return resolveComplaint(event, at, world);
    case 'school.report':
      return reportSchool(event, at, world);
  }
}

function targetMissing(target: Target, district: string, world: World): Rejection | null {
  const known =
    target.kind === 'school'
      ? world.hasSchool(district, target.id)
      : world.institution(target.id)?.district === district;
  return known
    ? null
    : reject('unknown_target', `${target.kind} ${target.id} is not in district ${district}`);
}

function startInspection(e: InspectionStartedEvent, at: number, world: World): Rejection | Decided {
  if (world.inspection(e.inspectionId))
    return reject('invalid_transition', `inspection ${e.inspectionId} was already started`);
  const missing = targetMissing(e.target, e.district, world);
  if (missing) return missing;
  const state = {
    id: e.inspectionId,
    district: e.district,
    target: e.target,
    inspector: e.inspector,
    mode: e.mode,
    theme: e.theme,
    status: 'in_progress' as const,
    startedAt: at,
    completedAt: null,
    findings: null,
  };
  const { hour } = localTime(at, world.timezone);
  return accept(e.type, 'started', { kind: 'inspection', state }, { target: e.target, hour });
}

function completeInspection(e: InspectionCompletedEvent, at: number, world: World): Rejection | Decided {
  const inspection = world.inspection(e.inspectionId);
  if (!inspection || inspection.district !== e.district)
    return reject('unknown_inspection', `inspection ${e.inspectionId} was never started in ${e.district}`);
  if (inspection.status !== 'in_progress')
    return reject('invalid_transition', `inspection ${e.inspectionId} is already completed`);
  const state = { ...inspection, status: 'completed' as const, completedAt: at, findings: e.findings };
  return accept(e.type, 'completed', { kind: 'inspection', state });
}

function raiseIssue(e: IssueRaisedEvent, at: number, world: World): Rejection | Decided {
  if (world.issue(e.issueId)) return reject('invalid_transition', `issue ${e.issueId} was already raised`);
  if (e.inspectionId !== undefined && world.inspection(e.inspectionId)?.district !== e.district)
    return reject('unknown_inspection', `inspection ${e.inspectionId} was never started in ${e.district}`);
  const missing = targetMissing(e.target, e.district, world);
  if (missing) return missing;
  const deadline = Date.parse(e.deadline);
  const state = {
    id: e.issueId,
    district: e.district,
    inspectionId: e.inspectionId ?? null,
    target: e.target,
    category: e.category,
    severity: e.severity,
    status: 'open' as const,
    deadline,
    reopenCount: 0,
    reopenedAt: null,
    urgeCount: 0,
    raisedAt: at,
    submittedAt: null,
    closedAt: null,
  };
  return accept(
    e.type,
    'raised',
    { kind: 'issue', state },
    { issueId: e.issueId, category: e.category, deadlineMs: deadline },
  );
}

/** The issue an event acts on, if it was raised in the event's district. */
function knownIssue(e: { issueId: string; district: string }, world: World): IssueState | Rejection {
  const issue = world.issue(e.issueId);
  if (!issue || issue.district !== e.district)
    return reject('unknown_issue', `issue ${e.issueId} was never raised in ${e.district}`);
  return issue;
}

function rectifyIssue(e: IssueRectifiedEvent, at: number, world: World): Rejection | Decided {
  const issue = knownIssue(e, world);
  if ('ok' in issue) return issue;
  if (issue.status !== 'open')
    return reject(
      'invalid_transition',
      `issue ${e.issueId} is ${issue.status}, only an open issue is rectified`,
    );
  const state = { ...issue, status: 'submitted' as const, submittedAt: at };
  return accept(
    e.type,
    'rectified',
    { kind: 'issue', state },
    { issueId: e.issueId, urged: issue.urgeCount > 0 },
  );
}

function verifyIssue(e: IssueVerifiedEvent, at: number, world: World): Rejection | Decided {
  const issue = knownIssue(e, world);
  if ('ok' in issue) return issue;
  if (issue.status !== 'submitted')
    return reject(
      'invalid_transition',
      `issue ${e.issueId} is ${issue.status}, only a submitted issue is verified`,
    );
  if (e.result === 'passed') {
    const state = { ...issue, status: 'closed' as const, closedAt: at };
    return accept(e.type, 'passed', { kind: 'issue', state }, { closeMs: at - issue.raisedAt });
  }
  // The schema requires a deadline when the revisit failed.
  const deadline = Date.parse(e.deadline as string);
  const state = {
    ...issue,
    status: 'open' as const,
    deadline,
    reopenCount: issue.reopenCount + 1,
    reopenedAt: at,
    submittedAt: null,
  };
  return accept(
    e.type,
    'failed',
    { kind: 'issue', state },
    { issueId: e.issueId, deadlineMs: deadline, urged: issue.urgeCount > 0 },
  );
}

/** The issue an event acts on, raised in the event's district and open now. */
function openIssue(
  e: { issueId: string; district: string },
  world: World,
  act: string,
): IssueState | Rejection {
  const issue = knownIssue(e, world);
  if ('ok' in issue) return issue;
  if (issue.status !== 'open')
    return reject(
      'invalid_transition',
      `issue ${e.issueId} is ${issue.status}, only an open issue is ${act}`,
    );
  return issue;
}

function extendDeadline(e: IssueDeadlineExtendedEvent, world: World): Rejection | Decided {
  const issue = openIssue(e, world, 'given a later deadline');
  if ('ok' in issue) return issue;
  const deadline = Date.parse(e.deadline);
  if (deadline <= issue.deadline)
    return reject(
      'invalid_transition',
      `deadline ${e.deadline} is not after issue ${e.issueId}'s current deadline ${new Date(issue.deadline).toISOString()}`,
    );
  const state = { ...issue, deadline };
  return accept(e.type, 'extended', { kind: 'issue', state }, { issueId: e.issueId, deadlineMs: deadline });
}

function urgeIssue(e: IssueUrgedEvent, world: World): Rejection | Decided {
  const issue = openIssue(e, world, 'urged');
  if ('ok' in issue) return issue;
  const state = { ...issue, urgeCount: issue.urgeCount + 1 };
  return accept(e.type, issue.urgeCount === 0 ? 'first' : 'again', { kind: 'issue', state });
}

/** A remark changes no state; the event log keeps it for the issue's story. */
function commentIssue(e: IssueCommentedEvent, world: World): Rejection | Decided {
  const issue = knownIssue(e, world);
  if ('ok' in issue) return issue;
  return accept(e.type, 'commented', { kind: 'issue', state: issue });
}

/** Closure is final; suspension applies to an active institution only. */
function statusAfter(action: InstitutionActionEvent['action'], status: InstitutionStatus): InstitutionStatus {
  if (action === 'closure') return 'closed';
  if (action === 'suspension' && status === 'active') return 'suspended';
  return status;
}

function actOnInstitution(e: InstitutionActionEvent, at: number, world: World): Rejection | Decided {
  const institution = world.institution(e.institutionId);
  if (!institution || institution.district !== e.district)
    return reject('unknown_target', `institution ${e.institutionId} is not in district ${e.district}`);
  const status = statusAfter(e.action, institution.status);
  const action = {
    eventId: e.id,
    institutionId: e.institutionId,
    district: e.district,
    action: e.action,
    amountYuan: e.amountYuan ?? null,
    occurredAt: at,
  };
  return accept(
    e.type,
    'acted',
    { kind: 'institutionAction', action, institution: { ...institution, status } },
    {
      action: e.action,
      statusBefore: institution.status,
      statusAfter: status,
      subjectStatusChanged: status !== institution.status && institution.category === 'subject',
    },
  );
}

function receiveComplaint(e: ComplaintReceivedEvent, at: number, world: World): Rejection | Decided {
  if (world.complaint(e.complaintId))
    return reject('invalid_transition', `complaint ${e.complaintId} was already received`);
  if (e.target) {
    const missing = targetMissing(e.target, e.district, world);
    if (missing) return missing;
  }
  const state = {
    id: e.complaintId,
    district: e.district,
    channel: e.channel,
    category: e.category,
    target: e.target ?? null,
    status: 'open' as const,
    receivedAt: at,
    resolvedAt: null,
  };
  return accept(e.type, 'received', { kind: 'complaint', state });
}

function resolveComplaint(e: ComplaintResolvedEvent, at: number, world: World): Rejection | Decided {
  const complaint = world.complaint(e.complaintId);
  if (!complaint || complaint.district !== e.district)
    return reject('unknown_complaint', `complaint ${e.complaintId} was never received in ${e.district}`);
  if (complaint.status !== 'open')
    return reject('invalid_transition', `complaint ${e.complaintId} is already resolved`);
  const state = { ...complaint, status: 'resolved' as const, resolvedAt: at };
  return accept(e.type, 'resolved', { kind: 'complaint', state });
}

/** What one school's report adds to its month's sums. */
function contribution(r: SchoolReportState | undefined): Partial<Record<CounterName, number>> {
  if (!r) return { reporting: 0, offering: 0, participationBp: 0, compliant: 0 };
  return {
    reporting: 1,
    offering: r.afterSchoolOffered ? 1 : 0,
    participationBp: r.afterSchoolOffered ? r.participationBp : 0,
    compliant: r.homeworkCompliant ? 1 : 0,
  };
}

/** A school's latest report for a month replaces its earlier one; an older one is kept in the log only. */
function reportSchool(e: SchoolReportEvent, at: number, world: World): Rejection | Decided {
  if (!world.hasSchool(e.district, e.schoolId))
    return reject('unknown_target', `school ${e.schoolId} is not in district ${e.district}`);
  const previous = world.report(e.schoolId, e.period);
  if (previous && previous.reportedAt > at)
    return accept(e.type, 'superseded', { kind: 'schoolReport', state: previous, replaced: false });
  const next = {
    schoolId: e.schoolId,
    district: e.district,
    period: e.period,
    afterSchoolOffered: e.afterSchoolOffered,
    participationBp: Math.round(e.afterSchoolParticipation * 10_000),
    homeworkCompliant: e.homeworkCompliant,
    reportedAt: at,
  };
  const before = contribution(previous);
  const after = contribution(next);
  const change = Object.fromEntries(
    Object.entries(after).map(([counter, value]) => [counter, value - (before[counter as CounterName] ?? 0)]),
  );
  return accept(
    e.type,
    'replaced',
    { kind: 'schoolReport', state: next, replaced: true },
    { period: e.period, change },
  );
}
