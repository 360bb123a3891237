/** The ingest contract of SPEC §5 as TypeScript types. */

export const EVENT_TYPES = [
  'inspection.started',
  'inspection.completed',
  'issue.raised',
  'issue.rectified',
  'issue.verified',
  'issue.deadline_extended',
  'issue.urged',
  'issue.commented',
  'institution.action',
  'complaint.received',
  'complaint.resolved',
  'school.report',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const TARGET_KINDS = ['school', 'institution'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const INSPECTION_MODES = ['special', 'followup', 'comprehensive', 'routine'] as const;
export type InspectionMode = (typeof INSPECTION_MODES)[number];
export const THEMES = [
  'double_reduction',
  'five_managements',
  'after_school',
  'homework',
  'off_campus_training',
  'food_safety',
  'campus_safety',
  'dropout_control',
  'other',
] as const;
export type Theme = (typeof THEMES)[number];
export const ISSUE_CATEGORIES = [
  'homework',
  'after_school',
  'off_campus_training',
  'five_managements',
  'fees',
  'food_safety',
  'campus_safety',
  'teaching_order',
  'other',
] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];
export const SEVERITIES = ['minor', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const INSTITUTION_ACTIONS = [
  'warning',
  'rectification_order',
  'fine',
  'suspension',
  'closure',
] as const;
export type InstitutionActionType = (typeof INSTITUTION_ACTIONS)[number];
export const COMPLAINT_CHANNELS = ['hotline', 'online', 'letter'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export interface Target {
  kind: TargetKind;
  id: string;
}

interface EventBase {
  id: string;
  occurredAt: string;
  district: string;
  inspector?: string;
  /** who did it (SPEC §13): a person's login when acted through the service, else as the sender says */
  actor?: string;
}

/** Limits of the optional fields of SPEC §13. */
export const MAX_TEXT_CHARS = 2000;
export const MAX_SHORT_TEXT_CHARS = 200;
export const MAX_PHOTOS = 9;

export interface InspectionStartedEvent extends EventBase {
  type: 'inspection.started';
  inspectionId: string;
  target: Target;
  mode: InspectionMode;
  theme: Theme;
  inspector: string;
}
export interface InspectionCompletedEvent extends EventBase {
  type: 'inspection.completed';
  inspectionId: string;
  findings: number;
  summary?: string;
}
export interface IssueRaisedEvent extends EventBase {
  type: 'issue.raised';
  issueId: string;
  inspectionId?: string;
  target: Target;
  category: IssueCategory;
  severity: Severity;
  deadline: string;
  description?: string;
  /** 整改措施 */
  measures?: string;
  /** 责任人 */
  responsible?: string;
  /** https URLs, at most MAX_PHOTOS */
  photos?: string[];
}
export interface IssueRectifiedEvent extends EventBase {
  type: 'issue.rectified';
  issueId: string;
  note?: string;
  photos?: string[];
}
export interface IssueVerifiedEvent extends EventBase {
  type: 'issue.verified';
  issueId: string;
  result: 'passed' | 'failed';
  deadline?: string;
}
/** An open issue's deadline moves later (延期). */
export interface IssueDeadlineExtendedEvent extends EventBase {
  type: 'issue.deadline_extended';
  issueId: string;
  deadline: string;
  reason: string;
}
/** 督办: the office presses an open issue. */
export interface IssueUrgedEvent extends EventBase {
  type: 'issue.urged';
  issueId: string;
  note: string;
}
/** A remark on any issue. */
export interface IssueCommentedEvent extends EventBase {
  type: 'issue.commented';
  issueId: string;
  note: string;
}
export interface InstitutionActionEvent extends EventBase {
  type: 'institution.action';
  institutionId: string;
  action: InstitutionActionType;
  amountYuan?: number;
}
export interface ComplaintReceivedEvent extends EventBase {
  type: 'complaint.received';
  complaintId: string;
  channel: ComplaintChannel;
  category: IssueCategory;
  target?: Target;
}
export interface ComplaintResolvedEvent extends EventBase {
  type: 'complaint.resolved';
  complaintId: string;
}
export interface SchoolReportEvent extends EventBase {
  type: 'school.report';
  schoolId: string;
  period: string;
  afterSchoolOffered: boolean;
  afterSchoolParticipation: number;
  homeworkCompliant: boolean;
}

export type DudaoEvent =
  | InspectionStartedEvent
  | InspectionCompletedEvent
  | IssueRaisedEvent
  | IssueRectifiedEvent
  | IssueVerifiedEvent
  | IssueDeadlineExtendedEvent
  | IssueUrgedEvent
  | IssueCommentedEvent
  | InstitutionActionEvent
  | ComplaintReceivedEvent
  | ComplaintResolvedEvent
  | SchoolReportEvent;

/** Per-item rejection codes of SPEC §5. */
export const ITEM_CODES = [
  'unknown_district',
  'unknown_target',
  'unknown_inspection',
  'unknown_issue',
  'unknown_complaint',
  'invalid_transition',
  'out_of_scope',
  'future_timestamp',
  'conflict',
  'too_old',
] as const;
export type ItemCode = (typeof ITEM_CODES)[number];

/** How far in the future `occurredAt` may be before the item is refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/**
 * How old `occurredAt` may be before the item is refused as `too_old` (MAX_EVENT_AGE_DAYS): a
 * sender's default date (1900-01-01) must not land in the ledger.
 */
export const DEFAULT_MAX_EVENT_AGE_DAYS = 730;
