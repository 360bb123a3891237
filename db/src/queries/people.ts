/** Users, sessions and the audit log (SPEC §12): the rows, read and written; no policy here. */
import { and, asc, desc, eq, gte, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { auditLog, sessions, users, type AuditOutcome, type UserRole } from '../schema/people.ts';

export interface NewUser {
  id: string;
  login: string;
  name: string;
  role: UserRole;
  scope: string;
  passwordHash: string;
}

/** What the service and the CLI show of a user: never the hash. */
const publicUserColumns = {
  id: users.id,
  login: users.login,
  name: users.name,
  role: users.role,
  scope: users.scope,
  createdAt: users.createdAt,
  disabledAt: users.disabledAt,
};

export type PublicUser = Awaited<ReturnType<typeof listUsers>>[number];

export async function insertUser(database: Database, user: NewUser): Promise<boolean> {
  const rows = await database.db
    .insert(users)
    .values(user)
    .onConflictDoNothing({ target: users.login })
    .returning({ id: users.id });
  return rows.length > 0;
}

export async function findUserByLogin(database: Database, login: string) {
  const [row] = await database.db.select().from(users).where(eq(users.login, login)).limit(1);
  return row ?? null;
}

export function listUsers(database: Database) {
  return database.db.select(publicUserColumns).from(users).orderBy(asc(users.login));
}

/** Marks the user disabled and ends their sessions; false when there is no such login. */
export async function disableUser(database: Database, login: string, at: Date): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    const rows = await tx
      .update(users)
      .set({ disabledAt: at })
      .where(eq(users.login, login))
      .returning({ id: users.id });
    if (rows.length === 0) return false;
    await tx.delete(sessions).where(eq(sessions.userId, rows[0]!.id));
    return true;
  });
}

/** Replaces the password hash and ends the user's sessions; false when there is no such login. */
export async function setUserPassword(database: Database, login: string, passwordHash: string) {
  return database.db.transaction(async (tx) => {
    const rows = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.login, login))
      .returning({ id: users.id });
    if (rows.length === 0) return false;
    await tx.delete(sessions).where(eq(sessions.userId, rows[0]!.id));
    return true;
  });
}

export async function insertSession(
  database: Database,
  row: { tokenHash: string; userId: string; csrfToken: string; ip: string | null; at: Date },
): Promise<void> {
  await database.db.insert(sessions).values({
    tokenHash: row.tokenHash,
    userId: row.userId,
    csrfToken: row.csrfToken,
    ip: row.ip,
    createdAt: row.at,
    lastSeenAt: row.at,
  });
}

/** A session used since `idleSince`, with its enabled user; null otherwise. */
export async function findLiveSession(database: Database, tokenHash: string, idleSince: Date) {
  const [row] = await database.db
    .select({
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      user: publicUserColumns,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.tokenHash, tokenHash), gte(sessions.lastSeenAt, idleSince), isNull(users.disabledAt)),
    )
    .limit(1);
  return row ?? null;
}

export async function touchSession(database: Database, tokenHash: string, at: Date): Promise<void> {
  await database.db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(database: Database, tokenHash: string): Promise<void> {
  await database.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteIdleSessions(database: Database, idleSince: Date): Promise<void> {
  await database.db.delete(sessions).where(lt(sessions.lastSeenAt, idleSince));
}

export interface AuditEntry {
  at: Date;
  login: string;
  action: string;
  outcome: AuditOutcome;
  ip?: string | null;
  userAgent?: string | null;
  target?: string | null;
  detail?: Record<string, unknown> | null;
}

export async function insertAudit(database: Database, entry: AuditEntry): Promise<void> {
  await database.db.insert(auditLog).values({
    at: entry.at,
    login: entry.login,
    action: entry.action,
    outcome: entry.outcome,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
    target: entry.target ?? null,
    detail: entry.detail ?? null,
  });
}

/** The newest sign-in attempts of `login` that were judged (succeeded or failed), newest first. */
export function recentSignIns(database: Database, login: string, limit: number) {
  return database.db
    .select({ at: auditLog.at, outcome: auditLog.outcome })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.login, login),
        eq(auditLog.action, 'session.create'),
        sql`${auditLog.outcome} in ('ok', 'failed')`,
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
}

/** Audit entries newest first, paged by the id of the last row seen. */
export function listAudit(
  database: Database,
  q: { from?: Date; to?: Date; login?: string; beforeId?: number; limit: number },
) {
  const where = [
    q.from ? gte(auditLog.at, q.from) : undefined,
    q.to ? lte(auditLog.at, q.to) : undefined,
    q.login ? eq(auditLog.login, q.login) : undefined,
    q.beforeId !== undefined ? lt(auditLog.id, q.beforeId) : undefined,
  ];
  return database.db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit);
}
