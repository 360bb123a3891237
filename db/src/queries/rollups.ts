/**
 * Nightly rollups (SPEC §10): for each local day of a range, every SPEC §6 metric of every district
 * and of the city as it stood at the END of that day, written to `daily_stats`.
 *
 * Every counter is a sum of signed deltas with a time (an inspection started: +1 at its start; an
 * issue rectified: open −1, submitted +1 at that event; an open issue's deadline passed: overdue +1
 * at the deadline, −1 when it is rectified…). One statement turns the tables and the event log into
 * those deltas, buckets them by local day, and adds them up per day with a window sum: one pass over
 * the history for the whole range, whatever its length. Windowed counters (today, this month) are
 * the same sums partitioned by their day or month. State that the tables keep only in its latest
 * form (an issue's open/submitted history, its deadlines after a failed revisit, a month's replaced
 * school reports) is read from the event log, which holds every accepted event in full.
 */
import { sql, type SQL } from 'drizzle-orm';
import {
  addDays,
  composeMetrics,
  emptyCounters,
  F,
  flattenMetrics,
  startOfLocalDay,
  sumCounters,
  type DistrictCounters,
} from '@dudao/domain';
import type { Database } from '../client.ts';

/** Counters that are set sizes or clock-judged in `DistrictCounters`, not bucket fields. */
const SIZE = {
  overdue: 'size.overdue',
  coveredSchools: 'size.coveredSchools',
  coveredInstitutions: 'size.coveredInstitutions',
  inspectorsToday: 'size.inspectorsToday',
} as const;

/** Milliseconds since the epoch of a timestamptz expression, as float8 (exact below 2^53). */
const ms = (column: SQL) => sql`round(extract(epoch from ${column}) * 1000)::float8`;

/** How each issue event moves the state counters (SPEC §5's transitions); `''` matches any result. */
const ISSUE_TRANSITIONS: [type: string, result: string, field: string, by: number][] = [
  ['issue.raised', '', F.open, 1],
  ['issue.rectified', '', F.open, -1],
  ['issue.rectified', '', F.submitted, 1],
  ['issue.verified', 'passed', F.submitted, -1],
  ['issue.verified', 'passed', F.closed, 1],
  ['issue.verified', 'failed', F.submitted, -1],
  ['issue.verified', 'failed', F.open, 1],
  ['issue.verified', 'failed', F.reopened, 1],
];

export interface RollupWindow {
  timezone: string;
  /** first and last local day (`YYYY-MM-DD`), inclusive */
  fromDay: string;
  toDay: string;
}

/**
 * The open spans of every issue whose state counts before `end`: from `issue.raised` or a failed
 * revisit (with the deadline it set) to the rectification that followed, if any before `end`.
 */
export function openIssueSpans(end: string): SQL {
  return sql`
    select district, issue_id, at as opened_at, deadline, until from (
      select district, payload->>'issueId' as issue_id, occurred_at as at, type <> 'issue.rectified' as opens,
             (payload->>'deadline')::timestamptz as deadline,
             lead(occurred_at) over (partition by payload->>'issueId'
                                     order by occurred_at, type = 'issue.rectified') as until
        from events
       where occurred_at < ${end}::timestamptz
         and (type in ('issue.raised', 'issue.rectified')
              or (type = 'issue.verified' and payload->>'result' = 'failed'))) s
     where opens`;
}

