/**
 * The domain core: one event + the world as it is → a rejection code, or the state change and the
 * counter deltas it causes. Pure: no I/O, no clock but the `now` it is given.
 */
import { dayBucket, F, monthBucket, type Delta } from './deltas.ts';
import {
  MAX_FUTURE_SKEW_MS,
  type DudaoEvent,
  type InspectionCompletedEvent,
  type InspectionStartedEvent,
  type InstitutionActionEvent,
  type IssueRaisedEvent,
  type IssueRectifiedEvent,
  type IssueVerifiedEvent,
  type ComplaintReceivedEvent,
  type ComplaintResolvedEvent,
  type ItemCode,
  type SchoolReportEvent,
  type Target,
} from './events.ts';
import type { InstitutionStatus, StateChange, World } from './state.ts';
import { localTime } from './time.ts';

export type Rejection = { ok: false; code: ItemCode; message: string };
export type Acceptance = { ok: true; change: StateChange; deltas: Delta[] };
export type Outcome = Rejection | Acceptance;

const reject = (code: ItemCode, message: string): Rejection => ({ ok: false, code, message });

/**
 * Checks that do not depend on the object an event acts on: the district, the writer's scope and
 * the clock. `scopeDistrict` is the district a key is limited to, or null for a city-wide key.
 */
export function checkEnvelope(
  event: Pick<DudaoEvent, 'district' | 'occurredAt'>,
  world: Pick<World, 'isDistrict'>,
  scopeDistrict: string | null,
  now: number,
): Rejection | null {
  if (!world.isDistrict(event.district))
    return reject('unknown_district', `district ${event.district} is not a district of this city`);
  if (scopeDistrict !== null && scopeDistrict !== event.district)
    return reject('out_of_scope', `this key may write district ${scopeDistrict} only`);
  if (Date.parse(event.occurredAt) > now + MAX_FUTURE_SKEW_MS)
    return reject('future_timestamp', 'occurredAt is more than 5 minutes in the future');
  return null;
}

/** Decides one event whose envelope has been checked. */
export function decide(event: DudaoEvent, world: World): Outcome {
  const at = Date.parse(event.occurredAt);
  if (event.inspector !== undefined && !world.hasInspector(event.district, event.inspector))
    return reject('unknown_target', `inspector ${event.inspector} is not in district ${event.district}`);
  const outcome = decideByType(event, at, world);
  if (outcome.ok) outcome.deltas.push(...commonDeltas(event, at, world.timezone));
  return outcome;
}

