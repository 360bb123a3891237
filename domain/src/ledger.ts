/**
 * The ledger and the issue of SPEC §13 as the read API answers them, shared by the service and the
 * dashboard: `GET /api/v1/issues` (rows), `GET /api/v1/issues/:issueId` (one issue and its story),
 * `POST /api/v1/issues/:issueId/actions` (what a supervisor does).
 */
import type { IssueLedgerRow } from './api.ts';

export const ISSUE_ACTIONS = ['verify', 'extend', 'urge', 'comment'] as const;
export type IssueAction = (typeof ISSUE_ACTIONS)[number];

/** The body of `POST /api/v1/issues/:issueId/actions`; `id` is the client's, so a retry acts once. */
export interface IssueActionBody {
  id: string;
  type: IssueAction;
  result?: 'passed' | 'failed';
  deadline?: string;
  reason?: string;
  note?: string;
}

/** One row of the ledger: the district table's row and what the issue was raised with. */
export interface LedgerRow extends IssueLedgerRow {
  district: string;
  /** the inspector who raised it */
  inspector: { id: string; name: string } | null;
  description: string | null;
  /** 整改措施 */
  measures: string | null;
  /** 责任人 */
  responsible: string | null;
  /** times urged (督办) */
  urges: number;
}

/** One event of an issue's story, oldest first. */
export interface TimelineEntry {
  id: string;
  type: string;
  occurredAt: string;
  /** who did it: a person's name, else the inspector's, else the `actor` as sent; null when unknown */
  actor: string | null;
  /** the login when the actor is a person of this service */
  actorLogin: string | null;
  result?: 'passed' | 'failed';
  deadline?: string;
  reason?: string;
  note?: string;
  photos?: string[];
}

export interface IssueDetail extends LedgerRow {
  photos: string[];
  /** the school's latest report of its fix (整改情况) */
  rectification: { at: string; note: string | null; photos: string[] } | null;
  timeline: TimelineEntry[];
}

/** The ledger's filters (SPEC §13), as query parameters and as the dashboard keeps them in its URL. */
export interface LedgerFilter {
  scope?: string;
  status?: 'open' | 'submitted' | 'closed' | 'overdue';
  category?: string;
  severity?: string;
  school?: string;
  inspector?: string;
  from?: string;
  to?: string;
  overdueDays?: string;
  q?: string;
}
export const LEDGER_FILTER_KEYS = [
  'scope',
  'status',
  'category',
  'severity',
  'school',
  'inspector',
  'from',
  'to',
  'overdueDays',
  'q',
] as const satisfies readonly (keyof LedgerFilter)[];
