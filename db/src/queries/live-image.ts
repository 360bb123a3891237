/**
 * The rebuild of SPEC §3: the live image computed from the database, equal to what applying every
 * accepted event's deltas (domain `decide`) yields for the current windows. Each query is one
 * set-wise aggregate per district; all of them read one snapshot, so a rebuild that runs while
 * ingest goes on is still one consistent instant. Zero counts are left out (metrics read them as 0).
 */
import { sql, type SQL } from 'drizzle-orm';
import {
  addDays,
  dayBucket,
  districtImage,
  COUNTER_FIELD,
  firstDayOfMonth,
  incrementBucket,
  localTime,
  memberKey,
  monthBucket,
  startOfLocalDay,
  type Bucket,
  type CounterName,
  type LiveImage,
  type MemberSet,
} from '@dudao/domain';
import type { Database } from '../client.ts';
import { selectRows } from '../sql.ts';

export interface LiveImageOptions {
  /** the city's timezone: "today" and "this month" are its calendar windows */
  timezone: string;
  /** the instant whose windows are rebuilt */
  now: number;
}

interface Windows {
  day: string;
  month: string;
  dayStart: string;
  dayEnd: string;
  monthStart: string;
  monthEnd: string;
}

/** The local day and month of `now` and their [start, end) as UTC instants, for SQL parameters. */
function windowsAt(now: number, timezone: string): Windows {
  const { day, month } = localTime(now, timezone);
  // The 28th plus four days is always in the next month.
  const nextMonth = addDays(`${month}-28`, 4).slice(0, 7);
  const instant = (localDay: string) => new Date(startOfLocalDay(localDay, timezone)).toISOString();
  return {
    day,
    month,
    dayStart: instant(day),
    dayEnd: instant(addDays(day, 1)),
    monthStart: instant(firstDayOfMonth(month)),
    monthEnd: instant(firstDayOfMonth(nextMonth)),
  };
}

/** Milliseconds since the epoch of a timestamptz expression, as float8 (exact below 2^53). */
const ms = (column: SQL) => sql`round(extract(epoch from ${column}) * 1000)::float8`;

type Row = Record<string, unknown> & { district: string };
/** Where a result column goes: a counter of the table in `@dudao/domain` and its window. */
type Target = readonly [counter: CounterName, window: 'total' | 'day' | 'month'];
/** result column → counter */
type Columns = Record<string, Target>;

const INSPECTION_COLUMNS = {
  total: ['inspections', 'total'],
  in_progress: ['inProgress', 'total'],
  today: ['inspections', 'day'],
  month: ['inspections', 'month'],
} as const satisfies Columns;
const HOUR_KEYS = ['hour', 'day'] as const satisfies Target;
const ISSUE_COLUMNS = {
  raised: ['raised', 'total'],
  open: ['open', 'total'],
  submitted: ['submitted', 'total'],
  closed: ['closed', 'total'],
  reopened: ['reopened', 'total'],
  urged: ['urged', 'total'],
  close_ms: ['closeMsSum', 'total'],
} as const satisfies Columns;
const CATEGORY_KEYS = ['byCategory', 'total'] as const satisfies Target;
const ACTION_KEYS = ['action', 'total'] as const satisfies Target;
const COMPLAINT_COLUMNS = {
  received: ['complaintsReceived', 'total'],
  resolved: ['complaintsResolved', 'total'],
} as const satisfies Columns;
const SCHOOL_COLUMNS = { schools: ['registrySchools', 'total'] } as const satisfies Columns;
const INSTITUTION_COLUMNS = {
  institutions: ['registryInstitutions', 'total'],
  subject: ['registrySubject', 'total'],
} as const satisfies Columns;
const SUBJECT_STATUS_KEYS = ['subject', 'total'] as const satisfies Target;
/** A report counts in the month it is for, not the month it was sent in. */
const REPORT_COLUMNS = {
  reporting: ['reporting', 'month'],
  offering: ['offering', 'month'],
  participation: ['participationBp', 'month'],
  compliant: ['compliant', 'month'],
} as const satisfies Columns;

/** Every counter the rebuild produces, as `counter:window`: `db/test/counter-table.test.ts` holds it to the table. */
export const REBUILT_COUNTERS: ReadonlySet<string> = new Set(
  [
    ...[
      INSPECTION_COLUMNS,
      ISSUE_COLUMNS,
      COMPLAINT_COLUMNS,
      SCHOOL_COLUMNS,
      INSTITUTION_COLUMNS,
      REPORT_COLUMNS,
    ].flatMap((columns) => Object.values(columns) as Target[]),
    HOUR_KEYS,
    CATEGORY_KEYS,
    ACTION_KEYS,
    SUBJECT_STATUS_KEYS,
  ].map(([counter, window]) => `${counter}:${window}`),
);

/** A plain counter's field name (families are named by `keyedField`). */
function plainField(counter: CounterName): string {
  const field = COUNTER_FIELD[counter];
  if (typeof field !== 'string') throw new Error(`${counter} is a family: read it with its keys`);
  return field;
}

function keyedField(counter: CounterName, key: string): string {
  const field = COUNTER_FIELD[counter];
  return typeof field === 'string' ? field : (field as (k: string | number) => string)(key);
}

/** The buckets of "now" the windows stand for. */
type Buckets = Record<Target[1], Bucket>;

function addCounts(image: LiveImage, buckets: Buckets, rows: Row[], columns: Columns): void {
  for (const row of rows) {
    for (const [column, [counter, window]] of Object.entries(columns)) {
      const n = Number(row[column]);
      if (n !== 0)
        incrementBucket(districtImage(image, row.district), buckets[window], plainField(counter), n);
    }
  }
}