function decideByType(event: DudaoEvent, at: number, world: World): Outcome {
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

/** Every accepted event updates the newest-event time and, if it names one, today's inspectors. */
function commonDeltas(event: DudaoEvent, at: number, timezone: string): Delta[] {
  const deltas: Delta[] = [{ op: 'seen', district: event.district, occurredAtMs: at }];
  if (event.inspector !== undefined) {
    const { day } = localTime(at, timezone);
    deltas.push({
      op: 'addMember',
      district: event.district,
      set: 'inspectors',
      window: day,
      member: event.inspector,
    });
  }
  return deltas;
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

function startInspection(e: InspectionStartedEvent, at: number, world: World): Outcome {
  if (world.inspection(e.inspectionId))
    return reject('invalid_transition', `inspection ${e.inspectionId} was already started`);
  const missing = targetMissing(e.target, e.district, world);
  if (missing) return missing;
  const d = e.district;
  const { day, month, hour } = localTime(at, world.timezone);
  return {
    ok: true,
    change: {
      kind: 'inspection',
      state: {
        id: e.inspectionId,
        district: d,
        target: e.target,
        inspector: e.inspector,
        mode: e.mode,
        theme: e.theme,
        status: 'in_progress',
        startedAt: at,
        completedAt: null,
        findings: null,
      },
    },
    deltas: [
      { op: 'incr', district: d, bucket: 'total', field: F.inspections, by: 1 },
      { op: 'incr', district: d, bucket: 'total', field: F.inProgress, by: 1 },
      { op: 'incr', district: d, bucket: dayBucket(day), field: F.inspections, by: 1 },
      { op: 'incr', district: d, bucket: dayBucket(day), field: F.hour(hour), by: 1 },
      { op: 'incr', district: d, bucket: monthBucket(month), field: F.inspections, by: 1 },
      {
        op: 'addMember',
        district: d,
        set: e.target.kind === 'school' ? 'coveredSchools' : 'coveredInstitutions',
        window: month,
        member: e.target.id,
      },
    ],
  };
}

function completeInspection(e: InspectionCompletedEvent, at: number, world: World): Outcome {
  const inspection = world.inspection(e.inspectionId);
  if (!inspection || inspection.district !== e.district)
    return reject('unknown_inspection', `inspection ${e.inspectionId} was never started in ${e.district}`);
  if (inspection.status !== 'in_progress')
    return reject('invalid_transition', `inspection ${e.inspectionId} is already completed`);
  return {
    ok: true,
    change: {
      kind: 'inspection',
      state: { ...inspection, status: 'completed', completedAt: at, findings: e.findings },
    },
    deltas: [{ op: 'incr', district: e.district, bucket: 'total', field: F.inProgress, by: -1 }],
  };
}

function raiseIssue(e: IssueRaisedEvent, at: number, world: World): Outcome {
  if (world.issue(e.issueId)) return reject('invalid_transition', `issue ${e.issueId} was already raised`);
  if (e.inspectionId !== undefined && world.inspection(e.inspectionId)?.district !== e.district)
    return reject('unknown_inspection', `inspection ${e.inspectionId} was never started in ${e.district}`);
  const missing = targetMissing(e.target, e.district, world);
  if (missing) return missing;
  const d = e.district;
  const deadline = Date.parse(e.deadline);
  return {
    ok: true,
    change: {
      kind: 'issue',
      state: {
        id: e.issueId,
        district: d,
        inspectionId: e.inspectionId ?? null,
        target: e.target,
        category: e.category,
        severity: e.severity,
        status: 'open',
        deadline,
        reopenCount: 0,
        raisedAt: at,
        submittedAt: null,
        closedAt: null,
      },
    },
    deltas: [
      { op: 'incr', district: d, bucket: 'total', field: F.raised, by: 1 },
      { op: 'incr', district: d, bucket: 'total', field: F.open, by: 1 },
      { op: 'incr', district: d, bucket: 'total', field: F.byCategory(e.category), by: 1 },
      { op: 'setDeadline', district: d, issueId: e.issueId, deadlineMs: deadline },
    ],
  };
}

function rectifyIssue(e: IssueRectifiedEvent, at: number, world: World): Outcome {
  const issue = world.issue(e.issueId);
  if (!issue || issue.district !== e.district)
    return reject('unknown_issue', `issue ${e.issueId} was never raised in ${e.district}`);
  if (issue.status !== 'open')
    return reject(
      'invalid_transition',
      `issue ${e.issueId} is ${issue.status}, only an open issue is rectified`,
    );
  const d = e.district;
  return {
    ok: true,
    change: { kind: 'issue', state: { ...issue, status: 'submitted', submittedAt: at } },
    deltas: [
      { op: 'incr', district: d, bucket: 'total', field: F.open, by: -1 },
      { op: 'incr', district: d, bucket: 'total', field: F.submitted, by: 1 },
      { op: 'clearDeadline', district: d, issueId: e.issueId },
    ],
  };
}

function verifyIssue(e: IssueVerifiedEvent, at: number, world: World): Outcome {
  const issue = world.issue(e.issueId);
  if (!issue || issue.district !== e.district)
    return reject('unknown_issue', `issue ${e.issueId} was never raised in ${e.district}`);
  if (issue.status !== 'submitted')
    return reject(
      'invalid_transition',
      `issue ${e.issueId} is ${issue.status}, only a submitted issue is verified`,
    );
  const d = e.district;
  if (e.result === 'passed') {
    return {
      ok: true,
      change: { kind: 'issue', state: { ...issue, status: 'closed', closedAt: at } },
      deltas: [
        { op: 'incr', district: d, bucket: 'total', field: F.submitted, by: -1 },
        { op: 'incr', district: d, bucket: 'total', field: F.closed, by: 1 },
        { op: 'incr', district: d, bucket: 'total', field: F.closeMsSum, by: at - issue.raisedAt },
      ],
    };
  }
  // The schema requires a deadline when the revisit failed.
  const deadline = Date.parse(e.deadline as string);
  return {
    ok: true,
    change: {
      kind: 'issue',
      state: { ...issue, status: 'open', deadline, reopenCount: issue.reopenCount + 1, submittedAt: null },
    },
    deltas: [
      { op: 'incr', district: d, bucket: 'total', field: F.submitted, by: -1 },
      { op: 'incr', district: d, bucket: 'total', field: F.open, by: 1 },
      { op: 'incr', district: d, bucket: 'total', field: F.reopened, by: 1 },
      { op: 'setDeadline', district: d, issueId: e.issueId, deadlineMs: deadline },
    ],
  };
}

/** Closure is final; suspension applies to an active institution only. */
function statusAfter(action: InstitutionActionEvent['action'], status: InstitutionStatus): InstitutionStatus {
  if (action === 'closure') return 'closed';
  if (action === 'suspension' && status === 'active') return 'suspended';
  return status;
}

function actOnInstitution(e: InstitutionActionEvent, at: number, world: World): Outcome {
  const institution = world.institution(e.institutionId);
  if (!institution || institution.district !== e.district)
    return reject('unknown_target', `institution ${e.institutionId} is not in district ${e.district}`);
  const d = e.district;
  const status = statusAfter(e.action, institution.status);
  const deltas: Delta[] = [{ op: 'incr', district: d, bucket: 'total', field: F.action(e.action), by: 1 }];
  if (status !== institution.status && institution.category === 'subject') {
    deltas.push(
      { op: 'incr', district: d, bucket: 'total', field: F.subject(institution.status), by: -1 },
      { op: 'incr', district: d, bucket: 'total', field: F.subject(status), by: 1 },
    );
  }
  return {
    ok: true,
    change: {
      kind: 'institutionAction',
      action: {
        eventId: e.id,
        institutionId: e.institutionId,
        district: d,
        action: e.action,
        amountYuan: e.amountYuan ?? null,
        occurredAt: at,
      },
      institution: { ...institution, status },
    },
    deltas,
  };
}

function receiveComplaint(e: ComplaintReceivedEvent, at: number, world: World): Outcome {
  if (world.complaint(e.complaintId))
    return reject('invalid_transition', `complaint ${e.complaintId} was already received`);
  if (e.target) {
    const missing = targetMissing(e.target, e.district, world);
    if (missing) return missing;
  }
  return {
    ok: true,
    change: {
      kind: 'complaint',
      state: {
        id: e.complaintId,
        district: e.district,
        channel: e.channel,
        category: e.category,
        target: e.target ?? null,
        status: 'open',
        receivedAt: at,
        resolvedAt: null,
      },
    },
    deltas: [{ op: 'incr', district: e.district, bucket: 'total', field: F.complaintsReceived, by: 1 }],
  };
}

function resolveComplaint(e: ComplaintResolvedEvent, at: number, world: World): Outcome {
  const complaint = world.complaint(e.complaintId);
  if (!complaint || complaint.district !== e.district)
    return reject('unknown_complaint', `complaint ${e.complaintId} was never received in ${e.district}`);
  if (complaint.status !== 'open')
    return reject('invalid_transition', `complaint ${e.complaintId} is already resolved`);
  return {
    ok: true,
    change: { kind: 'complaint', state: { ...complaint, status: 'resolved', resolvedAt: at } },
    deltas: [{ op: 'incr', district: e.district, bucket: 'total', field: F.complaintsResolved, by: 1 }],
  };
}

interface ReportContribution {
  reporting: number;
  offering: number;
  participationBp: number;
  compliant: number;
}

function contribution(r: {
  afterSchoolOffered: boolean;
  participationBp: number;
  homeworkCompliant: boolean;
}) {
  return {
    reporting: 1,
    offering: r.afterSchoolOffered ? 1 : 0,
    participationBp: r.afterSchoolOffered ? r.participationBp : 0,
    compliant: r.homeworkCompliant ? 1 : 0,
  } satisfies ReportContribution;
}

const NO_REPORT: ReportContribution = { reporting: 0, offering: 0, participationBp: 0, compliant: 0 };

/** A school's latest report for a month replaces its earlier one; an older one is kept in the log only. */
function reportSchool(e: SchoolReportEvent, at: number, world: World): Outcome {
  if (!world.hasSchool(e.district, e.schoolId))
    return reject('unknown_target', `school ${e.schoolId} is not in district ${e.district}`);
  const previous = world.report(e.schoolId, e.period);
  const next = {
    schoolId: e.schoolId,
    district: e.district,
    period: e.period,
    afterSchoolOffered: e.afterSchoolOffered,
    participationBp: Math.round(e.afterSchoolParticipation * 10_000),
    homeworkCompliant: e.homeworkCompliant,
    reportedAt: at,
  };
  if (previous && previous.reportedAt > at) {
    return { ok: true, change: { kind: 'schoolReport', state: previous, replaced: false }, deltas: [] };
  }
  const before = previous ? contribution(previous) : NO_REPORT;
  const after = contribution(next);
  const bucket = monthBucket(e.period);
  const fields: [keyof ReportContribution, string][] = [
    ['reporting', F.reporting],
    ['offering', F.offering],
    ['participationBp', F.participationBp],
    ['compliant', F.compliant],
  ];
  const deltas: Delta[] = fields
    .filter(([k]) => after[k] !== before[k])
    .map(([k, field]) => ({ op: 'incr', district: e.district, bucket, field, by: after[k] - before[k] }));
  return { ok: true, change: { kind: 'schoolReport', state: next, replaced: true }, deltas };
}
