/**
 * Alerts (SPEC §15): the candidates the rules look at, firings stored once by their dedupe key,
 * acknowledgements, the thresholds set through the admin API, and the webhook delivery log.
 */
import {
  and,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  notExists,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import {
  alertDedupeKey,
  type AlertBounds,
  type AlertFiring,
  type AlertRule,
  type ComplaintState,
  type IssueState,
} from '@dudao/domain';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../client.ts';
import {
  alertDeliveries,
  alertFirings,
  alertSettings,
  complaints,
  issues,
  type AlertFiringRow,
  type DeliveryOutcome,
} from '../schema/index.ts';
import { complaintStateOf, issueStateOf } from './ingest.ts';

/** No firing of `rule` is stored yet for the object whose id is `id`. */
const notFired = (database: Database, rule: AlertRule, id: AnyPgColumn) =>
  notExists(
    database.db
      .select({ one: sql`1` })
      .from(alertFirings)
      .where(eq(alertFirings.dedupeKey, sql`${alertDedupeKey(rule, '')} || ${id}`)),
  );

/**
 * The issues and complaints within the rules' bounds that have not fired for that rule yet: what
 * the leader evaluates each tick (partial indexes keep it from scanning the ledger).
 */
export async function alertCandidates(
  database: Database,
  b: AlertBounds,
): Promise<{ issues: IssueState[]; complaints: ComplaintState[] }> {
  const issueConditions: SQL[] = [];
  if (b.criticalRaisedSince !== null)
    issueConditions.push(
      and(
        eq(issues.severity, 'critical'),
        gte(issues.raisedAt, new Date(b.criticalRaisedSince)),
        notFired(database, 'critical_issue', issues.id),
      )!,
    );
  if (b.overdueDeadlineBefore !== null)
    issueConditions.push(
      and(
        sql`${issues.status} <> 'closed'`,
        lte(issues.deadline, new Date(b.overdueDeadlineBefore)),
        b.overdueDeadlineFrom !== null ? gte(issues.deadline, new Date(b.overdueDeadlineFrom)) : undefined,
        notFired(database, 'issue_overdue', issues.id),
      )!,
    );
  if (b.reopenedAtLeast !== null)
    issueConditions.push(
      and(
        sql`${issues.status} <> 'closed' and ${issues.reopenCount} > 0`,
        gte(issues.reopenCount, b.reopenedAtLeast),
        b.reopenedFrom !== null ? gte(issues.reopenedAt, new Date(b.reopenedFrom)) : undefined,
        notFired(database, 'issue_reopened', issues.id),
      )!,
    );
  const issueRows =
    issueConditions.length > 0
      ? await database.db
          .select()
          .from(issues)
          .where(or(...issueConditions))
      : [];
  const complaintRows =
    b.complaintReceivedBefore !== null
      ? await database.db
          .select()
          .from(complaints)
          .where(
            and(
              eq(complaints.status, 'open'),
              lte(complaints.receivedAt, new Date(b.complaintReceivedBefore)),
              b.complaintReceivedFrom !== null
                ? gte(complaints.receivedAt, new Date(b.complaintReceivedFrom))
                : undefined,
              notFired(database, 'complaint_open', complaints.id),
            ),
          )
      : [];
  return { issues: issueRows.map(issueStateOf), complaints: complaintRows.map(complaintStateOf) };
}

/**
 * The names of issue targets (schools and institutions) by id, so an alert names the school rather
 * than the issue's id; an id not in the registry is left out.
 */
export async function targetNames(database: Database, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await database.query<{ id: string; name: string }>(
    `select id, name from schools where id = any($1)
     union all select id, name from institutions where id = any($1)`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Which of `keys` have fired already. */
export async function firedKeys(database: Database, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await database.db
    .select({ key: alertFirings.dedupeKey })
    .from(alertFirings)
    .where(inArray(alertFirings.dedupeKey, [...keys]));
  return new Set(rows.map((r) => r.key));
}

/**
 * Stores the firings; a key stored before (by this instance, another, or a former leader) is left
 * alone. Returns only the rows this call stored: the firings to announce and deliver.
 */
export async function insertFirings(
  database: Database,
  firings: readonly AlertFiring[],
  firedAt: Date,
): Promise<AlertFiringRow[]> {
  if (firings.length === 0) return [];
  return database.db
    .insert(alertFirings)
    .values(
      firings.map((f) => ({
        dedupeKey: f.dedupeKey,
        rule: f.rule,
        district: f.district,
        subjectKind: f.subject.kind,
        subjectId: f.subject.id,
        severity: f.severity,
        facts: f.facts,
        firedAt,
      })),
    )
    .onConflictDoNothing({ target: alertFirings.dedupeKey })
    .returning();
}

export type AlertListState = 'open' | 'acknowledged' | 'all';

export interface FiringQuery {
  districts: readonly string[];
  state: AlertListState;
  /** firings with a smaller id (the page cursor) */
  beforeId?: number;
  limit: number;
}

/** Firings of the districts, newest first. */
export function listFirings(database: Database, q: FiringQuery) {
  const conditions = [inArray(alertFirings.district, [...q.districts])];
  if (q.state === 'open') conditions.push(isNull(alertFirings.acknowledgedAt));
  if (q.state === 'acknowledged') conditions.push(isNotNull(alertFirings.acknowledgedAt));
  if (q.beforeId !== undefined) conditions.push(lt(alertFirings.id, q.beforeId));
  return database.db
    .select()
    .from(alertFirings)
    .where(and(...conditions))
    .orderBy(desc(alertFirings.id))
    .limit(q.limit);
}

export async function firingById(database: Database, id: number): Promise<AlertFiringRow | null> {
  const [row] = await database.db.select().from(alertFirings).where(eq(alertFirings.id, id)).limit(1);
  return row ?? null;
}

/** Acknowledges a firing once: the first acknowledgement stays. Returns the row and whether it changed. */
export async function acknowledgeFiring(
  database: Database,
  id: number,
  by: string,
  at: Date,
): Promise<{ row: AlertFiringRow; changed: boolean } | null> {
  const [updated] = await database.db
    .update(alertFirings)
    .set({ acknowledgedAt: at, acknowledgedBy: by })
    .where(and(eq(alertFirings.id, id), isNull(alertFirings.acknowledgedAt)))
    .returning();
  if (updated) return { row: updated, changed: true };
  const row = await firingById(database, id);
  return row ? { row, changed: false } : null;
}

export async function readAlertSetting(database: Database, name: string) {
  const [row] = await database.db.select().from(alertSettings).where(eq(alertSettings.name, name)).limit(1);
  return row ?? null;
}

export async function writeAlertSetting(
  database: Database,
  row: { name: string; value: object; updatedBy: string; updatedAt: Date },
): Promise<void> {
  await database.db
    .insert(alertSettings)
    .values(row)
    .onConflictDoUpdate({
      target: alertSettings.name,
      set: { value: row.value, updatedBy: row.updatedBy, updatedAt: row.updatedAt },
    });
}

export interface NewDelivery {
  firingId: number;
  webhook: string;
  kind: 'json' | 'dingtalk' | 'wecom';
  attempt: number;
  at: Date;
  outcome: DeliveryOutcome;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export async function insertDelivery(database: Database, row: NewDelivery): Promise<void> {
  await database.db.insert(alertDeliveries).values(row);
}

/** Delivery attempts of the districts' firings, newest first, with what was delivered. */
export function listDeliveries(
  database: Database,
  q: { districts: readonly string[]; beforeId?: number; limit: number },
) {
  const conditions = [inArray(alertFirings.district, [...q.districts])];
  if (q.beforeId !== undefined) conditions.push(lt(alertDeliveries.id, q.beforeId));
  return database.db
    .select({
      id: alertDeliveries.id,
      firingId: alertDeliveries.firingId,
      rule: alertFirings.rule,
      district: alertFirings.district,
      subjectId: alertFirings.subjectId,
      webhook: alertDeliveries.webhook,
      kind: alertDeliveries.kind,
      attempt: alertDeliveries.attempt,
      at: alertDeliveries.at,
      outcome: alertDeliveries.outcome,
      status: alertDeliveries.status,
      error: alertDeliveries.error,
      durationMs: alertDeliveries.durationMs,
    })
    .from(alertDeliveries)
    .innerJoin(alertFirings, eq(alertFirings.id, alertDeliveries.firingId))
    .where(and(...conditions))
    .orderBy(desc(alertDeliveries.id))
    .limit(q.limit);
}
