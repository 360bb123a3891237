/**
 * Nightly rollups (SPEC §10): for each local day of a range, every SPEC §6 metric of every district
 * and of the city as it stood at the END of that day, written to `daily_stats`.
 *
 * One statement: the deltas of `rollup-deltas.ts` (counts per district, local day and field),
 * bucketed so that everything before the range lands on the day before it, then summed up day by
 * day with a window sum — all-time counters over every day, windowed ones (today, this month) within
 * their day or month. One pass over the history for the whole range, whatever its length. The sums
 * come back in the shape a live store reads (`DistrictCounters`), so the metrics are composed by the
 * same `composeMetrics` as the live ones: same names, same rounding. (`activity.lastEventAt`, a time,
 * and `activity.hourly`, a list, are not daily values; `flattenMetrics` leaves them out, as it does
 * for today's live values in `/trends`.)
 */
import { sql, type SQL } from 'drizzle-orm';
import {
  addDays,
  composeMetrics,
  emptyCounters,
  flattenMetrics,
  startOfLocalDay,
  sumCounters,
  type DistrictCounters,
} from '@dudao/domain';
import type { Database } from '../client.ts';
import { selectRow, selectRows } from '../sql.ts';
import { eventLog, OPEN_SPANS, rollupDeltas, SIZE } from './rollup-deltas.ts';

export interface RollupWindow {
  timezone: string;
  /** first and last local day (`YYYY-MM-DD`), inclusive */
  fromDay: string;
  toDay: string;
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
  const monthStartDay = `${w.fromDay.slice(0, 7)}-01`;
  const query = sql`
    with log as materialized (${eventLog(end)}),
    spans as (${OPEN_SPANS}),
    deltas as (${
      rollupDeltas({
        timezone: w.timezone,
        start,
        end,
        monthStartAt: new Date(startOfLocalDay(monthStartDay, w.timezone)).toISOString(),
        monthStartDay,
        fromMonth: w.fromDay.slice(0, 7),
        toMonth: w.toDay.slice(0, 7),
      }).query
    }),
    bucketed as (
      select district, field, period,
             greatest(day, ${base}::date, case length(period) when 7 then to_date(period, 'YYYY-MM')
                                                              when 10 then to_date(period, 'YYYY-MM-DD') end) as day,
             sum(n) as n
        from deltas where day <= ${w.toDay}::date group by 1, 2, 3, 4),
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
    async (tx) => {
      // A JIT compile of this many expressions costs more than the query saves (seconds on 1M events).
      await tx.execute(sql`set local jit = off`);
      return selectRows<Row>(tx, query);
    },
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
    const count = async (query: SQL) => Number((await selectRow<{ n: number }>(tx, query))?.n ?? 0);
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
