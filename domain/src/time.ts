/** Calendar windows in the city's timezone (SPEC §6: days and months by `occurredAt`). */

/** 24 hours in ms (a calendar day in the city's timezone is `startOfLocalDay` apart). */
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  return f;
}

export interface LocalTime {
  /** `YYYY-MM-DD` */
  day: string;
  /** `YYYY-MM` */
  month: string;
  /** 0..23 */
  hour: number;
}

/**
 * Every timezone's offset is a multiple of 15 minutes, so local day, month and hour are constant
 * within each 15-minute slot of UTC: one Intl call per slot instead of per event (Intl's
 * formatToParts showed in the ingest profile, several calls per event).
 */
const SLOT_MS = 15 * 60_000;
/** Slots remembered per timezone before the cache starts over (a month of slots is ~3,000). */
const MAX_CACHED_SLOTS = 10_000;
const slots = new Map<string, Map<number, LocalTime>>();

export function localTime(ms: number, timezone: string): LocalTime {
  let cache = slots.get(timezone);
  if (!cache) slots.set(timezone, (cache = new Map()));
  const slot = Math.floor(ms / SLOT_MS);
  let local = cache.get(slot);
  if (!local) {
    const parts: Record<string, string> = {};
    for (const p of formatterFor(timezone).formatToParts(slot * SLOT_MS)) parts[p.type] = p.value;
    const month = `${parts.year}-${parts.month}`;
    local = Object.freeze({ day: `${month}-${parts.day}`, month, hour: Number(parts.hour) });
    if (cache.size >= MAX_CACHED_SLOTS) cache.clear();
    cache.set(slot, local);
  }
  return local;
}

/** UTC offset of `timezone` at `ms`, in minutes east of UTC. */
function offsetMinutes(ms: number, timezone: string): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
  const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The instant at which local day `day` (`YYYY-MM-DD`) starts in `timezone`. */
export function startOfLocalDay(day: string, timezone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const guess = utcMidnight - offsetMinutes(utcMidnight, timezone) * 60_000;
  return utcMidnight - offsetMinutes(guess, timezone) * 60_000;
}

/** Local day `n` days after `day` (negative for before). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function firstDayOfMonth(month: string): string {
  return `${month}-01`;
}

/** Whether `day` is a real calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** Days from `from` to `to`, both included (1 for the same day, 0 or less when `to` is before). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Every day from `from` to `to`, both included. */
export function dayList(from: string, to: string): string[] {
  return Array.from({ length: Math.max(0, daysInRange(from, to)) }, (_, i) => addDays(from, i));
}
