/**
 * A range of the city's calendar days asked for in a query (`from`, `to`, SPEC §15): both real days,
 * `from` not after `to`, `to` not after today, at most `MAX_RANGE_DAYS` long. Every refusal is a 400
 * whose `details` name the parameter.
 */
import { addDays, daysInRange, isCalendarDay } from '@dudao/domain';
import { HttpError } from '../plugins/errors.ts';

/** The longest range a read takes: a year and a month, enough for 同比 views. */
export const MAX_RANGE_DAYS = 400;

export interface DayRange {
  from: string;
  to: string;
}

const refuse = (param: string, message: string): never => {
  throw new HttpError(400, 'invalid_body', `${param} ${message}`, [{ path: `/${param}`, message }]);
};

const checkCalendarDay = (param: string, value: string | undefined) => {
  if (value !== undefined && !isCalendarDay(value))
    refuse(param, `must be a calendar day written YYYY-MM-DD (got ${JSON.stringify(value)})`);
};

/** One calendar day asked for in `param` (a replay's `day`): a real day, not after today. */
export function parseDay(param: string, value: string, today: string): string {
  checkCalendarDay(param, value);
  if (value > today) refuse(param, `must not be after today (${today})`);
  return value;
}

/**
 * The range of `from`/`to`; a missing `to` is today, a missing `from` is `fallbackDays` before `to`.
 */
export function parseDayRange(
  q: { from?: string | undefined; to?: string | undefined },
  today: string,
  fallbackDays: number,
): DayRange {
  checkCalendarDay('from', q.from);
  const to = parseDay('to', q.to ?? today, today);
  const from = q.from ?? addDays(to, 1 - fallbackDays);
  if (from > to) refuse('from', `must not be after to (${to})`);
  if (daysInRange(from, to) > MAX_RANGE_DAYS)
    refuse('from', `must be at most ${MAX_RANGE_DAYS} days before to (${to}), both included`);
  return { from, to };
}
