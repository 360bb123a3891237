/**
 * The rollups' deltas: every counter of SPEC §6 as signed counts per district, local day and field
 * (an inspection started: +1 on its day; an issue rectified: open −1, submitted +1; an open issue's
 * deadline passed: overdue +1 on that day, −1 on the day it is rectified or its deadline extended;
 * an open issue urged: urged +1 on the day of its first urge, −1 on the day it is rectified…). Each metric family is
 * one GROUP BY district and local day over its table, so what leaves here is small whatever the
 * history; `rollups.ts` adds the days up. State the tables keep only in its latest form (an issue's
 * open/submitted history and the deadlines its failed revisits set, a month's replaced school
 * reports) comes from the event log, which keeps every accepted event in full.
 */
import { sql, type SQL } from 'drizzle-orm';
import { COUNTER_FIELD, EVENT_COUNTERS, type CounterMove, type CounterName } from '@dudao/domain';

/** Counters that are set sizes or clock-judged in `DistrictCounters`, not bucket fields. */
export const SIZE = {
  overdue: 'size.overdue',
  coveredSchools: 'size.coveredSchools',
  coveredInstitutions: 'size.coveredInstitutions',
  inspectorsToday: 'size.inspectorsToday',
} as const;

/** Issue-state counters the rollups count from the event log, by the table's moves. */
const LOG_COUNTED: readonly CounterName[] = ['open', 'submitted', 'closed', 'reopened'];

/**
 * How each issue event moves the state counters, derived from the counter table: (type, result,
 * counter, by), where `result` is a revisit's (its outcome) and `''` for the other types.
 */
export const ISSUE_TRANSITIONS: readonly (readonly [
  type: string,
  result: string,
  counter: CounterName,
  by: number,
])[] = Object.entries(EVENT_COUNTERS)
  .filter(([type]) => type.startsWith('issue.'))
  .flatMap(([type, outcomes]) =>
    Object.entries(outcomes as Record<string, readonly CounterMove[]>).flatMap(([outcome, moves]) =>
      moves.flatMap((move) =>
        'counter' in move && LOG_COUNTED.includes(move.counter) && typeof move.by === 'number'
          ? [[type, type === 'issue.verified' ? outcome : '', move.counter, move.by] as const]
          : [],
      ),
    ),
  );

/**
 * The field names the rollup SQL writes, recorded as it is built: which counters (and windows) it
 * produces is then read from the SQL itself, for `db/test/counter-table.test.ts`.
 */
class ProducedCounters {
  readonly produced = new Set<string>();

  /** A plain counter's field in `window`. */
  field(counter: CounterName, window: 'total' | 'day' | 'month' = 'total'): string {
    this.produced.add(`${counter}:${window}`);
    const field = COUNTER_FIELD[counter];
    if (typeof field !== 'string') throw new Error(`${counter} is a family: use prefix()`);
    return field;
  }

  /** A family's field prefix, to which the SQL appends the key (`issues.byCategory.` || category). */
  prefix(counter: CounterName): string {
    this.produced.add(`${counter}:total`);
    const field = COUNTER_FIELD[counter];
    return typeof field === 'string' ? field : (field as (key: string) => string)('');
  }
}

/**
 * The issue and school-report events before `end`, their payload fields as columns: one scan of the
 * event log, to be named `log` in a WITH (materialized: several branches read it). `seq` is the
 * order the ingest applied them in, which the live values followed.
 */
export function eventLog(end: string): SQL {
  return sql`
    select district, type, occurred_at, seq,
           payload->>'issueId' as issue_id, payload->>'result' as result,
           (payload->>'deadline')::timestamptz as deadline,
           payload->>'schoolId' as school, payload->>'period' as period,
           (payload->>'afterSchoolOffered')::boolean as offered,
           (payload->>'afterSchoolParticipation')::float8 as participation,
           (payload->>'homeworkCompliant')::boolean as compliant
      from events
     where occurred_at < ${end}::timestamptz
       and type in ('issue.raised', 'issue.rectified', 'issue.verified', 'issue.deadline_extended',
                    'issue.urged', 'school.report')`;
}