/** (district, at, field, period, n): `period` is '' for all-time counters, else the month or day. */
function deltas(w: RollupWindow, start: string, end: string): SQL {
  const tz = w.timezone;
  const month = (c: SQL) => sql`to_char(${c} at time zone ${tz}, 'YYYY-MM')`;
  const day = (c: SQL) => sql`to_char(${c} at time zone ${tz}, 'YYYY-MM-DD')`;
  const monthStart = new Date(startOfLocalDay(`${w.fromDay.slice(0, 7)}-01`, tz)).toISOString();
  const transitions = sql.join(
    ISSUE_TRANSITIONS.map(([type, result, field, by]) => sql`(${type}, ${result}, ${field}, ${by}::float8)`),
    sql`, `,
  );
  return sql`
    select i.district, v.at, v.field, v.period, v.n
      from inspections i
      cross join lateral (values
        (i.started_at, ${F.inspections}, '', 1::float8),
        (i.started_at, ${F.inProgress}, '', 1::float8),
        -- greatest() skips nulls: guard so an open inspection has no completion
        (case when i.completed_at is not null then greatest(i.completed_at, i.started_at) end,
         ${F.inProgress}, '', -1::float8),
        (i.started_at, ${F.inspections}, ${month(sql`i.started_at`)}, 1::float8),
        (i.started_at, ${F.inspections}, ${day(sql`i.started_at`)}, 1::float8)
      ) v(at, field, period, n)
     where v.at < ${end}::timestamptz and (v.period = '' or v.at >= ${monthStart}::timestamptz)
    union all
    select district, min(started_at),
           case target_kind when 'school' then ${SIZE.coveredSchools} else ${SIZE.coveredInstitutions} end,
           ${month(sql`started_at`)}, 1
      from inspections
     where started_at >= ${monthStart}::timestamptz and started_at < ${end}::timestamptz
     group by district, target_kind, target_id, 4
    union all
    select district, min(occurred_at), ${SIZE.inspectorsToday}, ${day(sql`occurred_at`)}, 1
      from events
     where inspector is not null and occurred_at >= ${start}::timestamptz and occurred_at < ${end}::timestamptz
     group by district, inspector, 4
    union all
    select x.district, v.at, v.field, '', v.n
      from issues x
      cross join lateral (values
        (x.raised_at, ${F.raised}, 1::float8),
        (x.raised_at, ${F.byCategory('')} || x.category, 1::float8),
        (x.closed_at, ${F.closeMsSum}, ${ms(sql`x.closed_at`)} - ${ms(sql`x.raised_at`)})
      ) v(at, field, n)
     where v.at < ${end}::timestamptz
    union all
    select e.district, e.occurred_at, t.field, '', t.by
      from events e
      join (values ${transitions}) t(type, result, field, by)
        on e.type = t.type and (t.result = '' or e.payload->>'result' = t.result)
     where e.occurred_at < ${end}::timestamptz and e.type in ('issue.raised', 'issue.rectified', 'issue.verified')
    union all
    select o.district, v.at, ${SIZE.overdue}, '', v.n
      from (${openIssueSpans(end)}) o
      cross join lateral (values (greatest(o.opened_at, o.deadline), 1::float8), (o.until, -1::float8)) v(at, n)
     where o.until is null or greatest(o.opened_at, o.deadline) < o.until
    union all
    select district, occurred_at, ${F.action('')} || action, '', 1
      from institution_actions where occurred_at < ${end}::timestamptz
    union all
    select c.district, v.at, v.field, '', 1
      from complaints c
      cross join lateral (values (c.received_at, ${F.complaintsReceived}), (c.resolved_at, ${F.complaintsResolved}))
        v(at, field)
     where v.at < ${end}::timestamptz
    union all
    select district, '-infinity'::timestamptz, ${F.registrySchools}, '', count(*) from schools group by district
    union all
    select district, '-infinity'::timestamptz, v.field, '', v.n
      from (select district, count(*)::float8 as institutions,
                   count(*) filter (where category = 'subject')::float8 as subject
              from institutions group by district) r
      cross join lateral (values (${F.registryInstitutions}, r.institutions), (${F.registrySubject}, r.subject))
        v(field, n)
    union all
    ${subjectStatusDeltas()}
    union all
    ${reportDeltas(w, end)}`;
}

/**
 * Subject institutions by status at each instant. Actions only move an institution away from
 * `active` (suspension) or to `closed` (final); a status no action explains was the registry's
 * from the start. Statuses follow the actions' `occurredAt` order.
 */
function subjectStatusDeltas(): SQL {
  return sql`
    select n.district, v.at, v.field, '', v.n
      from (select i.id, i.district,
                   case when c.closed_at is null and i.status = 'closed' then 'closed'
                        when c.suspended_at is null and i.status = 'suspended' then 'suspended'
                        else 'active' end as initial,
                   c.suspended_at, c.closed_at
              from institutions i
              left join (select institution_id,
                                min(occurred_at) filter (where action = 'suspension') as suspended_at,
                                min(occurred_at) filter (where action = 'closure') as closed_at
                           from institution_actions group by institution_id) c on c.institution_id = i.id
             where i.category = 'subject') n
      cross join lateral (
        select '-infinity'::timestamptz, ${F.subject('')} || n.initial, 1::float8
        union all
        select n.suspended_at, f.field, f.n
          from (values (${F.subject('active')}, -1::float8), (${F.subject('suspended')}, 1::float8)) f(field, n)
         where n.initial = 'active' and n.suspended_at is not null
           and (n.closed_at is null or n.suspended_at < n.closed_at)
        union all
        select n.closed_at, f.field, f.n
          from (values (${F.subject('')} ||
                        case when n.initial = 'suspended' or n.suspended_at < n.closed_at then 'suspended'
                             else 'active' end, -1::float8),
                       (${F.subject('closed')}, 1::float8)) f(field, n)
         where n.initial <> 'closed' and n.closed_at is not null
      ) v(at, field, n)`;
}

