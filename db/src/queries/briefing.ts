/**
 * What the day's briefing (督导简报) shows beyond the rollups: the issues overdue at the day's end with
 * their ages, the month's inspections by theme, institution actions and complaints in the day and
 * the month to date. Windows are given as instants; states are judged as of `end` (the event log
 * tells which issues were open then, as the rollups do).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { selectRows } from '../sql.ts';
import { eventLog, OPEN_SPANS } from './rollup-deltas.ts';

export interface BriefingWindows {
  /** start of the local day and of its month, end of the day (exclusive), as ISO instants */
  dayStart: string;
  monthStart: string;
  end: string;
}

export interface OverdueIssue {
  id: string;
  district: string;
  targetName: string;
  category: string;
  severity: string;
  deadline: string;
  raisedAt: string;
}

export interface CountByKey {
  key: string;
  day: number;
  month: number;
}

export interface ThemeProgress {
  theme: string;
  started: number;
  completed: number;
  targets: number;
}

export interface BriefingFacts {
  overdue: OverdueIssue[];
  themes: ThemeProgress[];
  actions: CountByKey[];
  finesYuanMonth: number;
  complaintChannels: CountByKey[];
  complaintCategories: CountByKey[];
  complaintsResolved: { day: number; month: number };
}

type Row = Record<string, unknown>;
const iso = (v: unknown) => new Date(v as string).toISOString();
const byKey = (rows: Row[]): CountByKey[] =>
  rows.map((r) => ({ key: String(r.key), day: Number(r.day), month: Number(r.month) }));

/** `column` is one of the districts listed (always true for the city: `null`). */
const inDistricts = (column: string, districts: readonly string[] | null): SQL =>
  districts === null
    ? sql`true`
    : sql`${sql.raw(column)} in (${sql.join(
        districts.map((d) => sql`${d}`),
        sql`, `,
      )})`;

