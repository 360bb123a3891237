/**
 * The wall's replay (回放, SPEC §15) as the URL asks for it (`?replay=YYYY-MM-DD&speed=N`) and its
 * clock: how far the replayed day moves for a stretch of real time at a speed.
 */
import { isCalendarDay } from '@dudao/domain';

/** Replayed seconds per real second offered by the band; a URL may ask any speed within the bounds. */
export const REPLAY_SPEEDS = [1, 10, 60, 300, 900] as const;
/** An hour of the day in a minute: a whole day in 24 minutes. */
export const DEFAULT_REPLAY_SPEED = 60;
export const MAX_REPLAY_SPEED = 3_600;

export interface ReplayAsk {
  day: string;
  speed: number;
}

const first = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

/** The replay a wall's query asks for, or null for the live wall (no `replay`, or not a calendar day). */
export function parseReplayAsk(query: Record<string, unknown>): ReplayAsk | null {
  const day = first(query.replay);
  if (day === undefined || !isCalendarDay(day)) return null;
  return { day, speed: parseReplaySpeed(first(query.speed)) };
}

/** A speed from the URL: a number from 1 to MAX_REPLAY_SPEED, else the default. */
export function parseReplaySpeed(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isFinite(n) && n >= 1 && n <= MAX_REPLAY_SPEED ? n : DEFAULT_REPLAY_SPEED;
}

/** The replayed clock after `elapsedMs` of real time at `speed`, never past the day's last instant. */
export function advanceReplayClock(clockMs: number, elapsedMs: number, speed: number, endMs: number): number {
  return Math.min(endMs, clockMs + Math.max(0, elapsedMs) * speed);
}
