/**
 * The live image: all counters of a city, district by district, in plain data. The in-process live
 * store is this image; the Redis store holds the same data in hashes, sets and sorted sets; the
 * rebuild produces one from SQL. `applyDeltas` is the reference semantics of every delta.
 */
import { dayBucket, monthBucket, type Bucket, type Delta, type MemberSet } from './deltas.ts';
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

/**
 * One value a store reads for a district at an instant, and where it goes in `DistrictCounters`.
 * Both live stores read through this list, so the windows of "now" are chosen in one place.
 */
export type CounterRead =
  | { into: 'total' | 'today' | 'month'; bucket: Bucket }
  | { into: 'inspectorsToday' | 'coveredSchools' | 'coveredInstitutions'; set: MemberSet; window: string }
  /** open issues whose deadline is before this instant */
  | { into: 'overdue'; deadlinesBefore: number }
  | { into: 'lastEventAt' };

/** The reads of one district at `now`: today's and this month's buckets, the clock's overdue. */
export function counterReadsAt(now: number, timezone: string): CounterRead[] {
  const { day, month } = localTime(now, timezone);
  return [
    { into: 'total', bucket: 'total' },
    { into: 'today', bucket: dayBucket(day) },
    { into: 'month', bucket: monthBucket(month) },
    { into: 'inspectorsToday', set: 'inspectors', window: day },
    { into: 'coveredSchools', set: 'coveredSchools', window: month },
    { into: 'coveredInstitutions', set: 'coveredInstitutions', window: month },
    { into: 'overdue', deadlinesBefore: now },
    { into: 'lastEventAt' },
  ];
}

/** A read's answer: a bucket's fields, a count, or the newest time (null when none). */
export type ReadValue = Record<string, number> | number | null;

/** The counters made of `reads` and their answers, in the same order. */
export function countersFrom(reads: readonly CounterRead[], values: readonly ReadValue[]): DistrictCounters {
  const counters = emptyCounters();
  reads.forEach((read, i) => {
    const value = values[i] ?? null;
    if (read.into === 'total' || read.into === 'today' || read.into === 'month')
      counters[read.into] = (value ?? {}) as Record<string, number>;
    else if (read.into === 'lastEventAt') counters.lastEventAt = value as number | null;
    else counters[read.into] = (value ?? 0) as number;
  });
  return counters;
}

function readImage(d: DistrictImage, read: CounterRead): ReadValue {
  switch (read.into) {
    case 'total':
    case 'today':
    case 'month':
      return Object.fromEntries(d.buckets.get(read.bucket) ?? []);
    case 'inspectorsToday':
    case 'coveredSchools':
    case 'coveredInstitutions':
      return d.members.get(memberKey(read.set, read.window))?.size ?? 0;
    case 'overdue': {
      let overdue = 0;
      for (const deadline of d.deadlines.values()) if (deadline < read.deadlinesBefore) overdue++;
      return overdue;
    }
    case 'lastEventAt':
      return d.lastEventAt;
  }
}

/** The counters of one district of the image as seen at `now`. */
export function countersAt(d: DistrictImage | undefined, now: number, timezone: string): DistrictCounters {
  if (!d) return emptyCounters();
  const reads = counterReadsAt(now, timezone);
  return countersFrom(
    reads,
    reads.map((read) => readImage(d, read)),
  );
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
