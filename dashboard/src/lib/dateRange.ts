/**
 * The district page's range of city days (SPEC §15): the quick choices (本周, 本月, 上月, 近90天)
 * worked out from today, and the range kept in the URL (`?from=&to=`), checked before it is asked for.
 */
import { addDays, daysInRange, isCalendarDay } from '@dudao/domain';

export const QUICK_RANGES = ['week', 'month', 'lastMonth', 'last90'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];

/** The longest range the service takes (`MAX_RANGE_DAYS` of the read API). */
export const MAX_RANGE_DAYS = 400;
/** The range shown when the URL names none. */
export const DEFAULT_RANGE_DAYS = 30;

export interface DayRange {
  from: string;
  to: string;
}

/** A quick choice as days: weeks start on Monday; ranges never reach past today. */
export function quickRange(kind: QuickRange, today: string): DayRange {
  const monthStart = `${today.slice(0, 7)}-01`;
  switch (kind) {
    case 'week': {
      const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
      return { from: addDays(today, -weekday), to: today };
    }
    case 'month':
      return { from: monthStart, to: today };
    case 'lastMonth': {
      const to = addDays(monthStart, -1);
      return { from: `${to.slice(0, 7)}-01`, to };
    }
    case 'last90':
      return { from: addDays(today, -89), to: today };
  }
}

/** Which quick choice a range is, if any. */
export function quickRangeOf(range: DayRange, today: string): QuickRange | null {
  return (
    QUICK_RANGES.find((k) => {
      const q = quickRange(k, today);
      return q.from === range.from && q.to === range.to;
    }) ?? null
  );
}

/** The range the URL asks for, or the last `DEFAULT_RANGE_DAYS` days when it asks for none or a bad one. */
export function rangeFromQuery(query: { from?: unknown; to?: unknown }, today: string): DayRange {
  const { from, to } = query;
  if (typeof from === 'string' && typeof to === 'string' && rangeProblem({ from, to }, today) === null)
    return { from, to };
  return { from: addDays(today, 1 - DEFAULT_RANGE_DAYS), to: today };
}

/** Why a range cannot be asked for (an i18n key under `range.problems`), or null. */
export function rangeProblem(r: DayRange, today: string): 'day' | 'order' | 'future' | 'tooLong' | null {
  if (!isCalendarDay(r.from) || !isCalendarDay(r.to)) return 'day';
  if (r.from > r.to) return 'order';
  if (r.to > today) return 'future';
  if (daysInRange(r.from, r.to) > MAX_RANGE_DAYS) return 'tooLong';
  return null;
}
