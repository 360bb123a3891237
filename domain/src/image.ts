/**
 * The live image: all counters of a city, district by district, in plain data. The in-process live
 * store is this image; the Redis store holds the same data in hashes, sets and sorted sets; the
 * rebuild produces one from SQL. `applyDeltas` is the reference semantics of every delta.
 */
import type { Bucket, Delta, MemberSet } from './deltas.ts';
import { emptyCounters, type DistrictCounters } from './metrics.ts';
import { localTime } from './time.ts';

export interface DistrictImage {
  buckets: Map<Bucket, Map<string, number>>;
  /** key `${set}:${window}`, e.g. `inspectors:2026-11-26`, `coveredSchools:2026-11` */
  members: Map<string, Set<string>>;
  /** open issues' deadlines, by issue id */
  deadlines: Map<string, number>;
  lastEventAt: number | null;
}

/** district adcode → its image */
export type LiveImage = Map<string, DistrictImage>;

export const memberKey = (set: MemberSet, window: string) => `${set}:${window}`;

export const emptyDistrictImage = (): DistrictImage => ({
  buckets: new Map(),
  members: new Map(),
  deadlines: new Map(),
  lastEventAt: null,
});

export function districtImage(image: LiveImage, district: string): DistrictImage {
  let d = image.get(district);
  if (!d) {
    d = emptyDistrictImage();
    image.set(district, d);
  }
  return d;
}

export function incrementBucket(d: DistrictImage, bucket: Bucket, field: string, by: number): void {
  let fields = d.buckets.get(bucket);
  if (!fields) {
    fields = new Map();
    d.buckets.set(bucket, fields);
  }
  fields.set(field, (fields.get(field) ?? 0) + by);
}

export function applyDelta(image: LiveImage, delta: Delta): void {
  const d = districtImage(image, delta.district);
  switch (delta.op) {
    case 'incr':
      incrementBucket(d, delta.bucket, delta.field, delta.by);
      return;
    case 'addMember': {
      const key = memberKey(delta.set, delta.window);
      const set = d.members.get(key) ?? new Set<string>();
      set.add(delta.member);
      d.members.set(key, set);
      return;
    }
    case 'setDeadline':
      d.deadlines.set(delta.issueId, delta.deadlineMs);
      return;
    case 'clearDeadline':
      d.deadlines.delete(delta.issueId);
      return;
    case 'seen':
      d.lastEventAt =
        d.lastEventAt === null ? delta.occurredAtMs : Math.max(d.lastEventAt, delta.occurredAtMs);
      return;
  }
}

/** Applies deltas in order; returns the districts they touched. */
export function applyDeltas(image: LiveImage, deltas: readonly Delta[]): Set<string> {
  const touched = new Set<string>();
  for (const delta of deltas) {
    applyDelta(image, delta);
    touched.add(delta.district);
  }
  return touched;
}

const toRecord = (m: Map<string, number> | undefined): Record<string, number> =>
  m ? Object.fromEntries(m) : {};

/** The counters of one district as seen at `now`: today's and this month's buckets, the clock's overdue. */
export function countersAt(d: DistrictImage | undefined, now: number, timezone: string): DistrictCounters {
  if (!d) return emptyCounters();
  const { day, month } = localTime(now, timezone);
  let overdue = 0;
  for (const deadline of d.deadlines.values()) if (deadline < now) overdue++;
  return {
    total: toRecord(d.buckets.get('total')),
    today: toRecord(d.buckets.get(`day:${day}`)),
    month: toRecord(d.buckets.get(`month:${month}`)),
    inspectorsToday: d.members.get(memberKey('inspectors', day))?.size ?? 0,
    coveredSchools: d.members.get(memberKey('coveredSchools', month))?.size ?? 0,
    coveredInstitutions: d.members.get(memberKey('coveredInstitutions', month))?.size ?? 0,
    overdue,
    lastEventAt: d.lastEventAt,
  };
}

/**
 * Drops day buckets and per-day sets before `oldestDay`, month ones before `oldestMonth`, so a
 * process that runs for months does not grow. Windows compare as strings (ISO dates sort).
 */
export function pruneImage(image: LiveImage, oldestDay: string, oldestMonth: string): void {
  for (const d of image.values()) {
    for (const bucket of d.buckets.keys()) {
      if (bucket.startsWith('day:') && bucket.slice(4) < oldestDay) d.buckets.delete(bucket);
      if (bucket.startsWith('month:') && bucket.slice(6) < oldestMonth) d.buckets.delete(bucket);
    }
    for (const key of d.members.keys()) {
      const window = key.slice(key.indexOf(':') + 1);
      if (window.length === 10 ? window < oldestDay : window < oldestMonth) d.members.delete(key);
    }
  }
}
