/**
 * Plans (SPEC §14): stored as an admin made them; their progress counted from the ledger tables
 * (which the event log drives), so a plan made today counts the visits made before it.
 */
import { eq } from 'drizzle-orm';
import type { DistrictTally, PlanInput, StoredPlan, UnvisitedTarget } from '@dudao/domain';
import type { Database } from '../client.ts';
import { plans, type PlanRow } from '../schema/plans.ts';

/** An instant range, start included, end excluded (ms since the epoch). */
export interface Span {
  from: number;
  to: number;
}

export const storedPlan = (r: PlanRow): StoredPlan => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  scope: r.scope,
  from: r.fromDay,
  to: r.toDay,
  ...(r.theme ? { theme: r.theme as StoredPlan['theme'] } : {}),
  ...(r.phases ? { phases: r.phases } : {}),
  targets: r.targets,
  createdAt: r.createdAt.toISOString(),
});

/** Stores a new plan; false when its id is taken (the caller compares the content). */
export async function insertPlan(database: Database, p: PlanInput, createdBy: string): Promise<boolean> {
  const inserted = await database.db
    .insert(plans)
    .values({
      id: p.id,
      kind: p.kind,
      title: p.title,
      scope: p.scope,
      fromDay: p.from,
      toDay: p.to,
      theme: p.theme ?? null,
      phases: p.phases ?? null,
      targets: p.targets,
      createdBy,
    })
    .onConflictDoNothing()
    .returning({ id: plans.id });
  return inserted.length > 0;
}

export async function planById(database: Database, id: string): Promise<StoredPlan | null> {
  const [row] = await database.db.select().from(plans).where(eq(plans.id, id));
  return row ? storedPlan(row) : null;
}

/** Every plan; `endingFrom` (YYYY-MM-DD) keeps those whose last day is on or after it. */
export async function listPlans(database: Database, endingFrom?: string): Promise<StoredPlan[]> {
  const rows = await database.db.select().from(plans);
  return rows.filter((r) => endingFrom === undefined || r.toDay >= endingFrom).map(storedPlan);
}

/** Ids among `ids` that are not targets of that kind in these districts. */
export async function unknownPlanTargets(
  database: Database,
  p: { kind: 'school' | 'institution'; ids: string[]; districts: string[] },
): Promise<string[]> {
  const table = p.kind === 'school' ? 'schools' : 'institutions';
  const rows = await database.query<{ id: string }>(
    `select id from ${table} where id = any($1) and district = any($2)`,
    [p.ids, p.districts],
  );
  const known = new Set(rows.map((r) => r.id));
  return p.ids.filter((id) => !known.has(id));
}

/**
 * The plan's targets in `districts`, each with whether it was visited in the window (an inspection
 * of the plan's theme, if any, started within it) and its issues raised within it. A closed
 * institution is nobody's work any more: it counts only when it was visited.
 */
const TARGETS = `
  with t as (
    select 'school'::text as kind, id, district, name, stage, supervisor, zone, false as closed from schools
     where $2::text = 'school' and district = any($1::text[])
       and ($3::text[] is null or stage = any($3)) and ($4::text[] is null or id = any($4))
    union all
    select 'institution', id, district, name, null, supervisor, zone, status = 'closed' from institutions
     where $2::text = 'institution' and district = any($1::text[]) and ($4::text[] is null or id = any($4))
  ),
  v as (
    select target_id, started_at from inspections
     where district = any($1) and target_kind = $2 and started_at >= $5 and started_at < $6
       and ($7::text is null or theme = $7)
  ),
  vt as (select distinct target_id from v),
  tv as (
    select t.*, vt.target_id is not null as visited from t left join vt on vt.target_id = t.id
     where not t.closed or vt.target_id is not null
  )`;

interface PlanQuery {
  plan: StoredPlan;
  districts: string[];
  window: Span;
  /** the plan's phases as instant ranges, in order */
  phases: Span[];
}

const targetParams = (q: PlanQuery) => [
  q.districts,
  q.plan.targets.kind,
  q.plan.targets.stages ?? null,
  q.plan.targets.ids ?? null,
  new Date(q.window.from),
  new Date(q.window.to),
  q.plan.theme ?? null,
];

/** Per district of `districts` (zeros included): targets, visited, issues raised and closed, visits per phase. */
export async function planTally(database: Database, q: PlanQuery): Promise<Map<string, DistrictTally>> {
  const params = targetParams(q);
  const [totals, phases] = await Promise.all([
    database.query<{ district: string; targets: number; visited: number; raised: number; closed: number }>(
      `${TARGETS},
       r as (
         select target_id, count(*) as raised, count(*) filter (where status = 'closed') as closed
           from issues
          where district = any($1) and target_kind = $2 and raised_at >= $5 and raised_at < $6
          group by target_id
       )
       select tv.district, count(*)::int as targets, count(*) filter (where tv.visited)::int as visited,
              coalesce(sum(r.raised), 0)::int as raised, coalesce(sum(r.closed), 0)::int as closed
         from tv left join r on r.target_id = tv.id
        group by tv.district`,
      params,
    ),
    q.phases.length === 0
      ? Promise.resolve([])
      : database.query<{ district: string; phase: number; visited: number }>(
          `${TARGETS},
           p as (select * from unnest($8::timestamptz[], $9::timestamptz[]) with ordinality as p(s, e, i))
           select tv.district, p.i::int as phase, count(distinct v.target_id)::int as visited
             from p join v on v.started_at >= p.s and v.started_at < p.e
             join tv on tv.id = v.target_id
            group by tv.district, p.i`,
          [...params, q.phases.map((s) => new Date(s.from)), q.phases.map((s) => new Date(s.to))],
        ),
  ]);
  const out = new Map<string, DistrictTally>();
  for (const d of q.districts)
    out.set(d, {
      progress: { targets: 0, visited: 0, issuesRaised: 0, issuesClosed: 0 },
      phases: q.phases.map(() => 0),
    });
  for (const r of totals) {
    const d = out.get(r.district);
    if (d)
      d.progress = {
        targets: Number(r.targets),
        visited: Number(r.visited),
        issuesRaised: Number(r.raised),
        issuesClosed: Number(r.closed),
      };
  }
  for (const r of phases) {
    const d = out.get(r.district);
    if (d) d.phases[Number(r.phase) - 1] = Number(r.visited);
  }
  return out;
}

/** The plan's targets in `districts` not visited yet, by district and name, with their last visit ever. */
export async function unvisitedTargets(database: Database, q: PlanQuery): Promise<UnvisitedTarget[]> {
  const rows = await database.query<Record<string, unknown>>(
    `${TARGETS}
     select tv.kind, tv.id, tv.name, tv.district, tv.stage, tv.supervisor, tv.zone, p.name as supervisor_name,
            (select max(started_at) from inspections i where i.target_kind = tv.kind and i.target_id = tv.id) as last_visit
       from tv left join inspectors p on p.id = tv.supervisor and p.district = tv.district
      where not tv.visited
      order by tv.district, tv.name, tv.id`,
    targetParams(q),
  );
  return rows.map((r) => ({
    id: r.id as string,
    kind: r.kind as UnvisitedTarget['kind'],
    name: r.name as string,
    district: r.district as string,
    stage: (r.stage as UnvisitedTarget['stage']) ?? null,
    supervisor: (r.supervisor as string | null) ?? null,
    supervisorName: (r.supervisor_name as string | null) ?? null,
    zone: (r.zone as string | null) ?? null,
    lastVisitAt: r.last_visit ? new Date(r.last_visit as string).toISOString() : null,
  }));
}
