/**
 * Who answers for what (SPEC §14): per 责任督学 or per 责任区, the targets assigned, how many were
 * visited this month, and their issues — read live from the ledger tables, so correct at any moment.
 */
import type { ResponsibilityBy, ResponsibilityRow } from '@dudao/domain';
import type { Database } from '../client.ts';

export interface ResponsibilityQuery {
  /** the districts read (one for a district page, all of the city for the wall) */
  districts: string[];
  by: ResponsibilityBy;
  dayStart: number;
  monthStart: number;
  now: number;
}

/** The id of a zone row: zone names are unique within a district only. */
export const zoneKey = (district: string, zone: string | null) => `${district}:${zone ?? ''}`;
/** The id of the row gathering targets nobody answers for. */
export const UNASSIGNED = 'unassigned';

/**
 * One row per target (schools and institutions still open) with its month's visits and its
 * issues; the caller's grouping sums them. Closed institutions are nobody's work any more.
 */
const PER_TARGET = `
  with t as (
    select 'school' as kind, id, district, supervisor, zone from schools where district = any($1)
    union all
    select 'institution', id, district, supervisor, zone from institutions where district = any($1) and status <> 'closed'
  ),
  m as (
    select target_kind, target_id, inspector, count(*) filter (where started_at >= $2) as today
      from inspections where district = any($1) and started_at >= $3 group by 1, 2, 3
  ),
  l as (
    select target_kind, target_id, max(started_at) as last_visit
      from inspections where district = any($1) group by 1, 2
  ),
  i as (
    select target_kind, target_id,
           count(*) filter (where status = 'open') as open,
           count(*) filter (where status = 'open' and deadline < $4) as overdue,
           count(*) as raised,
           count(*) filter (where status = 'closed') as closed
      from issues where district = any($1) group by 1, 2
  )
  select t.kind, t.district, t.supervisor, t.zone,
         exists (select 1 from m where m.target_kind = t.kind and m.target_id = t.id) as visited,
         exists (select 1 from m where m.target_kind = t.kind and m.target_id = t.id and m.inspector = t.supervisor) as by_self,
         coalesce((select sum(today) from m where m.target_kind = t.kind and m.target_id = t.id), 0)::int as today,
         l.last_visit,
         coalesce(i.open, 0)::int as open, coalesce(i.overdue, 0)::int as overdue,
         coalesce(i.raised, 0)::int as raised, coalesce(i.closed, 0)::int as closed
    from t
    left join l on l.target_kind = t.kind and l.target_id = t.id
    left join i on i.target_kind = t.kind and i.target_id = t.id`;

interface TargetFacts {
  kind: 'school' | 'institution';
  district: string;
  supervisor: string | null;
  zone: string | null;
  visited: boolean;
  by_self: boolean;
  today: number;
  last_visit: string | Date | null;
  open: number;
  overdue: number;
  raised: number;
  closed: number;
}

const emptyRow = (id: string, district: string, name: string): ResponsibilityRow => ({
  id,
  district,
  name,
  role: null,
  zone: null,
  supervisors: 0,
  schools: 0,
  institutions: 0,
  assigned: 0,
  visited: 0,
  visitedBySelf: 0,
  inspectionsToday: 0,
  openIssues: 0,
  overdueIssues: 0,
  issuesRaised: 0,
  issuesClosed: 0,
  lastVisitAt: null,
});

function addTarget(row: ResponsibilityRow, t: TargetFacts): void {
  if (t.kind === 'school') row.schools++;
  else row.institutions++;
  row.assigned++;
  if (t.visited) row.visited++;
  if (t.by_self) row.visitedBySelf++;
  row.inspectionsToday += Number(t.today);
  row.openIssues += Number(t.open);
  row.overdueIssues += Number(t.overdue);
  row.issuesRaised += Number(t.raised);
  row.issuesClosed += Number(t.closed);
  const last = t.last_visit === null ? null : new Date(t.last_visit).toISOString();
  if (last && (!row.lastVisitAt || last > row.lastVisitAt)) row.lastVisitAt = last;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The zone most of a supervisor's targets lie in (ties: the first in name order). */
function mainZone(zones: Map<string, number>): string | null {
  let best: [string, number] | null = null;
  for (const entry of [...zones].sort(([a], [b]) => compare(a, b)))
    if (!best || entry[1] > best[1]) best = entry;
  return best?.[0] ?? null;
}

export async function responsibility(
  database: Database,
  q: ResponsibilityQuery,
): Promise<ResponsibilityRow[]> {
  const targets = await database.query<TargetFacts>(PER_TARGET, [
    q.districts,
    new Date(q.dayStart),
    new Date(q.monthStart),
    new Date(q.now),
  ]);
  return q.by === 'supervisor' ? bySupervisor(database, q.districts, targets) : byZone(targets);
}

async function bySupervisor(database: Database, districts: string[], targets: TargetFacts[]) {
  const people = await database.query<{ id: string; district: string; name: string; role: string }>(
    'select id, district, name, role from inspectors where district = any($1) order by district, id',
    [districts],
  );
  const rows = new Map<string, ResponsibilityRow>();
  const zones = new Map<string, Map<string, number>>();
  for (const p of people) {
    rows.set(p.id, {
      ...emptyRow(p.id, p.district, p.name),
      role: p.role as ResponsibilityRow['role'],
      supervisors: 1,
    });
  }
  for (const t of targets) {
    // A supervisor id that is not (or no longer) an inspector of the district is nobody.
    const known = t.supervisor !== null && rows.get(t.supervisor)?.district === t.district;
    const id = known ? t.supervisor! : zoneKey(t.district, UNASSIGNED);
    let row = rows.get(id);
    if (!row) rows.set(id, (row = emptyRow(id, t.district, '')));
    addTarget(row, t);
    if (known && t.zone) {
      const z = zones.get(id) ?? new Map<string, number>();
      z.set(t.zone, (z.get(t.zone) ?? 0) + 1);
      zones.set(id, z);
    }
  }
  for (const [id, z] of zones) rows.get(id)!.zone = mainZone(z);
  return [...rows.values()];
}

function byZone(targets: TargetFacts[]): ResponsibilityRow[] {
  const rows = new Map<string, ResponsibilityRow>();
  const supervisors = new Map<string, Set<string>>();
  for (const t of targets) {
    const id = zoneKey(t.district, t.zone);
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { ...emptyRow(id, t.district, t.zone ?? ''), zone: t.zone }));
    addTarget(row, t);
    if (t.supervisor) supervisors.set(id, (supervisors.get(id) ?? new Set()).add(t.supervisor));
  }
  for (const [id, set] of supervisors) rows.get(id)!.supervisors = set.size;
  // Code-point order keeps numbered zones in number order (第一 < 第二 < 第三).
  return [...rows.values()].sort((a, b) => a.district.localeCompare(b.district) || compare(a.name, b.name));
}
