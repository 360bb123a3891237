/**
 * The rollups' deltas: every counter of SPEC §6 as signed counts per district, local day and field
 * (an inspection started: +1 on its day; an issue rectified: open −1, submitted +1; an open issue's
 * deadline passed: overdue +1 on that day, −1 on the day it is rectified…). Each metric family is
 * one GROUP BY district and local day over its table, so what leaves here is small whatever the
 * history; `rollups.ts` adds the days up. State the tables keep only in its latest form (an issue's
 * open/submitted history and the deadlines its failed revisits set, a month's replaced school
 * reports) comes from the event log, which keeps every accepted event in full.
 */
import { sql, type SQL } from 'drizzle-orm';
import { F } from '@dudao/domain';

/** Counters that are set sizes or clock-judged in `DistrictCounters`, not bucket fields. */
export const SIZE = {
  overdue: 'size.overdue',
  coveredSchools: 'size.coveredSchools',
  coveredInstitutions: 'size.coveredInstitutions',
  inspectorsToday: 'size.inspectorsToday',
} as const;

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

/**
 * The issue and school-report events before `end`, their payload fields as columns: one scan of the
 * event log, to be named `log` in a WITH (materialized: several branches read it).
 */
export function eventLog(end: string): SQL {
  return sql`
    select district, type, occurred_at, received_at,
           payload->>'issueId' as issue_id, payload->>'result' as result,
           (payload->>'deadline')::timestamptz as deadline,
           payload->>'schoolId' as school, payload->>'period' as period,
           (payload->>'afterSchoolOffered')::boolean as offered,
           (payload->>'afterSchoolParticipation')::float8 as participation,
           (payload->>'homeworkCompliant')::boolean as compliant
      from events
     where occurred_at < ${end}::timestamptz
       and type in ('issue.raised', 'issue.rectified', 'issue.verified', 'school.report')`;
}

/**
 * Each time an issue was open, from `log`: from `issue.raised` or a failed revisit (with the
 * deadline it set) to the rectification that followed (`until`, null while still open).
 */
export const OPEN_SPANS = sql`
  select district, issue_id, occurred_at as opened_at, deadline, until from (
    select district, issue_id, occurred_at, deadline, type <> 'issue.rectified' as opens,
           lead(occurred_at) over (partition by issue_id order by occurred_at, type = 'issue.rectified') as until
      from log
     where type in ('issue.raised', 'issue.rectified') or (type = 'issue.verified' and result = 'failed')) s
   where opens`;

export interface DeltaWindow {
  timezone: string;
  /** start of the range's first day and end (exclusive) of its last, as ISO instants */
  start: string;
  end: string;
  /** start of the first day's month, as an ISO instant and as its local day */
  monthStartAt: string;
  monthStartDay: string;
  /** the range's first and last months, `YYYY-MM` */
  fromMonth: string;
  toMonth: string;
}

/**
 * (district, day, field, period, n) from the tables and `log` / `spans`: `period` is '' for
 * all-time counters, else the month (`YYYY-MM`) or day (`YYYY-MM-DD`) window the count belongs to.
 * Registry sizes count from `-infinity`. Days may run past the range; the caller drops them.
 */
