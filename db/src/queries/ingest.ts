/**
 * What the ingest reads and writes inside its one transaction per request group: the current state
 * of every object a batch touches (loaded set-wise), and the rows its accepted events change.
 */
import { getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type {
  ComplaintState,
  InspectionState,
  InstitutionActionRecord,
  InstitutionState,
  IssueState,
  SchoolReportState,
  Target,
} from '@dudao/domain';
import type { Database, Db, Tx } from '../client.ts';
import { writeRecordsets } from './bulk.ts';
import { selectRows } from '../sql.ts';
import {
  complaints,
  events,
  inspections,
  inspectors,
  institutionActions,
  institutions,
  issues,
  schoolReports,
  schools,
  type ComplaintRow,
  type IssueRow,
  type NewEventRow,
} from '../schema/index.ts';

export interface LedgerKeys {
  eventIds: string[];
  inspectionIds: string[];
  issueIds: string[];
  complaintIds: string[];
  institutionIds: string[];
  schoolIds: string[];
  inspectorIds: string[];
}

export interface Named {
  district: string;
  name: string;
}

export interface LedgerState {
  eventHashes: Map<string, string>;
  inspections: Map<string, InspectionState>;
  issues: Map<string, IssueState>;
  complaints: Map<string, ComplaintState>;
  institutions: Map<string, InstitutionState & { name: string }>;
  schools: Map<string, Named>;
  inspectors: Map<string, Named>;
  /** key `${schoolId}|${period}` */
  reports: Map<string, SchoolReportState>;
}

export const reportKey = (schoolId: string, period: string) => `${schoolId}|${period}`;

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());
const date = (v: number | null): Date | null => (v === null ? null : new Date(v));
const target = (kind: 'school' | 'institution', id: string): Target => ({ kind, id });

/** An issue row as the domain core sees it. */
export const issueStateOf = (r: IssueRow): IssueState => ({
  id: r.id,
  district: r.district,
  inspectionId: r.inspectionId,
  target: target(r.targetKind, r.targetId),
  category: r.category as IssueState['category'],
  severity: r.severity,
  status: r.status,
  deadline: r.deadline.getTime(),
  reopenCount: r.reopenCount,
  reopenedAt: ms(r.reopenedAt),
  urgeCount: r.urgeCount,
  raisedAt: r.raisedAt.getTime(),
  submittedAt: ms(r.submittedAt),
  closedAt: ms(r.closedAt),
});

/** A complaint row as the domain core sees it. */
export const complaintStateOf = (r: ComplaintRow): ComplaintState => ({
  id: r.id,
  district: r.district,
  channel: r.channel as ComplaintState['channel'],
  category: r.category as ComplaintState['category'],
  target: r.targetKind && r.targetId ? target(r.targetKind, r.targetId) : null,
  status: r.status,
  receivedAt: r.receivedAt.getTime(),
  resolvedAt: ms(r.resolvedAt),
});

/**
 * Runs `fn` holding the city's ingest lock on a dedicated session. Every ingest group and every
 * live-store rebuild of a city, on any instance, runs under it, so a rebuild never interleaves with
 * a commit whose deltas are not yet in the live store. PostgreSQL drops the lock if the session dies.
 */
export async function withCityIngestLock<T>(
  database: Database,
  cityAdcode: string,
  fn: (db: Db) => Promise<T>,
): Promise<T> {
  const key = `dudao:ingest:${cityAdcode}`;
  return database.withSession(async (db) => {
    await db.execute(sql`select pg_advisory_lock(hashtext(${key}))`);
    try {
      return await fn(db);
    } finally {
      await db.execute(sql`select pg_advisory_unlock(hashtext(${key}))`);
    }
  });
}

/** Rows of `table` whose `column` is one of `ids`, each mapped to a map entry. */
interface Lookup<R> {
  table: PgTable;
  column: PgColumn;
  ids: string[];
  map: (row: never) => [string, R];
  /** only these columns travel (the others read as null); absent: the whole row */
  only?: PgColumn[];
}

