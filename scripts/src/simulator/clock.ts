/**
 * Beijing time for the simulator. Both city packs are in Asia/Shanghai, which has had no daylight
 * saving since 1991, so a fixed +08:00 offset is exact and far cheaper than Intl per event.
 */
import type { Random } from '../registry/random.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** Office hours during which schools answer and inspectors revisit. */
const WORKDAY_START_HOUR = 8;
const WORKDAY_END_HOUR = 18;
/** Share of office work (a rectification upload, a revisit) that still happens after hours. */
const AFTER_HOURS_SHARE = 0.1;
/** Delays shorter than this are not moved into office hours (a visit that runs late ends late). */
const OFFICE_SNAP_MIN_MS = 6 * HOUR_MS;

export interface BeijingTime {
  /** 0..23 */
  hour: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** `YYYY-MM` */
  month: string;
  /** 1..12 */
  monthNumber: number;
}

export function beijingTime(ms: number): BeijingTime {
  const d = new Date(ms + BEIJING_OFFSET_MS);
  return {
    hour: d.getUTCHours(),
    weekday: d.getUTCDay(),
    month: d.toISOString().slice(0, 7),
    monthNumber: d.getUTCMonth() + 1,
  };
}

/** ISO 8601 with the +08:00 offset, as the mini-program would send it. */
export function beijingIso(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** Start (00:00 Beijing) of the day `ms` falls in. */
function beijingMidnight(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

const isWorkday = (weekday: number) => weekday >= 1 && weekday <= 5;

/** `days` days after `ms`, at 18:00 Beijing: a rectification notice names a date, due by close of office. */
export function deadlineAfterDays(ms: number, days: number): number {
  return beijingMidnight(ms + days * DAY_MS) + WORKDAY_END_HOUR * HOUR_MS;
}

/**
 * Moves an office task that would fall at night or on a weekend to a random time of the next
 * working day, except for the few that really are done after hours.
 */
export function duringOfficeHours(ms: number, random: Random): number {
  const { hour, weekday } = beijingTime(ms);
  if (isWorkday(weekday) && hour >= WORKDAY_START_HOUR && hour < WORKDAY_END_HOUR) return ms;
  if (random.chance(AFTER_HOURS_SHARE)) return ms;
  let day = beijingMidnight(ms);
  if (!(isWorkday(weekday) && hour < WORKDAY_START_HOUR)) day += DAY_MS;
  while (!isWorkday(beijingTime(day).weekday)) day += DAY_MS;
  const officeMs = (WORKDAY_END_HOUR - WORKDAY_START_HOUR) * HOUR_MS;
  return day + WORKDAY_START_HOUR * HOUR_MS + Math.floor(random.float() * officeMs);
}

/** `at` plus a process delay; a delay of many hours lands in office hours as office work does. */
export function laterInOfficeHours(at: number, delayMs: number, random: Random): number {
  return delayMs >= OFFICE_SNAP_MIN_MS ? duringOfficeHours(at + delayMs, random) : at + delayMs;
}

/** A random span of [min, max] days, in ms. */
export function randomDays(random: Random, [min, max]: readonly [number, number]): number {
  return random.between(min, max) * DAY_MS;
}