export function rollupDeltas(w: DeltaWindow): SQL {
  const local = (c: string) => sql`(${sql.raw(c)} at time zone ${w.timezone})::date`;
  const transitions = sql.join(
    ISSUE_TRANSITIONS.map(([type, result, field, by]) => sql`(${type}, ${result}, ${field}, ${by}::float8)`),
    sql`, `,
  );
  return sql`
    select g.district, g.day, v.field, v.period, v.n
      from (select district, ${local('started_at')} as day, count(*)::float8 as n
              from inspections where started_at < ${w.end}::timestamptz group by 1, 2) g
      cross join lateral (values
        (${F.inspections}, '', g.n), (${F.inProgress}, '', g.n),
        (${F.inspections}, to_char(g.day, 'YYYY-MM'), g.n), (${F.inspections}, to_char(g.day, 'YYYY-MM-DD'), g.n)
      ) v(field, period, n)
     where v.period = '' or g.day >= ${w.monthStartDay}::date
    union all
    select district, ${local('greatest(completed_at, started_at)')}, ${F.inProgress}, '', -count(*)
      from inspections where completed_at < ${w.end}::timestamptz group by 1, 2
    union all
    select district, day, field, to_char(day, 'YYYY-MM'), count(*)
      from (select district, min(${local('started_at')}) as day,
                   case target_kind when 'school' then ${SIZE.coveredSchools} else ${SIZE.coveredInstitutions} end
                     as field
              from inspections
             where started_at >= ${w.monthStartAt}::timestamptz and started_at < ${w.end}::timestamptz
             group by district, target_kind, target_id, date_trunc('month', started_at at time zone ${w.timezone})) f
     group by 1, 2, 3
    union all
    select district, day, ${SIZE.inspectorsToday}, to_char(day, 'YYYY-MM-DD'), count(distinct inspector)
      from (select district, inspector, ${local('occurred_at')} as day from events
             where inspector is not null and occurred_at >= ${w.start}::timestamptz
               and occurred_at < ${w.end}::timestamptz) e
     group by 1, 2
    union all
    select g.district, g.day, v.field, '', sum(g.n)
      from (select district, ${local('raised_at')} as day, category, count(*) as n
              from issues where raised_at < ${w.end}::timestamptz group by 1, 2, 3) g,
           lateral (values (${F.raised}), (${F.byCategory('')} || g.category)) v(field)
     group by 1, 2, 3
    union all
    select district, ${local('closed_at')}, ${F.closeMsSum}, '',
           sum(round(extract(epoch from closed_at) * 1000) - round(extract(epoch from raised_at) * 1000))
      from issues where closed_at < ${w.end}::timestamptz group by 1, 2
    union all
    select g.district, g.day, t.field, '', sum(g.n * t.by)
      from (select district, ${local('occurred_at')} as day, type, coalesce(result, '') as result, count(*) as n
              from log where type <> 'school.report' group by 1, 2, 3, 4) g
      join (values ${transitions}) t(type, result, field, by)
        on g.type = t.type and (t.result = '' or g.result = t.result)
     group by 1, 2, 3
    union all
    select district, ${local('greatest(opened_at, deadline)')}, ${SIZE.overdue}, '', count(*)
      from spans where until is null or greatest(opened_at, deadline) < until group by 1, 2
    union all
    select district, ${local('until')}, ${SIZE.overdue}, '', -count(*)
      from spans where greatest(opened_at, deadline) < until group by 1, 2
    union all
    select district, ${local('occurred_at')}, ${F.action('')} || action, '', count(*)
      from institution_actions where occurred_at < ${w.end}::timestamptz group by 1, 2, 3
    union all
    select district, ${local('received_at')}, ${F.complaintsReceived}, '', count(*)
      from complaints where received_at < ${w.end}::timestamptz group by 1, 2
    union all
    select district, ${local('resolved_at')}, ${F.complaintsResolved}, '', count(*)
      from complaints where resolved_at < ${w.end}::timestamptz group by 1, 2
    union all
    select district, '-infinity'::date, ${F.registrySchools}, '', count(*) from schools group by 1
    union all
    select district, '-infinity'::date, v.field, '', v.n
      from (select district, count(*)::float8 as institutions,
                   count(*) filter (where category = 'subject')::float8 as subject
              from institutions group by district) r,
           lateral (values (${F.registryInstitutions}, r.institutions), (${F.registrySubject}, r.subject)) v(field, n)
    union all
    ${subjectStatusDeltas(local)}
    union all
    ${reportDeltas(w, local)}`;
}

type Local = (column: string) => SQL;

/**
 * Subject institutions by status. Actions only move an institution away from `active`
 * (suspension) or to `closed` (final); a status no action explains was the registry's from the
 * start. Statuses follow the actions' `occurredAt` order.
 */
function subjectStatusDeltas(local: Local): SQL {
  return sql`
    select n.district, v.day, v.field, '', v.n
      from (select i.district,
                   case when c.closed_at is null and i.status = 'closed' then 'closed'
                        when c.suspended_at is null and i.status = 'suspended' then 'suspended'
                        else 'active' end as initial,
                   c.suspended_at, c.closed_at
              from institutions i
              left join (select institution_id,
                                min(occurred_at) filter (where action = 'suspension') as suspended_at,
                                min(occurred_at) filter (where action = 'closure') as closed_at
                           from institution_actions group by institution_id) c on c.institution_id = i.id
             where i.category = 'subject') n,
      lateral (
        select '-infinity'::date, ${F.subject('')} || n.initial, 1::float8
        union all
        select ${local('n.suspended_at')}, f.field, f.n
          from (values (${F.subject('active')}, -1::float8), (${F.subject('suspended')}, 1::float8)) f(field, n)
         where n.initial = 'active' and n.suspended_at is not null
           and (n.closed_at is null or n.suspended_at < n.closed_at)
        union all
        select ${local('n.closed_at')}, f.field, f.n
          from (values (${F.subject('')} ||
                        case when n.initial = 'suspended' or n.suspended_at < n.closed_at then 'suspended'
                             else 'active' end, -1::float8),
                       (${F.subject('closed')}, 1::float8)) f(field, n)
         where n.initial <> 'closed' and n.closed_at is not null
      ) v(day, field, n)`;
}

/**
 * A month's school reports, counted in the month they are for: each report replaces the school's
 * previous one for that month (the latest `occurredAt` wins), so its delta is the difference.
 */
function reportDeltas(w: DeltaWindow, local: Local): SQL {
  return sql`
    select r.district, r.day, v.field, r.period, sum(v.n)
      from (select district, ${local('occurred_at')} as day, period,
                   1 - coalesce(lag(1) over w, 0) as reporting,
                   offering - coalesce(lag(offering) over w, 0) as offering,
                   bp - coalesce(lag(bp) over w, 0) as bp,
                   compliant - coalesce(lag(compliant) over w, 0) as compliant
              from (select district, occurred_at, received_at, school, period, offered::int as offering,
                           -- floor(x + 0.5) rounds like the ingest's Math.round
                           case when offered then floor(participation * 10000 + 0.5) else 0 end as bp,
                           compliant::int as compliant
                      from log
                     where type = 'school.report' and period between ${w.fromMonth} and ${w.toMonth}) e
            window w as (partition by school, period order by occurred_at, received_at)) r,
      lateral (values (${F.reporting}, r.reporting::float8), (${F.offering}, r.offering::float8),
                      (${F.participationBp}, r.bp::float8), (${F.compliant}, r.compliant::float8)) v(field, n)
     where v.n <> 0
     group by 1, 2, 3, 4`;
}
