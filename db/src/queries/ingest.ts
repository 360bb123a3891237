/**
 * What the ingest reads and writes inside its one transaction per request group: the current state
 * of every object a batch touches (loaded set-wise), and the rows its accepted events change.
 */
import { getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
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

async function rowsWhereIn<T extends PgTable, R>(
  tx: Tx,
  table: T,
  column: Parameters<typeof inArray>[0],
  ids: string[],
  map: (row: T['$inferSelect']) => [string, R],
): Promise<Map<string, R>> {
  if (ids.length === 0) return new Map();
  const rows = (await tx
    .select()
    .from(table as PgTable)
    .where(inArray(column, ids))) as T['$inferSelect'][];
  return new Map(rows.map(map));
}

export async function loadLedgerState(tx: Tx, keys: LedgerKeys): Promise<LedgerState> {
  // One after another: a transaction is one connection, which runs one query at a time anyway.
  const loads = [
    () => rowsWhereIn(tx, events, events.id, keys.eventIds, (r) => [r.id, r.contentHash]),
    () =>
      rowsWhereIn(tx, inspections, inspections.id, keys.inspectionIds, (r) => [
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
    () =>
      rowsWhereIn(tx, issues, issues.id, keys.issueIds, (r) => [
        r.id,
        {
          id: r.id,
          district: r.district,
          inspectionId: r.inspectionId,
          target: target(r.targetKind, r.targetId),
          category: r.category as IssueState['category'],
          severity: r.severity,
          status: r.status,
          deadline: r.deadline.getTime(),
          reopenCount: r.reopenCount,
          raisedAt: r.raisedAt.getTime(),
          submittedAt: ms(r.submittedAt),
          closedAt: ms(r.closedAt),
        },
      ]),
    () =>
      rowsWhereIn(tx, complaints, complaints.id, keys.complaintIds, (r) => [
        r.id,
        {
          id: r.id,
          district: r.district,
          channel: r.channel as ComplaintState['channel'],
          category: r.category as ComplaintState['category'],
          target: r.targetKind && r.targetId ? target(r.targetKind, r.targetId) : null,
          status: r.status,
          receivedAt: r.receivedAt.getTime(),
          resolvedAt: ms(r.resolvedAt),
        },
      ]),
    () =>
      rowsWhereIn(tx, institutions, institutions.id, keys.institutionIds, (r) => [
        r.id,
        { id: r.id, district: r.district, category: r.category, status: r.status, name: r.name },
      ]),
    () =>
      rowsWhereIn(tx, schools, schools.id, keys.schoolIds, (r) => [
        r.id,
        { district: r.district, name: r.name },
      ]),
    () =>
      rowsWhereIn(tx, inspectors, inspectors.id, keys.inspectorIds, (r) => [
        r.id,
        { district: r.district, name: r.name },
      ]),
    () =>
      rowsWhereIn(tx, schoolReports, schoolReports.schoolId, keys.schoolIds, (r) => [
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
  ] as const;
  const results: unknown[] = [];
  for (const load of loads) results.push(await load());
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

/** `set` clause that overwrites every column but the keys with the proposed row. */
function overwriteAll(table: PgTable, keys: string[]): Record<string, SQL> {
  const set: Record<string, SQL> = {};
  for (const [prop, column] of Object.entries(getTableColumns(table))) {
    if (!keys.includes(prop)) set[prop] = sql.raw(`excluded."${column.name}"`);
  }
  return set;
}

/** Rows per INSERT statement: stays far below PostgreSQL's 65,535 bound parameters. */
const INSERT_CHUNK_ROWS = 2000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) await insert(rows.slice(i, i + INSERT_CHUNK_ROWS));
}

export async function writeLedger(tx: Tx, w: LedgerWrites): Promise<void> {
  await insertChunked(w.events, (chunk) => tx.insert(events).values(chunk));
  await insertChunked(w.inspections, (chunk) =>
    tx
      .insert(inspections)
      .values(
        chunk.map((s) => ({
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
      )
      .onConflictDoUpdate({ target: inspections.id, set: overwriteAll(inspections, ['id']) }),
  );
  await insertChunked(w.issues, (chunk) =>
    tx
      .insert(issues)
      .values(
        chunk.map((s) => ({
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
          raisedAt: new Date(s.raisedAt),
          submittedAt: date(s.submittedAt),
          closedAt: date(s.closedAt),
        })),
      )
      .onConflictDoUpdate({ target: issues.id, set: overwriteAll(issues, ['id']) }),
  );
  await insertChunked(w.complaints, (chunk) =>
    tx
      .insert(complaints)
      .values(
        chunk.map((s) => ({
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
      )
      .onConflictDoUpdate({ target: complaints.id, set: overwriteAll(complaints, ['id']) }),
  );
  await insertChunked(w.actions, (chunk) =>
    tx.insert(institutionActions).values(
      chunk.map((a) => ({
        eventId: a.eventId,
        institutionId: a.institutionId,
        district: a.district,
        action: a.action,
        amountYuan: a.amountYuan,
        occurredAt: new Date(a.occurredAt),
      })),
    ),
  );
  for (const s of w.institutions) {
    await tx
      .update(institutions)
      .set({ status: s.status })
      .where(sql`${institutions.id} = ${s.id}`);
  }
  await insertChunked(w.reports, (chunk) =>
    tx
      .insert(schoolReports)
      .values(chunk.map((s) => ({ ...s, reportedAt: new Date(s.reportedAt) })))
      .onConflictDoUpdate({
        target: [schoolReports.schoolId, schoolReports.period],
        set: overwriteAll(schoolReports, ['schoolId', 'period']),
      }),
  );
}