/**
 * A month's school reports, counted in the month they are for: each report replaces the school's
 * previous one for that month (the latest `occurredAt` wins), so its delta is the difference.
 */
function reportDeltas(w: RollupWindow, end: string): SQL {
  const fields = [F.reporting, F.offering, F.participationBp, F.compliant] as const;
  return sql`
    select r.district, r.at, v.field, r.period, v.n
      from (select district, occurred_at as at, period,
                   1 - coalesce(lag(1) over w, 0) as reporting,
                   offering - coalesce(lag(offering) over w, 0) as offering,
                   participation - coalesce(lag(participation) over w, 0) as participation,
                   compliant - coalesce(lag(compliant) over w, 0) as compliant
              from (select district, occurred_at, received_at, payload->>'schoolId' as school,
                           payload->>'period' as period,
                           (payload->>'afterSchoolOffered')::boolean::int as offering,
                           -- floor(x + 0.5) rounds like the ingest's Math.round
                           case when (payload->>'afterSchoolOffered')::boolean
                                then floor((payload->>'afterSchoolParticipation')::float8 * 10000 + 0.5)
                                else 0 end as participation,
                           (payload->>'homeworkCompliant')::boolean::int as compliant
                      from events
                     where type = 'school.report' and occurred_at < ${end}::timestamptz
                       and payload->>'period' between ${w.fromDay.slice(0, 7)} and ${w.toDay.slice(0, 7)}) e
            window w as (partition by school, period order by occurred_at, received_at)) r
      cross join lateral (values (${fields[0]}, r.reporting::float8), (${fields[1]}, r.offering::float8),
                                 (${fields[2]}, r.participation::float8), (${fields[3]}, r.compliant::float8)) v(field, n)
     where v.n <> 0`;
}

type Row = { day: string; district: string; period: string; field: string; value: number };

/**
 * Per local day of the window and per district: the counters as of the end of that day, in the
 * shape a live store reads them (`DistrictCounters`), so `composeMetrics` gives the §6 metrics.
 */
