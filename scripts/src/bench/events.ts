/**
 * A valid, realistic event stream for the benchmarks over the demo registry: inspections started
 * and later completed, issues raised and later rectified, complaints — each event consistent with
 * those before it, so every one is accepted. Deterministic (no randomness: index arithmetic).
 */
import { createHash } from 'node:crypto';
import { COMPLAINT_CHANNELS, INSPECTION_MODES, ISSUE_CATEGORIES, SEVERITIES, THEMES } from '@dudao/domain';
import { cityPackById } from '@dudao/domain/cities';
import { generateRegistry } from '../registry/generator.ts';
import { BENCH_CITY } from './stack.ts';

export type BenchEvent = Record<string, unknown> & { id: string; type: string; district: string };

const HOUR_MS = 3_600_000;
/** Issues get a week to be fixed. */
const ISSUE_DEADLINE_MS = 7 * 24 * HOUR_MS;
/** Of every 20 events: which kind (started 8, completed 6, raised 2, rectified 1, complaint 3). */
const MIX = 'SSSSSSSSCCCCCCRRFPPP';
/**
 * A follow-up (completed, rectified) refers to an object started this many events earlier or more:
 * requests in flight together may commit in any order, and a follow-up must not overtake its start.
 */
const FOLLOW_UP_LAG = 10_000;

interface Place {
  district: string;
  schools: string[];
  inspectors: string[];
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

export class EventStream {
  private n = 0;
  private readonly places: Place[];
  private readonly started: { id: string; district: string; n: number }[] = [];
  private readonly raised: { id: string; district: string; n: number }[] = [];

  /** `prefix` keeps ids of separate streams apart (8+ characters with the counter). */
  constructor(private readonly prefix: string) {
    const registry = generateRegistry(cityPackById(BENCH_CITY));
    const byDistrict = new Map<string, Place>();
    for (const s of registry.schools) {
      const place = byDistrict.get(s.district) ?? { district: s.district, schools: [], inspectors: [] };
      place.schools.push(s.id);
      byDistrict.set(s.district, place);
    }
    for (const p of registry.inspectors) byDistrict.get(p.district)?.inspectors.push(p.id);
    this.places = [...byDistrict.values()].filter((p) => p.inspectors.length > 0);
  }

  /** The next event, occurring at `at` (ms). */
  next(at: number): BenchEvent {
    const n = this.n++;
    const id = `${this.prefix}-${n.toString(36).padStart(6, '0')}`;
    const occurredAt = new Date(at).toISOString();
    const place = pick(this.places, n);
    const kind = MIX[n % MIX.length];
    const due = (queue: { n: number }[]) => (queue[0]?.n ?? Infinity) <= n - FOLLOW_UP_LAG;
    if (kind === 'C' && due(this.started)) {
      const s = this.started.shift()!;
      return {
        id,
        type: 'inspection.completed',
        occurredAt,
        district: s.district,
        inspectionId: s.id,
        findings: n % 3,
      };
    }
    if (kind === 'F' && due(this.raised)) {
      const r = this.raised.shift()!;
      return { id, type: 'issue.rectified', occurredAt, district: r.district, issueId: r.id };
    }
    const target = { kind: 'school', id: pick(place.schools, n >> 3) };
    if (kind === 'R') {
      this.raised.push({ id: `${id}-i`, district: place.district, n });
      return {
        id,
        type: 'issue.raised',
        occurredAt,
        district: place.district,
        issueId: `${id}-i`,
        target,
        category: pick(ISSUE_CATEGORIES, n),
        severity: pick(SEVERITIES, n),
        deadline: new Date(at + ISSUE_DEADLINE_MS).toISOString(),
      };
    }
    if (kind === 'P') {
      const channel = pick(COMPLAINT_CHANNELS, n);
      const category = pick(ISSUE_CATEGORIES, n);
      return {
        id,
        type: 'complaint.received',
        occurredAt,
        district: place.district,
        complaintId: `${id}-c`,
        channel,
        category,
      };
    }
    this.started.push({ id: `${id}-s`, district: place.district, n });
    return {
      id,
      type: 'inspection.started',
      occurredAt,
      district: place.district,
      inspectionId: `${id}-s`,
      target,
      mode: pick(INSPECTION_MODES, n),
      theme: pick(THEMES, n),
      inspector: pick(place.inspectors, n >> 2),
    };
  }

  batch(size: number, at: (i: number) => number): BenchEvent[] {
    return Array.from({ length: size }, (_, i) => this.next(at(i)));
  }
}

/** One `events` table row in COPY text format (tab-separated, `\N` for null), as ingest stores it. */
export function copyRow(event: BenchEvent, receivedAt: Date): string {
  const json = JSON.stringify(event);
  const hash = createHash('sha256').update(json).digest('hex');
  const inspector = typeof event.inspector === 'string' ? event.inspector : '\\N';
  const escaped = json.replace(/\\/g, '\\\\');
  return [
    event.id,
    event.type,
    event.district,
    inspector,
    event.occurredAt,
    receivedAt.toISOString(),
    hash,
    escaped,
  ]
    .join('\t')
    .concat('\n');
}
