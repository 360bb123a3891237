/** Response shapes of the read API (SPEC §7), shared by the service and the dashboard. */
import type { IssueCategory, Severity, Target } from './events.ts';
import type { InstitutionCategory, InstitutionStatus, IssueStatus } from './state.ts';

export interface CityDistrict {
  adcode: string;
  name: string;
  /** [longitude, latitude] of the label point */
  center: [number, number] | null;
}

/** `GET /city` */
export interface CityPackResponse {
  adcode: string;
  name: string;
  timezone: string;
  districts: CityDistrict[];
}

/** `GET /districts/:adcode/schools` */
export interface SchoolRow {
  id: string;
  name: string;
  stage: 'kindergarten' | 'primary' | 'junior' | 'nine_year' | 'senior';
  ownership: 'public' | 'private';
  students: number;
  inspectionsThisMonth: number;
  openIssues: number;
  overdueIssues: number;
  lastVisitAt: string | null;
  /** 责任督学: an inspector id of the district (SPEC §14), null when none is assigned */
  supervisor: string | null;
  supervisorName: string | null;
  /** 督学责任区 */
  zone: string | null;
  /** whether the 责任督学 themself started an inspection of it this month (false when none is assigned) */
  supervisorVisitedThisMonth: boolean;
}

/** `GET /districts/:adcode/institutions` */
export interface InstitutionRow {
  id: string;
  name: string;
  category: InstitutionCategory;
  status: InstitutionStatus;
  actions: number;
  lastActionAt: string | null;
  lastVisitAt: string | null;
  /** 责任督学: an inspector id of the district (SPEC §14), null when none is assigned */
  supervisor: string | null;
  supervisorName: string | null;
  /** 督学责任区 */
  zone: string | null;
}

/** `GET /districts/:adcode/inspectors` */
export interface InspectorRow {
  id: string;
  name: string;
  role: 'full_time' | 'part_time';
  inspectionsToday: number;
  inspectionsThisMonth: number;
  lastActiveAt: string | null;
}

/** One line of the issue ledger, `GET /districts/:adcode/issues` */
export interface IssueLedgerRow {
  id: string;
  target: Target & { name: string };
  category: IssueCategory;
  severity: Severity;
  status: IssueStatus;
  overdue: boolean;
  /** whole days past the deadline while overdue, else 0 */
  daysOverdue: number;
  raisedAt: string;
  deadline: string;
  submittedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
  inspectionId: string | null;
}

export interface Page<T> {
  items: T[];
  /** pass as `?cursor=` for the next page; null on the last page */
  nextCursor: string | null;
}

/** `GET /trends?scope=&days=`: one series per metric name, aligned with `days`. */
export interface TrendsResponse {
  scope: string;
  days: string[];
  series: Record<string, (number | null)[]>;
}
