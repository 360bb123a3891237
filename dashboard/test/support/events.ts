/**
 * Realistic event streams for the dashboard's browser tests and for local development: a month of
 * history over the seeded registry, then a live trickle. Posted through the real ingest API.
 */
import type {
  DudaoEvent,
  InspectorRow,
  InstitutionRow,
  IssueCategory,
  SchoolRow,
  Theme,
  CityPackResponse,
} from '@dudao/domain';
import { ISSUE_CATEGORIES, THEMES } from '@dudao/domain';

export interface DistrictRegistry {
  adcode: string;
  schools: SchoolRow[];
  institutions: InstitutionRow[];
  inspectors: InspectorRow[];
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export async function loadRegistry(
  baseUrl: string,
  viewerKey: string,
): Promise<{
  city: CityPackResponse;
  districts: DistrictRegistry[];
}> {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${viewerKey}` } });
    if (!res.ok) throw new Error(`${res.status} for ${path}`);
    return (await res.json()) as T;
  };
  const city = await get<CityPackResponse>('/api/v1/city');
  const districts = await Promise.all(
    city.districts.map(async (d) => ({
      adcode: d.adcode,
      schools: await get<SchoolRow[]>(`/api/v1/districts/${d.adcode}/schools`),
      institutions: await get<InstitutionRow[]>(`/api/v1/districts/${d.adcode}/institutions`),
      inspectors: await get<InspectorRow[]>(`/api/v1/districts/${d.adcode}/inspectors`),
    })),
  );
  return { city, districts };
}

export async function postEvents(baseUrl: string, ingestKey: string, events: DudaoEvent[]) {
  let accepted = 0;
  const rejected: unknown[] = [];
  for (let i = 0; i < events.length; i += 1000) {
    const res = await fetch(`${baseUrl}/api/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ingestKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(events.slice(i, i + 1000)),
    });
    if (!res.ok) throw new Error(`POST /api/v1/events: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { accepted: number; rejected: unknown[] };
    accepted += body.accepted;
    rejected.push(...body.rejected);
  }
  return { accepted, rejected };
}

let counter = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function inspectionStarted(
  d: DistrictRegistry,
  at: number,
  r: () => number,
  target?: { kind: 'school' | 'institution'; id: string },
): DudaoEvent & { type: 'inspection.started' } {
  return {
    id: uid('ev'),
    type: 'inspection.started',
    occurredAt: iso(at),
    district: d.adcode,
    inspector: pick(r, d.inspectors).id,
    inspectionId: uid('insp'),
    target: target ?? { kind: 'school', id: pick(r, d.schools).id },
    mode: pick(r, ['routine', 'special', 'followup', 'comprehensive'] as const),
    theme: pick(r, THEMES) as Theme,
  };
}

/** A month of plausible history up to `now` across every district, in time order. */
export function monthOfHistory(districts: DistrictRegistry[], now: number, seed = 7, perDistrictPerDay = 6) {
  const r = rng(seed);
  const events: DudaoEvent[] = [];
  const startOfMonth = new Date(now);
  startOfMonth.setUTCDate(1);
  startOfMonth.setUTCHours(0, 0, 0, 0);
  const days = Math.max(1, Math.ceil((now - startOfMonth.getTime()) / DAY_MS));
  for (const d of districts) {
    // districts differ in zeal, so the map and ranking have something to show
    const zeal = 0.4 + r() * 1.2;
    for (let day = 0; day < days; day++) {
      const dayStart = startOfMonth.getTime() + day * DAY_MS;
      const n = Math.round(perDistrictPerDay * zeal * (0.6 + r() * 0.8));
      for (let i = 0; i < n; i++) {
        const at = dayStart + (1 + r() * 10) * HOUR_MS; // 09:00–19:00 Beijing time
        if (at > now - 60_000) continue;
        const onInstitution = r() < 0.2;
        const target = onInstitution
          ? { kind: 'institution' as const, id: pick(r, d.institutions).id }
          : { kind: 'school' as const, id: pick(r, d.schools).id };
        const started = inspectionStarted(d, at, r, target);
        events.push(started);
        const doneAt = at + (0.5 + r() * 2) * HOUR_MS;
        const findings = r() < 0.35 ? 1 : 0;
        if (doneAt < now) {
          events.push({
            id: uid('ev'),
            type: 'inspection.completed',
            occurredAt: iso(doneAt),
            district: d.adcode,
            inspectionId: started.inspectionId,
            findings,
          });
        }
        if (findings && doneAt < now) {
          const issueId = uid('iss');
          const deadline = doneAt + (3 + r() * 14) * DAY_MS;
          events.push({
            id: uid('ev'),
            type: 'issue.raised',
            occurredAt: iso(doneAt + 60_000),
            district: d.adcode,
            inspector: started.inspector,
            issueId,
            inspectionId: started.inspectionId,
            target,
            category: pick(r, ISSUE_CATEGORIES) as IssueCategory,
            severity: pick(r, ['minor', 'minor', 'major', 'critical'] as const),
            deadline: iso(deadline),
          });
          const rectAt = doneAt + (1 + r() * 10) * DAY_MS;
          if (r() < 0.7 * zeal && rectAt < now) {
            events.push({
              id: uid('ev'),
              type: 'issue.rectified',
              occurredAt: iso(rectAt),
              district: d.adcode,
              issueId,
            });
            const verAt = rectAt + (0.5 + r() * 3) * DAY_MS;
            if (verAt < now && r() < 0.8) {
              const failed = r() < 0.15;
              events.push({
                id: uid('ev'),
                type: 'issue.verified',
                occurredAt: iso(verAt),
                district: d.adcode,
                inspector: started.inspector,
                issueId,
                result: failed ? 'failed' : 'passed',
                ...(failed ? { deadline: iso(verAt + 7 * DAY_MS) } : {}),
              });
            }
          }
        }
      }
      if (r() < 0.25) {
        const subject = d.institutions.filter((x) => x.category === 'subject');
        if (subject.length) {
          events.push({
            id: uid('ev'),
            type: 'institution.action',
            occurredAt: iso(dayStart + 12 * HOUR_MS > now ? now - 120_000 : dayStart + 5 * HOUR_MS),
            district: d.adcode,
            inspector: pick(r, d.inspectors).id,
            institutionId: pick(r, subject).id,
            action: pick(r, ['warning', 'rectification_order', 'fine', 'closure'] as const),
            amountYuan: 5000,
          });
        }
      }
      if (r() < 0.5) {
        const complaintId = uid('cmp');
        const at = dayStart + 3 * HOUR_MS;
        if (at < now) {
          events.push({
            id: uid('ev'),
            type: 'complaint.received',
            occurredAt: iso(at),
            district: d.adcode,
            complaintId,
            channel: pick(r, ['hotline', 'online', 'letter'] as const),
            category: pick(r, ISSUE_CATEGORIES) as IssueCategory,
          });
          if (r() < 0.7 && at + 2 * DAY_MS < now) {
            events.push({
              id: uid('ev'),
              type: 'complaint.resolved',
              occurredAt: iso(at + 2 * DAY_MS),
              district: d.adcode,
              complaintId,
            });
          }
        }
      }
    }
    // this month's school reports
    const period = new Date(now + 8 * HOUR_MS).toISOString().slice(0, 7);
    for (const s of d.schools) {
      if (s.stage === 'kindergarten' || s.stage === 'senior' || r() < 0.3) continue;
      const offered = r() < 0.92;
      events.push({
        id: uid('ev'),
        type: 'school.report',
        occurredAt: iso(Math.max(startOfMonth.getTime() + HOUR_MS, now - (1 + r() * 5) * HOUR_MS)),
        district: d.adcode,
        schoolId: s.id,
        period,
        afterSchoolOffered: offered,
        afterSchoolParticipation: offered ? Math.round((0.6 + r() * 0.38) * 100) / 100 : 0,
        homeworkCompliant: r() < 0.88,
      });
    }
  }
  return events.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
}
