/** Ripples where inspections start: a bounded, self-expiring list. */
import type { FeedItem } from '@dudao/domain';

export const RIPPLES_MAX = 12;

export interface TimedRipple {
  id: string;
  district: string;
  coord: [number, number];
  bornMs: number;
}

/** Small, stable offset from the id so ripples in one district do not sit exactly on each other. */
export function jitter(id: string, spreadDeg = 0.04): [number, number] {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  const a = ((h >>> 0) % 360) * (Math.PI / 180);
  const r = (((h >>> 9) % 1000) / 1000) * spreadDeg;
  return [Math.cos(a) * r, Math.sin(a) * r];
}

export function addRipples(
  list: TimedRipple[],
  items: FeedItem[],
  centerOf: (adcode: string) => [number, number] | null,
  nowMs: number,
  max = RIPPLES_MAX,
): TimedRipple[] {
  const fresh: TimedRipple[] = [];
  for (const item of items) {
    if (item.type !== 'inspection.started') continue;
    if (list.some((r) => r.id === item.id) || fresh.some((r) => r.id === item.id)) continue;
    const c = centerOf(item.district);
    if (!c) continue;
    const [dx, dy] = jitter(item.id);
    fresh.push({ id: item.id, district: item.district, coord: [c[0] + dx, c[1] + dy], bornMs: nowMs });
  }
  if (fresh.length === 0) return list;
  const all = [...list, ...fresh];
  return all.slice(Math.max(0, all.length - max));
}

export function expireRipples(list: TimedRipple[], nowMs: number, ttlMs: number): TimedRipple[] {
  const kept = list.filter((r) => nowMs - r.bornMs < ttlMs);
  return kept.length === list.length ? list : kept;
}