const lookup = <T extends PgTable, R>(
  table: T,
  column: PgColumn,
  ids: string[],
  map: (row: T['$inferSelect']) => [string, R],
  only?: PgColumn[],
): Lookup<R> => ({ table, column, ids, map, ...(only ? { only } : {}) });

/** What one lookup's rows become in its json column: whole rows, or only the columns it needs. */
const rowJson = (l: Lookup<unknown>) =>
  l.only
    ? sql`json_build_object(${sql.join(
        l.only.map((c) => sql`${c.name}::text, t.${sql.identifier(c.name)}`),
        sql`, `,
      )})`
    : sql`t`;

/** A row as `json_agg` gives it (SQL names, timestamps as text) in drizzle's shape (props, Dates). */
function fromJson(table: PgTable, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [prop, column] of Object.entries(getTableColumns(table) as Record<string, PgColumn>)) {
    const value = row[column.name] ?? null;
    out[prop] =
      value !== null && column.getSQLType().startsWith('timestamp') ? new Date(value as string) : value;
  }
  return out;
}

/**
 * Every lookup in ONE statement, each table's rows as one json column: a group costs one round trip
 * for its state instead of one per table (round trips dominated small groups under load).
 */
async function lookupAll(tx: Db | Tx, lookups: Lookup<unknown>[]): Promise<Map<string, unknown>[]> {
  const maps = lookups.map(() => new Map<string, unknown>());
  const active = lookups.map((l, i) => ({ ...l, i })).filter((l) => l.ids.length > 0);
  if (active.length === 0) return maps;
  const columns = active.map(
    (l) => sql`(select coalesce(json_agg(${rowJson(l)}), '[]'::json) from ${l.table} t
      where t.${sql.identifier(l.column.name)} = any(${sql.param(l.ids)}::text[])) as ${sql.identifier(`r${l.i}`)}`,
  );
  const [row] = await selectRows<Record<string, Record<string, unknown>[]>>(
    tx,
    sql`select ${sql.join(columns, sql`, `)}`,
  );
  for (const l of active) {
    for (const raw of row![`r${l.i}`]!) {
      const [key, value] = l.map(fromJson(l.table, raw) as never);
      maps[l.i]!.set(key, value);
    }
  }
  return maps;
}

/** On the group's transaction or, while another group commits, on any connection. */
export async function loadLedgerState(tx: Db | Tx, keys: LedgerKeys): Promise<LedgerState> {
  const lookups = [
    // A duplicate needs its hash only, not its payload.
    lookup(events, events.id, keys.eventIds, (r) => [r.id, r.contentHash], [events.id, events.contentHash]),
    lookup(inspections, inspections.id, keys.inspectionIds, (r) => [
      r.id,
      {
        id: r.id,
        district: r.district,
        target: target(r.targetKind, r.targetId),
        inspector: r.inspector,
        mode: r.mode as InspectionState['mode'],
        theme: r.theme as InspectionState['theme'],
        status: r.status,
        startedAt: r.startedAt.getTime(),
        completedAt: ms(r.completedAt),
        findings: r.findings,
      },
    ]),
    lookup(issues, issues.id, keys.issueIds, (r) => [r.id, issueStateOf(r)]),
    lookup(complaints, complaints.id, keys.complaintIds, (r) => [r.id, complaintStateOf(r)]),
    // Registry rows: only what the core decides on and the feed names (no students, zone, role, …).
    lookup(
      institutions,
      institutions.id,
      keys.institutionIds,
      (r) => [r.id, { id: r.id, district: r.district, category: r.category, status: r.status, name: r.name }],
      [institutions.id, institutions.district, institutions.category, institutions.status, institutions.name],
    ),
    lookup(schools, schools.id, keys.schoolIds, (r) => [r.id, { district: r.district, name: r.name }], [
      schools.id,
      schools.district,
      schools.name,
    ]),
    lookup(
      inspectors,
      inspectors.id,
      keys.inspectorIds,
      (r) => [r.id, { district: r.district, name: r.name }],
      [inspectors.id, inspectors.district, inspectors.name],
    ),
    lookup(schoolReports, schoolReports.schoolId, keys.schoolIds, (r) => [
      reportKey(r.schoolId, r.period),
      {
        schoolId: r.schoolId,
        district: r.district,
        period: r.period,
        afterSchoolOffered: r.afterSchoolOffered,
        participationBp: r.participationBp,
        homeworkCompliant: r.homeworkCompliant,
        reportedAt: r.reportedAt.getTime(),
      },
    ]),
  ];
  const results = await lookupAll(tx, lookups as Lookup<unknown>[]);
  const [
    eventHashes,
    inspectionMap,
    issueMap,
    complaintMap,
    institutionMap,
    schoolMap,
    inspectorMap,
    reportMap,
  ] = results as [
    Map<string, string>,
    Map<string, InspectionState>,
    Map<string, IssueState>,
    Map<string, ComplaintState>,
    Map<string, InstitutionState & { name: string }>,
    Map<string, Named>,
    Map<string, Named>,
    Map<string, SchoolReportState>,
  ];
  return {
    eventHashes,
    inspections: inspectionMap,
    issues: issueMap,
    complaints: complaintMap,
    institutions: institutionMap,
    schools: schoolMap,
    inspectors: inspectorMap,
    reports: reportMap,
  };
}

