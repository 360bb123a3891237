/**
 * Replay (回放, SPEC §15): a past day played again from the event log. The service decides the log
 * through the core on a scratch world and sends the image the day starts with plus the day's events,
 * each with the deltas the core gave it; a player applies them in `occurredAt` order with
 * `applyDeltas` and reads the image with `countersAt` at the replayed clock, as a live store does.
 */
import { COUNTER_FIELD } from './counters.ts';
import type { Bucket, Delta } from './deltas.ts';
import { applyDeltas, countersAt, type LiveImage } from './image.ts';
import { snapshotOf, type DistrictCounters, type Snapshot } from './metrics.ts';
import type { FeedItem } from './protocol.ts';
import type { InstitutionCategory, InstitutionStatus } from './state.ts';

/** A district's image as JSON: Maps and Sets as objects and arrays. */
export interface DistrictImageJson {
  buckets: Record<string, Record<string, number>>;
  members: Record<string, string[]>;
  deadlines: Record<string, number>;
  lastEventAt: number | null;
}
export type LiveImageJson = Record<string, DistrictImageJson>;

export function imageToJson(image: LiveImage): LiveImageJson {
  const out: LiveImageJson = {};
  for (const [district, d] of image)
    out[district] = {
      buckets: Object.fromEntries(
        [...d.buckets].map(([bucket, fields]) => [bucket, Object.fromEntries(fields)]),
      ),
      members: Object.fromEntries([...d.members].map(([key, set]) => [key, [...set]])),
      deadlines: Object.fromEntries(d.deadlines),
      lastEventAt: d.lastEventAt,
    };
  return out;
}

export function imageFromJson(json: LiveImageJson): LiveImage {
  const image: LiveImage = new Map();
  for (const [district, d] of Object.entries(json))
    image.set(district, {
      buckets: new Map(
        Object.entries(d.buckets).map(([bucket, fields]) => [
          bucket as Bucket,
          new Map(Object.entries(fields)),
        ]),
      ),
      members: new Map(Object.entries(d.members).map(([key, members]) => [key, new Set(members)])),
      deadlines: new Map(Object.entries(d.deadlines)),
      lastEventAt: d.lastEventAt,
    });
  return image;
}

/**
 * The counters no event moves, from the registry as it stood before any event: schools,
 * institutions, subject institutions, and subject institutions by their starting status.
 */
export function registryDeltas(
  schools: Iterable<{ district: string }>,
  institutions: Iterable<{ district: string; category: InstitutionCategory; status: InstitutionStatus }>,
): Delta[] {
  const incr = (district: string, field: string): Delta => ({
    op: 'incr',
    district,
    bucket: 'total',
    field,
    by: 1,
  });
  const out: Delta[] = [];
  for (const s of schools) out.push(incr(s.district, COUNTER_FIELD.registrySchools));
  for (const i of institutions) {
    out.push(incr(i.district, COUNTER_FIELD.registryInstitutions));
    if (i.category === 'subject')
      out.push(
        incr(i.district, COUNTER_FIELD.registrySubject),
        incr(i.district, COUNTER_FIELD.subject(i.status)),
      );
  }
  return out;
}

/** One replayed event: when it happened (ms), what it did to the counters, its feed line. */
export interface ReplayEvent {
  at: number;
  deltas: Delta[];
  feed: FeedItem;
}

/** `GET /api/v1/replay?scope=&day=` */
export interface ReplayResponse {
  scope: string;
  day: string;
  timezone: string;
  /** the day's first instant and the next day's (ms) */
  from: number;
  to: number;
  /** every district of the city, as the city snapshot lists them */
  districts: { adcode: string; name: string }[];
  /** the scope's image when the day began */
  start: LiveImageJson;
  /** the day's events in `occurredAt` order */
  events: ReplayEvent[];
  /** events of the log the scratch world refused (out of order in time); 0 for a clean log */
  skipped: number;
}

/** The scope's image during a replay: the day's start plus every event up to the clock. */
export class ReplayPlayer {
  private image: LiveImage;
  /** events applied: `events[0..applied)` */
  private applied = 0;

  constructor(readonly replay: ReplayResponse) {
    this.image = imageFromJson(replay.start);
  }

  /** How many of the day's events happened by now. */
  get count(): number {
    return this.applied;
  }

  /**
   * Moves the image to `at`: forward by applying the events up to it, back by starting again from
   * the day's start. Returns the events newly applied (none when moving back).
   */
  seek(at: number): ReplayEvent[] {
    const events = this.replay.events;
    if (this.applied > 0 && events[this.applied - 1]!.at > at) {
      this.image = imageFromJson(this.replay.start);
      this.applied = 0;
      this.seek(at);
      return [];
    }
    const from = this.applied;
    while (this.applied < events.length && events[this.applied]!.at <= at)
      applyDeltas(this.image, events[this.applied++]!.deltas);
    return events.slice(from, this.applied);
  }

  /** The scope's snapshot read at `at` (the image must have been moved there). */
  snapshot(at: number): Snapshot {
    const { scope, districts, timezone } = this.replay;
    const counters = new Map<string, DistrictCounters>();
    for (const d of districts) counters.set(d.adcode, countersAt(this.image.get(d.adcode), at, timezone));
    return snapshotOf({ scope, version: this.applied, now: at, districts, counters });
  }

  /** The feed as it stood at the clock: the newest `limit` events applied, newest first. */
  feed(limit: number): FeedItem[] {
    const out: FeedItem[] = [];
    for (let i = this.applied - 1; i >= 0 && out.length < limit; i--) out.push(this.replay.events[i]!.feed);
    return out;
  }
}