export async function loadDailyCounters(
  database: Database,
  w: RollupWindow,
): Promise<Map<string, Map<string, DistrictCounters>>> {
  const base = addDays(w.fromDay, -1);
  const start = new Date(startOfLocalDay(w.fromDay, w.timezone)).toISOString();
  const end = new Date(startOfLocalDay(addDays(w.toDay, 1), w.timezone)).toISOString();
  const localDate = (c: SQL) => sql`(${c} at time zone ${w.timezone})::date`;
  const query = sql`
    with deltas as (${deltas(w, start, end)}),
    bucketed as (
      select district, field, period,
             greatest(${localDate(sql`at`)}, ${base}::date,
                      case length(period) when 7 then to_date(period, 'YYYY-MM')
                                          when 10 then to_date(period, 'YYYY-MM-DD') end) as day,
             sum(n) as n
        from deltas where at < ${end}::timestamptz group by 1, 2, 3, 4),
    days as (select d::date as day from generate_series(${base}::date, ${w.toDay}::date, interval '1 day') d),
    keys as (select distinct district, field, period from bucketed),
    filled as (
      select k.district, k.field, k.period, d.day, coalesce(b.n, 0) as n
        from keys k
        join days d on k.period in ('', to_char(d.day, 'YYYY-MM'), to_char(d.day, 'YYYY-MM-DD'))
        left join bucketed b on (b.district, b.field, b.period, b.day) = (k.district, k.field, k.period, d.day)),
    summed as (
      select day, district, period, field,
             sum(n) over (partition by district, field, period order by day) as value
        from filled)
    select to_char(day, 'YYYY-MM-DD') as day, district, period, field, value::float8 as value
      from summed where day >= ${w.fromDay}::date and value <> 0`;

  const rows = await database.db.transaction(
    async (tx) => ((await tx.execute(query)) as unknown as { rows: Row[] }).rows,
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const out = new Map<string, Map<string, DistrictCounters>>();
  for (let d = w.fromDay; d <= w.toDay; d = addDays(d, 1)) out.set(d, new Map());
  for (const r of rows) {
    const byDistrict = out.get(r.day)!;
    let c = byDistrict.get(r.district);
    if (!c) byDistrict.set(r.district, (c = emptyCounters()));
    setCounter(c, r.period, r.field, Number(r.value));
  }
  return out;
}

function setCounter(c: DistrictCounters, period: string, field: string, value: number): void {
  switch (field) {
    case SIZE.overdue:
      c.overdue = value;
      return;
    case SIZE.coveredSchools:
      c.coveredSchools = value;
      return;
    case SIZE.coveredInstitutions:
      c.coveredInstitutions = value;
      return;
    case SIZE.inspectorsToday:
      c.inspectorsToday = value;
      return;
  }
  const bucket = period === '' ? c.total : period.length === 7 ? c.month : c.today;
  bucket[field] = value;
}

export interface RollupResult {
  days: number;
  /** rows the range holds now */
  rows: number;
  /** rows inserted or whose value changed; 0 on a re-run over unchanged data */
  changed: number;
  /** rows of the range no longer produced (a metric that became null) */
  removed: number;
}

/** `{scope → {metric → value}}` of one day: each district and the city (the sum of its districts). */
export function dayValues(
  districts: readonly string[],
  counters: Map<string, DistrictCounters>,
): Map<string, Record<string, number>> {
  const each = districts.map((d) => counters.get(d) ?? emptyCounters());
  const scopes: [string, DistrictCounters][] = [
    ['city', sumCounters(each)],
    ...districts.map((d, i): [string, DistrictCounters] => [d, each[i]!]),
  ];
  const out = new Map<string, Record<string, number>>();
  for (const [scope, c] of scopes) {
    const values: Record<string, number> = {};
    for (const [metric, v] of Object.entries(flattenMetrics(composeMetrics(c))))
      if (v !== null) values[metric] = v;
    out.set(scope, values);
  }
  return out;
}

/**
 * Rolls up the days `fromDay..toDay` of the city and writes them in one transaction: an upsert that
 * leaves unchanged rows alone (a re-run writes nothing) and drops rows of the range no longer produced.
 */
export async function rollupDays(
  database: Database,
  p: { cityAdcode: string; fromDay: string; toDay: string },
): Promise<RollupResult> {
  const city = await database.query<{ timezone: string }>('select timezone from cities where adcode = $1', [
    p.cityAdcode,
  ]);
  if (!city[0]) throw new Error(`city ${p.cityAdcode} is not in the database; run pnpm seed first`);
  const districts = (
    await database.query<{ adcode: string }>(
      'select adcode from districts where city_adcode = $1 order by adcode',
      [p.cityAdcode],
    )
  ).map((r) => r.adcode);
  const counters = await loadDailyCounters(database, { timezone: city[0].timezone, ...p });
  const cols = { day: [] as string[], scope: [] as string[], metric: [] as string[], value: [] as number[] };
  for (const [day, byDistrict] of counters) {
    for (const [scope, values] of dayValues(districts, byDistrict)) {
      for (const [metric, value] of Object.entries(values)) {
        cols.day.push(day);
        cols.scope.push(scope);
        cols.metric.push(metric);
        cols.value.push(value);
      }
    }
  }
  const produced = sql`select * from unnest(${sql.param(cols.day)}::date[], ${sql.param(cols.scope)}::text[],
    ${sql.param(cols.metric)}::text[], ${sql.param(cols.value)}::float8[]) as n(day, scope, metric, value)`;
  return database.db.transaction(async (tx) => {
    const count = async (query: SQL) =>
      Number(((await tx.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    const changed = await count(sql`
      with up as (
        insert into daily_stats (day, scope, metric, value) ${produced}
        on conflict (day, scope, metric) do update set value = excluded.value, computed_at = now()
         where daily_stats.value is distinct from excluded.value
        returning 1)
      select count(*)::int as n from up`);
    const removed = await count(sql`
      with gone as (
        delete from daily_stats s
         where s.day between ${p.fromDay}::date and ${p.toDay}::date
           and not exists (select 1 from (${produced}) n
                            where n.day = s.day and n.scope = s.scope and n.metric = s.metric)
        returning 1)
      select count(*)::int as n from gone`);
    return { days: counters.size, rows: cols.day.length, changed, removed };
  });
}

/** The stored rollups of one day: scope → metric → value. */
export async function dailyStatsOn(
  database: Database,
  day: string,
): Promise<Map<string, Record<string, number>>> {
  const rows = await database.query<{ scope: string; metric: string; value: number }>(
    'select scope, metric, value::float8 as value from daily_stats where day = $1::date',
    [day],
  );
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const values = out.get(r.scope) ?? {};
    values[r.metric] = Number(r.value);
    out.set(r.scope, values);
  }
  return out;
}