export interface LedgerWrites {
  events: NewEventRow[];
  /** final state per object after the batch: each is written once */
  inspections: InspectionState[];
  issues: IssueState[];
  complaints: ComplaintState[];
  institutions: InstitutionState[];
  actions: InstitutionActionRecord[];
  reports: SchoolReportState[];
}

/** Every row of a group in ONE statement: atomic without a transaction, one round trip. */
export async function writeLedger(db: Db | Tx, w: LedgerWrites): Promise<void> {
  await writeRecordsets(db, [
    { table: events, rows: w.events },
    {
      table: inspections,
      upsertOn: ['id'],
      rows: w.inspections.map((s) => ({
        id: s.id,
        district: s.district,
        targetKind: s.target.kind,
        targetId: s.target.id,
        inspector: s.inspector,
        mode: s.mode,
        theme: s.theme,
        status: s.status,
        startedAt: new Date(s.startedAt),
        completedAt: date(s.completedAt),
        findings: s.findings,
      })),
    },
    {
      table: issues,
      upsertOn: ['id'],
      rows: w.issues.map((s) => ({
        id: s.id,
        district: s.district,
        inspectionId: s.inspectionId,
        targetKind: s.target.kind,
        targetId: s.target.id,
        category: s.category,
        severity: s.severity,
        status: s.status,
        deadline: new Date(s.deadline),
        reopenCount: s.reopenCount,
        reopenedAt: date(s.reopenedAt),
        urgeCount: s.urgeCount,
        raisedAt: new Date(s.raisedAt),
        submittedAt: date(s.submittedAt),
        closedAt: date(s.closedAt),
      })),
    },
    {
      table: complaints,
      upsertOn: ['id'],
      rows: w.complaints.map((s) => ({
        id: s.id,
        district: s.district,
        channel: s.channel,
        category: s.category,
        targetKind: s.target?.kind ?? null,
        targetId: s.target?.id ?? null,
        status: s.status,
        receivedAt: new Date(s.receivedAt),
        resolvedAt: date(s.resolvedAt),
      })),
    },
    {
      table: institutionActions,
      rows: w.actions.map((a) => ({
        eventId: a.eventId,
        institutionId: a.institutionId,
        district: a.district,
        action: a.action,
        amountYuan: a.amountYuan,
        occurredAt: new Date(a.occurredAt),
      })),
    },
    {
      table: schoolReports,
      upsertOn: ['schoolId', 'period'],
      rows: w.reports.map((s) => ({ ...s, reportedAt: new Date(s.reportedAt) })),
    },
    {
      table: institutions,
      updateOn: ['id'],
      rows: w.institutions.map((s) => ({ id: s.id, status: s.status })),
    },
  ]);
}
