/**
 * API keys (SPEC §9): random tokens shown once, stored as a SHA-256 hash, role + scope, an optional
 * label and expiry, revocable; when and from where each was last used is written in batches.
 */
import { createHash, randomBytes } from 'node:crypto';
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { apiKeys, type Database, type KeyRole, type UserRole } from '@dudao/db';

export const KEY_ROLES = ['ingest', 'viewer', 'admin'] as const;
export const CITY_SCOPE = 'city';

/** What a key or a signed-in person may be (SPEC §9, §12). */
export type Role = KeyRole | UserRole;

export interface Principal {
  /** the key's id; `user:<login>` for a person (per-principal limits count by it) */
  keyId: string;
  role: Role;
  /** `city` or a district adcode */
  scope: string;
  /** the person signed in with a session cookie; absent for a key */
  user?: { id: string; login: string; name: string };
  /** when the key stops working (ms since epoch); null or absent = never (a person's session ends on its own) */
  expiresAt?: number | null;
}

export interface CreatedKey extends Principal {
  role: KeyRole;
  token: string;
  label: string | null;
  createdAt: Date;
}

/** Whether the key has expired by `nowMs`. */
export const isExpired = (p: Pick<Principal, 'expiresAt'>, nowMs: number): boolean =>
  p.expiresAt != null && p.expiresAt <= nowMs;

/** Tokens carry 256 random bits, so a plain SHA-256 is a safe lookup hash (no salt needed). */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface NewKey {
  role: KeyRole;
  scope: string;
  label?: string | null | undefined;
  expiresAt?: Date | null | undefined;
}

export async function createKey(database: Database, input: NewKey): Promise<CreatedKey> {
  const keyId = randomBytes(4).toString('hex');
  const token = `dd_${keyId}_${randomBytes(32).toString('base64url')}`;
  const [row] = await database.db
    .insert(apiKeys)
    .values({
      id: keyId,
      tokenHash: hashToken(token),
      role: input.role,
      scope: input.scope,
      label: input.label ?? null,
      expiresAt: input.expiresAt ?? null,
    })
    .returning({ createdAt: apiKeys.createdAt });
  return {
    keyId,
    role: input.role,
    scope: input.scope,
    label: input.label ?? null,
    expiresAt: input.expiresAt?.getTime() ?? null,
    createdAt: row!.createdAt,
    token,
  };
}

/** Revokes a key (once: a second revoke keeps the first moment); null when there is no such key. */
export async function revokeKey(
  database: Database,
  keyId: string,
  at: Date = new Date(),
): Promise<{ id: string; revokedAt: Date } | null> {
  const [row] = await database.db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${at})` })
    .where(eq(apiKeys.id, keyId))
    .returning({ id: apiKeys.id, revokedAt: apiKeys.revokedAt });
  return row ? { id: row.id, revokedAt: row.revokedAt! } : null;
}

/** A district's keys only; the whole city's for `city` or none given. */
const scopeFilter = (scope: string | undefined): SQL | undefined =>
  scope && scope !== CITY_SCOPE ? eq(apiKeys.scope, scope) : undefined;

/** What a listing shows of a key: never the token nor its hash. */
const LISTED = {
  id: apiKeys.id,
  role: apiKeys.role,
  scope: apiKeys.scope,
  label: apiKeys.label,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  lastUsedAt: apiKeys.lastUsedAt,
  lastUsedFrom: apiKeys.lastUsedFrom,
};

/** Keys, oldest first; `scope` (a district admin's) limits them to that district's. */
export async function listKeys(database: Database, options: { scope?: string } = {}) {
  return database.db
    .select(LISTED)
    .from(apiKeys)
    .where(scopeFilter(options.scope))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}

export type KeyListing = Awaited<ReturnType<typeof listKeys>>[number];

/** One key's listing by its id, or null. */
export async function keyById(database: Database, keyId: string): Promise<KeyListing | null> {
  const [row] = await database.db.select(LISTED).from(apiKeys).where(eq(apiKeys.id, keyId));
  return row ?? null;
}

/** The key of `token`, unless it is unknown or revoked; expiry is the caller's to judge (its clock). */
export async function findPrincipal(database: Database, token: string): Promise<Principal | null> {
  const [row] = await database.db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.tokenHash, hashToken(token)))
    .limit(1);
  if (!row || row.revokedAt) return null;
  return { keyId: row.id, role: row.role, scope: row.scope, expiresAt: row.expiresAt?.getTime() ?? null };
}

export interface KeyUse {
  keyId: string;
  at: Date;
  /** the client's address */
  from: string;
}

/**
 * Writes last uses in one statement. Several instances flush on their own: a use older than the
 * one stored never replaces it, so the latest stays.
 */
export async function recordKeyUses(database: Database, uses: readonly KeyUse[]): Promise<void> {
  if (uses.length === 0) return;
  const ids = sql.param(uses.map((u) => u.keyId));
  const ats = sql.param(uses.map((u) => u.at.toISOString()));
  const froms = sql.param(uses.map((u) => u.from));
  await database.db.execute(sql`
    update api_keys k set last_used_at = u.at, last_used_from = u.from_address
      from unnest(${ids}::text[], ${ats}::timestamptz[], ${froms}::text[]) as u(id, at, from_address)
     where k.id = u.id and (k.last_used_at is null or k.last_used_at < u.at)`);
}

/** An admin may do everything; a supervisor reads as a viewer does and acts on issues. */
export const hasRole = (p: Principal, role: Role): boolean =>
  p.role === role || p.role === 'admin' || (role === 'viewer' && p.role === 'supervisor');

/** A city key reaches every scope; a district key its own district only. */
export const canReach = (p: Principal, scope: string): boolean => p.scope === CITY_SCOPE || p.scope === scope;

/** The district a key may write, or null for the whole city. */
export const writeScope = (p: Principal): string | null => (p.scope === CITY_SCOPE ? null : p.scope);
