/** Number and time formatting shared by every panel: "—" before data, never 0. */
export const DASH = '—';

export function formatCount(n: number | null | undefined, locale = 'zh-CN'): string {
  if (n === null || n === undefined || Number.isNaN(n)) return DASH;
  return Math.round(n).toLocaleString(locale);
}

/** A 0..1 ratio as "12.3%". */
export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined || Number.isNaN(r)) return DASH;
  return `${(r * 100).toFixed(1)}%`;
}

export function formatHours(h: number | null | undefined): string {
  if (h === null || h === undefined || Number.isNaN(h)) return DASH;
  return h.toFixed(1);
}

/** Ease-out cubic: fast start, soft landing, as number rolls should feel. */
export const easeOutCubic = (t: number): number => 1 - Math.pow(1 - Math.min(1, Math.max(0, t)), 3);

/** The value shown `elapsedMs` into a roll from `from` to `to` lasting `durationMs`. */
export function rollValue(from: number, to: number, elapsedMs: number, durationMs: number): number {
  if (durationMs <= 0 || elapsedMs >= durationMs) return to;
  return from + (to - from) * easeOutCubic(elapsedMs / durationMs);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(opts)}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, ...opts });
    dateTimeFormats.set(key, f);
  }
  return f;
}

/** "2026-11-26" in the city's timezone. */
export function formatDate(ms: number | string | null | undefined, timeZone: string): string {
  if (ms === null || ms === undefined) return DASH;
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  if (Number.isNaN(t)) return DASH;
  return dtf('en-CA', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
}

/** "14:32:05" in the city's timezone. */
export function formatTime(ms: number | string | null | undefined, timeZone: string, seconds = true): string {
  if (ms === null || ms === undefined) return DASH;
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  if (Number.isNaN(t)) return DASH;
  return dtf('en-GB', timeZone, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(t);
}

/** "2026-11-26 14:32" in the city's timezone. */
export function formatDateTime(ms: number | string | null | undefined, timeZone: string): string {
  const date = formatDate(ms, timeZone);
  return date === DASH ? DASH : `${date} ${formatTime(ms, timeZone, false)}`;
}

/** "周四" / "Thu" in the city's timezone. */
export function formatWeekday(ms: number, timeZone: string, locale: string): string {
  return dtf(locale, timeZone, { weekday: 'short' }).format(ms);
}

/** The hour (0..23) of `ms` in the city's timezone. */
export function localHour(ms: number, timeZone: string): number {
  return Number(dtf('en-GB', timeZone, { hour: '2-digit', hourCycle: 'h23' }).format(ms));
}

/** "5 s" / "3 min" / "2 h" / "4 d": how long ago, compact for a status band. */
export function formatAge(
  seconds: number | null,
  units: { s: string; m: string; h: string; d: string },
): string {
  if (seconds === null) return DASH;
  if (seconds < 60) return `${seconds}${units.s}`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}${units.m}`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}${units.h}`;
  return `${Math.floor(seconds / 86400)}${units.d}`;
}