/** Rows of (district, key, n): one field of a family per key, e.g. a category's count. */
function addKeyedCounts(image: LiveImage, buckets: Buckets, rows: Row[], [counter, window]: Target): void {
  for (const row of rows) {
    const n = Number(row.n);
    if (n !== 0)
      incrementBucket(
        districtImage(image, row.district),
        buckets[window],
        keyedField(counter, String(row.key)),
        n,
      );
  }
}

export async function loadLiveImage(database: Database, options: LiveImageOptions): Promise<LiveImage> {
  const w = windowsAt(options.now, options.timezone);
  const inToday = (column: SQL) =>
    sql`${column} >= ${w.dayStart}::timestamptz and ${column} < ${w.dayEnd}::timestamptz`;
  const inMonth = (column: SQL) =>
    sql`${column} >= ${w.monthStart}::timestamptz and ${column} < ${w.monthEnd}::timestamptz`;
  const buckets: Buckets = { total: 'total', day: dayBucket(w.day), month: monthBucket(w.month) };
  const image: LiveImage = new Map();

  await database.db.transaction(
    async (tx) => {
      const rows = (query: SQL) => selectRows<Row>(tx, query);

      const inspections = await rows(sql`
        select district, count(*)::int as total,
               count(*) filter (where status = 'in_progress')::int as in_progress,
               count(*) filter (where ${inToday(sql`started_at`)})::int as today,
               count(*) filter (where ${inMonth(sql`started_at`)})::int as month
          from inspections group by district`);
      addCounts(image, buckets, inspections, INSPECTION_COLUMNS);

      const hours = await rows(sql`
        select district, extract(hour from started_at at time zone ${options.timezone})::int as key,
               count(*)::int as n
          from inspections where ${inToday(sql`started_at`)} group by 1, 2`);
      addKeyedCounts(image, buckets, hours, HOUR_KEYS);

      const issues = await rows(sql`
        select district, count(*)::int as raised,
               count(*) filter (where status = 'open')::int as open,
               count(*) filter (where status = 'submitted')::int as submitted,
               count(*) filter (where status = 'closed')::int as closed,
               coalesce(sum(reopen_count), 0)::int as reopened,
               count(*) filter (where status = 'open' and urge_count > 0)::int as urged,
               coalesce(sum(${ms(sql`closed_at`)} - ${ms(sql`raised_at`)}) filter (where status = 'closed'), 0)::float8
                 as close_ms
          from issues group by district`);
      addCounts(image, buckets, issues, ISSUE_COLUMNS);

      const categories = await rows(
        sql`select district, category as key, count(*)::int as n from issues group by 1, 2`,
      );
      addKeyedCounts(image, buckets, categories, CATEGORY_KEYS);

      const actions = await rows(
        sql`select district, action as key, count(*)::int as n from institution_actions group by 1, 2`,
      );
      addKeyedCounts(image, buckets, actions, ACTION_KEYS);

      const complaints = await rows(sql`
        select district, count(*)::int as received, count(*) filter (where status = 'resolved')::int as resolved
          from complaints group by district`);
      addCounts(image, buckets, complaints, COMPLAINT_COLUMNS);

      const schools = await rows(
        sql`select district, count(*)::int as schools from schools group by district`,
      );
      addCounts(image, buckets, schools, SCHOOL_COLUMNS);

      const institutions = await rows(sql`
        select district, count(*)::int as institutions,
               count(*) filter (where category = 'subject')::int as subject
          from institutions group by district`);
      addCounts(image, buckets, institutions, INSTITUTION_COLUMNS);

      const subjectStatuses = await rows(sql`
        select district, status as key, count(*)::int as n
          from institutions where category = 'subject' group by 1, 2`);
      addKeyedCounts(image, buckets, subjectStatuses, SUBJECT_STATUS_KEYS);

      const reports = await rows(sql`
        select district, count(*)::int as reporting,
               count(*) filter (where after_school_offered)::int as offering,
               coalesce(sum(participation_bp) filter (where after_school_offered), 0)::float8 as participation,
               count(*) filter (where homework_compliant)::int as compliant
          from school_reports where period = ${w.month} group by district`);
      addCounts(image, buckets, reports, REPORT_COLUMNS);

      const members = await rows(sql`
        select district, 'inspectors' as set, array_agg(distinct inspector) as members
          from events where inspector is not null and ${inToday(sql`occurred_at`)} group by district
        union all
        select district,
               case target_kind when 'school' then 'coveredSchools' else 'coveredInstitutions' end as set,
               array_agg(distinct target_id) as members
          from inspections where ${inMonth(sql`started_at`)} group by district, target_kind`);
      for (const row of members) {
        const set = row.set as MemberSet;
        const window = set === 'inspectors' ? w.day : w.month;
        districtImage(image, row.district).members.set(
          memberKey(set, window),
          new Set(row.members as string[]),
        );
      }

      const deadlines = await rows(
        sql`select district, id, ${ms(sql`deadline`)} as deadline_ms from issues where status = 'open'`,
      );
      for (const row of deadlines)
        districtImage(image, row.district).deadlines.set(String(row.id), Number(row.deadline_ms));

      const newest = await rows(
        sql`select district, ${ms(sql`max(occurred_at)`)} as last_ms from events group by district`,
      );
      for (const row of newest) districtImage(image, row.district).lastEventAt = Number(row.last_ms);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  return image;
}
