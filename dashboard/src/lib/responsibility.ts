/** How a 责任督学 or 责任区 stands this month (SPEC §14), the same on the district page and the wall. */
import type { ResponsibilityRow } from '@dudao/domain';

/** idle: none of its targets visited this month (red) · partial: some (amber) · done · none assigned */
export type VisitState = 'idle' | 'partial' | 'done' | 'none';

export function visitState(r: Pick<ResponsibilityRow, 'assigned' | 'visited'>): VisitState {
  if (r.assigned === 0) return 'none';
  if (r.visited === 0) return 'idle';
  return r.visited < r.assigned ? 'partial' : 'done';
}