/**
 * Each stretch of time an issue was open under one deadline, from `log`: from `issue.raised`, a
 * failed revisit or an extension (with the deadline it set) to the next of those or the
 * rectification that followed (`until`, null while still open under that deadline); `urged_at` is
 * the issue's first urge (null if never urged). "Next" is in the order the ingest applied them: an
 * event sent late may have occurred before the one it follows (then `until` < `opened_at`, and the
 * stretch counts for nothing).
 */
export const OPEN_SPANS = sql`
  select district, issue_id, occurred_at as opened_at, deadline, until, urged_at from (
    select district, issue_id, occurred_at, deadline, urged_at, type <> 'issue.rectified' as opens,
           lead(occurred_at) over (partition by issue_id order by seq) as until
      from (select *, min(occurred_at) filter (where type = 'issue.urged') over (partition by issue_id) as urged_at
              from log) l
     where type in ('issue.raised', 'issue.rectified', 'issue.deadline_extended')
        or (type = 'issue.verified' and result = 'failed')) s
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
export function rollupDeltas(w: DeltaWindow): { query: SQL; counters: ReadonlySet<string> } {
  const local = (c: string) => sql`(${sql.raw(c)} at time zone ${w.timezone})::date`;
  const c = new ProducedCounters();
  const transitions = sql.join(
    ISSUE_TRANSITIONS.map(
      ([type, result, counter, by]) => sql`(${type}, ${result}, ${c.field(counter)}, ${by}::float8)`,
    ),
    sql`, `,
  );
  const query = sql`
    select g.district, g.day, v.field, v.period, v.n
      from (select district, ${local('started_at')} as day, count(*)::float8 as n
              from inspections where started_at < ${w.end}::timestamptz group by 1, 2) g
      cross join lateral (values
        (${c.field('inspections')}, '', g.n), (${c.field('inProgress')}, '', g.n),
        (${c.field('inspections', 'month')}, to_char(g.day, 'YYYY-MM'), g.n),
        (${c.field('inspections', 'day')}, to_char(g.day, 'YYYY-MM-DD'), g.n)
      ) v(field, period, n)
     where v.period = '' or g.day >= ${w.monthStartDay}::date
    union all
    select district, ${local('greatest(completed_at, started_at)')}, ${c.field('inProgress')}, '', -count(*)
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
           lateral (values (${c.field('raised')}), (${c.prefix('byCategory')} || g.category)) v(field)
     group by 1, 2, 3
    union all
    select district, ${local('closed_at')}, ${c.field('closeMsSum')}, '',
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
    select district, ${local('greatest(opened_at, urged_at)')}, ${c.field('urged')}, '', count(*)
      from spans where urged_at is not null and (until is null or greatest(opened_at, urged_at) < until)
     group by 1, 2
    union all
    select district, ${local('until')}, ${c.field('urged')}, '', -count(*)
      from spans where urged_at is not null and greatest(opened_at, urged_at) < until group by 1, 2
    union all
    select district, ${local('occurred_at')}, ${c.prefix('action')} || action, '', count(*)
      from institution_actions where occurred_at < ${w.end}::timestamptz group by 1, 2, 3
    union all
    select district, ${local('received_at')}, ${c.field('complaintsReceived')}, '', count(*)
      from complaints where received_at < ${w.end}::timestamptz group by 1, 2
    union all
    select district, ${local('resolved_at')}, ${c.field('complaintsResolved')}, '', count(*)
      from complaints where resolved_at < ${w.end}::timestamptz group by 1, 2
    union all
    select district, '-infinity'::date, ${c.field('registrySchools')}, '', count(*) from schools group by 1
    union all
    select district, '-infinity'::date, v.field, '', v.n
      from (select district, count(*)::float8 as institutions,
                   count(*) filter (where category = 'subject')::float8 as subject
              from institutions group by district) r,
           lateral (values (${c.field('registryInstitutions')}, r.institutions), (${c.field('registrySubject')}, r.subject)) v(field, n)
    union all
    ${subjectStatusDeltas(local, c)}
    union all
    ${reportDeltas(w, local, c)}`;
  return { query, counters: c.produced };
}

type Local = (column: string) => SQL;

/**
 * Every institution with the status it had before any action (the registry's status is its latest):
 * actions only move an institution away from `active` (suspension) or to `closed` (final), so a
 * status no action explains was the registry's from the start. Also the first suspension and closure.
 */
export const INSTITUTIONS_AT_START = sql`
  select i.id, i.district, i.name, i.category,
         case when c.closed_at is null and i.status = 'closed' then 'closed'
              when c.suspended_at is null and i.status = 'suspended' then 'suspended'
              else 'active' end as initial,
         c.suspended_at, c.closed_at
    from institutions i
    left join (select institution_id,
                      min(occurred_at) filter (where action = 'suspension') as suspended_at,
                      min(occurred_at) filter (where action = 'closure') as closed_at
                 from institution_actions group by institution_id) c on c.institution_id = i.id`;

/** Subject institutions by status, from their starting status; the actions' `occurredAt` order moves them. */
function subjectStatusDeltas(local: Local, c: ProducedCounters): SQL {
  const subject = c.prefix('subject');
  return sql`
    select n.district, v.day, v.field, '', v.n
      from (${INSTITUTIONS_AT_START}) n,
      lateral (
        select '-infinity'::date, ${subject} || n.initial, 1::float8
        union all
        select ${local('n.suspended_at')}, f.field, f.n
          from (values (${subject + 'active'}, -1::float8), (${subject + 'suspended'}, 1::float8)) f(field, n)
         where n.initial = 'active' and n.suspended_at is not null
           and (n.closed_at is null or n.suspended_at < n.closed_at)
        union all
        select ${local('n.closed_at')}, f.field, f.n
          from (values (${subject} ||
                        case when n.initial = 'suspended' or n.suspended_at < n.closed_at then 'suspended'
                             else 'active' end, -1::float8),
                       (${subject + 'closed'}, 1::float8)) f(field, n)
         where n.initial <> 'closed' and n.closed_at is not null
      ) v(day, field, n)
     where n.category = 'subject'`;
}

/**
 * A month's school reports, counted in the month they are for: each report replaces the school's
 * previous one for that month (the latest `occurredAt` wins; of reports at one instant, the one
 * applied last), so its delta is the difference.
 */
function reportDeltas(w: DeltaWindow, local: Local, c: ProducedCounters): SQL {
  return sql`
    select r.district, r.day, v.field, r.period, sum(v.n)
      from (select district, ${local('occurred_at')} as day, period,
                   1 - coalesce(lag(1) over w, 0) as reporting,
                   offering - coalesce(lag(offering) over w, 0) as offering,
                   bp - coalesce(lag(bp) over w, 0) as bp,
                   compliant - coalesce(lag(compliant) over w, 0) as compliant
              from (select district, occurred_at, seq, school, period, offered::int as offering,
                           -- floor(x + 0.5) rounds like the ingest's Math.round
                           case when offered then floor(participation * 10000 + 0.5) else 0 end as bp,
                           compliant::int as compliant
                      from log
                     where type = 'school.report' and period between ${w.fromMonth} and ${w.toMonth}) e
            window w as (partition by school, period order by occurred_at, seq)) r,
      lateral (values (${c.field('reporting', 'month')}, r.reporting::float8), (${c.field('offering', 'month')}, r.offering::float8),
                      (${c.field('participationBp', 'month')}, r.bp::float8),
                      (${c.field('compliant', 'month')}, r.compliant::float8)) v(field, n)
     where v.n <> 0
     group by 1, 2, 3, 4`;
}