/** The facts of the city, or of the districts listed (a district's briefing, SPEC §15). */
export async function briefingFacts(
  database: Database,
  w: BriefingWindows,
  districts: readonly string[] | null = null,
): Promise<BriefingFacts> {
  const within = (column: string) => inDistricts(column, districts);
  /** per key: rows of the day and of the month to date, by their time column `at` */
  const counts = (table: string, key: string, at: string) => sql`
    select ${sql.raw(key)} as key,
           count(*) filter (where ${sql.raw(at)} >= ${w.dayStart}::timestamptz)::int as day,
           count(*)::int as month
      from ${sql.raw(table)}
     where ${sql.raw(at)} >= ${w.monthStart}::timestamptz and ${sql.raw(at)} < ${w.end}::timestamptz
       and ${within('district')}
     group by 1 order by 3 desc, 1`;
  return database.db.transaction(
    async (tx) => {
      const rows = (query: SQL) => selectRows<Row>(tx, query);
      const overdue = await rows(sql`
        with log as (${eventLog(w.end)}), spans as (${OPEN_SPANS})
        select o.issue_id as id, o.district, x.category, x.severity, o.deadline, x.raised_at,
               coalesce(s.name, n.name, x.target_id) as target_name
          from spans o
          join issues x on x.id = o.issue_id
          left join schools s on x.target_kind = 'school' and s.id = x.target_id
          left join institutions n on x.target_kind = 'institution' and n.id = x.target_id
         where o.opened_at < ${w.end}::timestamptz and o.deadline < ${w.end}::timestamptz
           and (o.until is null or o.until >= ${w.end}::timestamptz) and ${within('o.district')}
         order by o.deadline, o.issue_id`);
      const themes = await rows(sql`
        select theme, count(*)::int as started,
               count(*) filter (where completed_at < ${w.end}::timestamptz)::int as completed,
               count(distinct (target_kind, target_id))::int as targets
          from inspections
         where started_at >= ${w.monthStart}::timestamptz and started_at < ${w.end}::timestamptz
           and ${within('district')}
         group by theme order by started desc, theme`);
      const actions = await rows(counts('institution_actions', 'action', 'occurred_at'));
      const [fines] = await rows(sql`
        select coalesce(sum(amount_yuan), 0)::float8 as yuan from institution_actions
         where action = 'fine' and occurred_at >= ${w.monthStart}::timestamptz and occurred_at < ${w.end}::timestamptz
           and ${within('district')}`);
      const channels = await rows(counts('complaints', 'channel', 'received_at'));
      const categories = await rows(counts('complaints', 'category', 'received_at'));
      const [resolved] = await rows(counts('complaints', `'resolved'`, 'resolved_at'));
      return {
        overdue: overdue.map((r) => ({
          id: String(r.id),
          district: String(r.district),
          targetName: String(r.target_name),
          category: String(r.category),
          severity: String(r.severity),
          deadline: iso(r.deadline),
          raisedAt: iso(r.raised_at),
        })),
        themes: themes.map((r) => ({
          theme: String(r.theme),
          started: Number(r.started),
          completed: Number(r.completed),
          targets: Number(r.targets),
        })),
        actions: byKey(actions),
        finesYuanMonth: Number(fines?.yuan ?? 0),
        complaintChannels: byKey(channels),
        complaintCategories: byKey(categories),
        complaintsResolved: { day: Number(resolved?.day ?? 0), month: Number(resolved?.month ?? 0) },
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * A month's issues of one category (the 月报, SPEC §15), from the ledger: closing is final and
 * `raised_at`/`closed_at` never move, so the ledger's latest state answers for any past month.
 */
export interface MonthIssues {
  category: string;
  /** raised before the month, not closed when it began (月初未销号) */
  carried: number;
  /** raised in the month */
  raised: number;
  /** closed (销号) in the month, whenever raised */
  closed: number;
  /** not closed at the month's end: carried + raised − closed */
  unclosed: number;
}

/** The month's issues per category, most raised first; `end` is the month's end (exclusive). */
export async function monthIssues(
  database: Database,
  w: { monthStart: string; end: string },
  districts: readonly string[] | null = null,
): Promise<MonthIssues[]> {
  const rows = await selectRows<Row>(
    database.db,
    sql`
    select category,
           count(*) filter (where raised_at < ${w.monthStart}::timestamptz)::int as carried,
           count(*) filter (where raised_at >= ${w.monthStart}::timestamptz)::int as raised,
           count(*) filter (where closed_at < ${w.end}::timestamptz)::int as closed,
           count(*) filter (where closed_at is null or closed_at >= ${w.end}::timestamptz)::int as unclosed
      from issues
     where raised_at < ${w.end}::timestamptz
       and (closed_at is null or closed_at >= ${w.monthStart}::timestamptz)
       and ${inDistricts('district', districts)}
     group by category order by raised desc, carried desc, category`,
  );
  return rows.map((r) => ({
    category: String(r.category),
    carried: Number(r.carried),
    raised: Number(r.raised),
    closed: Number(r.closed),
    unclosed: Number(r.unclosed),
  }));
}

export type BriefingKind = 'daily' | 'monthly';

/**
 * Stores (or replaces) the briefing of `day` for `scope` (the city unless named); a monthly report
 * (`kind: 'monthly'`) is stored under its month's first day.
 */
export async function saveBriefing(
  database: Database,
  b: { day: string; issueNo: number; html: string; scope?: string; kind?: BriefingKind },
): Promise<void> {
  await database.query(
    `insert into briefings (day, scope, kind, issue_no, html, generated_at) values ($1::date, $2, $3, $4, $5, now())
     on conflict (scope, kind, day) do update set issue_no = excluded.issue_no, html = excluded.html, generated_at = now()`,
    [b.day, b.scope ?? 'city', b.kind ?? 'daily', b.issueNo, b.html],
  );
}

export interface BriefingEntry {
  day: string;
  issueNo: number;
  generatedAt: string;
}

/**
 * The stored briefings of a scope (the city unless named) and kind (daily unless named), newest
 * first; with `fromDay`/`toDay` only those days (a monthly report's day is its month's first).
 */
export async function listBriefings(
  database: Database,
  p: { fromDay?: string; toDay?: string; limit?: number; scope?: string; kind?: BriefingKind } = {},
): Promise<BriefingEntry[]> {
  const rows = await database.query<{ day: string; issue_no: number; generated_at: string | Date }>(
    `select day::text as day, issue_no, generated_at from briefings
      where scope = $4 and kind = $5 and ($1::date is null or day >= $1::date) and ($2::date is null or day <= $2::date)
      order by day desc limit $3`,
    [p.fromDay ?? null, p.toDay ?? null, p.limit ?? null, p.scope ?? 'city', p.kind ?? 'daily'],
  );
  return rows.map((r) => ({
    day: String(r.day).slice(0, 10),
    issueNo: Number(r.issue_no),
    generatedAt: new Date(r.generated_at).toISOString(),
  }));
}

/** The HTML of one day's briefing (or one month's report, by its first day) of a scope, or null. */
export async function readBriefing(
  database: Database,
  day: string,
  scope = 'city',
  kind: BriefingKind = 'daily',
): Promise<string | null> {
  const [row] = await database.query<{ html: string }>(
    'select html from briefings where scope = $2 and kind = $3 and day = $1::date',
    [day, scope, kind],
  );
  return row?.html ?? null;
}
