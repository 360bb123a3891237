/**
 * Counter deltas: the only language in which the live stores are changed. Both stores (in-process
 * and Redis) apply exactly these operations, and the rebuild produces the same shapes from SQL.
 */

/** `total`, `day:YYYY-MM-DD` or `month:YYYY-MM`. */
export type Bucket = 'total' | `day:${string}` | `month:${string}`;

/** Distinct-member sets, each per window: inspectors per day, targets covered per month. */
export const MEMBER_SETS = ['inspectors', 'coveredSchools', 'coveredInstitutions'] as const;
export type MemberSet = (typeof MEMBER_SETS)[number];

export type Delta =
  | { op: 'incr'; district: string; bucket: Bucket; field: string; by: number }
  | { op: 'addMember'; district: string; set: MemberSet; window: string; member: string }
  | { op: 'setDeadline'; district: string; issueId: string; deadlineMs: number }
  | { op: 'clearDeadline'; district: string; issueId: string }
  | { op: 'seen'; district: string; occurredAtMs: number };

export const dayBucket = (day: string): Bucket => `day:${day}`;
export const monthBucket = (month: string): Bucket => `month:${month}`;
