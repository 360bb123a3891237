/** The current state of the objects events act on, as the domain core sees them. */
import type {
  ComplaintChannel,
  InspectionMode,
  InstitutionActionType,
  IssueCategory,
  Severity,
  Target,
  Theme,
} from './events.ts';

export type InspectionStatus = 'in_progress' | 'completed';
export interface InspectionState {
  id: string;
  district: string;
  target: Target;
  inspector: string;
  mode: InspectionMode;
  theme: Theme;
  status: InspectionStatus;
  startedAt: number;
  completedAt: number | null;
  findings: number | null;
}

export const ISSUE_STATUSES = ['open', 'submitted', 'closed'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];
export interface IssueState {
  id: string;
  district: string;
  inspectionId: string | null;
  target: Target;
  category: IssueCategory;
  severity: Severity;
  status: IssueStatus;
  deadline: number;
  reopenCount: number;
  /** when a revisit last failed (the latest reopen); null while never reopened */
  reopenedAt: number | null;
  /** times urged (督办); `issues.urged` counts the open issues where it is above 0 */
  urgeCount: number;
  raisedAt: number;
  submittedAt: number | null;
  closedAt: number | null;
}

export type ComplaintStatus = 'open' | 'resolved';
export interface ComplaintState {
  id: string;
  district: string;
  channel: ComplaintChannel;
  category: IssueCategory;
  target: Target | null;
  status: ComplaintStatus;
  receivedAt: number;
  resolvedAt: number | null;
}

export type InstitutionCategory = 'subject' | 'non_subject';
export type InstitutionStatus = 'active' | 'suspended' | 'closed';
export interface InstitutionState {
  id: string;
  district: string;
  category: InstitutionCategory;
  status: InstitutionStatus;
}

export interface InstitutionActionRecord {
  eventId: string;
  institutionId: string;
  district: string;
  action: InstitutionActionType;
  amountYuan: number | null;
  occurredAt: number;
}

export interface SchoolReportState {
  schoolId: string;
  district: string;
  period: string;
  afterSchoolOffered: boolean;
  /** Participation in basis points (0..10000) so sums stay exact integers. */
  participationBp: number;
  homeworkCompliant: boolean;
  reportedAt: number;
}

/**
 * What the core may ask about the world while it decides one event. The ingest fills it from the
 * database for a whole batch and overlays each accepted change, so later items see earlier ones.
 */
export interface World {
  readonly timezone: string;
  isDistrict(adcode: string): boolean;
  hasSchool(district: string, id: string): boolean;
  hasInspector(district: string, id: string): boolean;
  institution(id: string): InstitutionState | undefined;
  inspection(id: string): InspectionState | undefined;
  issue(id: string): IssueState | undefined;
  complaint(id: string): ComplaintState | undefined;
  report(schoolId: string, period: string): SchoolReportState | undefined;
}

/** A row the ingest must write (insert or update) for an accepted event. */
export type StateChange =
  | { kind: 'inspection'; state: InspectionState }
  | { kind: 'issue'; state: IssueState }
  | { kind: 'complaint'; state: ComplaintState }
  | { kind: 'institutionAction'; action: InstitutionActionRecord; institution: InstitutionState }
  | { kind: 'schoolReport'; state: SchoolReportState; replaced: boolean };
