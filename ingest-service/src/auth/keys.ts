/** API keys (SPEC §9): random tokens shown once, stored as a SHA-256 hash, role + scope. */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
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
}

export interface CreatedKey extends Principal {
  role: KeyRole;
  token: string;
}

/** Tokens carry 256 random bits, so a plain SHA-256 is a safe lookup hash (no salt needed). */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function createKey(
  database: Database,
  input: { role: KeyRole; scope: string; label?: string },
): Promise<CreatedKey> {
  const keyId = randomBytes(4).toString('hex');
  const token = `dd_${keyId}_${randomBytes(32).toString('base64url')}`;
  await database.db.insert(apiKeys).values({
    id: keyId,
    tokenHash: hashToken(token),
    role: input.role,
    scope: input.scope,
    label: input.label ?? null,
  });
  return { keyId, role: input.role, scope: input.scope, token };
}

export async function revokeKey(database: Database, keyId: string): Promise<boolean> {
  const rows = await database.db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(eq(apiKeys.id, keyId))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

export async function listKeys(database: Database) {
  return database.db
    .select({
      id: apiKeys.id,
      role: apiKeys.role,
      scope: apiKeys.scope,
      label: apiKeys.label,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(apiKeys.createdAt);
}

export async function findPrincipal(database: Database, token: string): Promise<Principal | null> {
  const [row] = await database.db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.tokenHash, hashToken(token)))
    .limit(1);
  if (!row || row.revokedAt) return null;
  return { keyId: row.id, role: row.role, scope: row.scope };
}

/** An admin may do everything; a supervisor reads as a viewer does and acts on issues. */
export const hasRole = (p: Principal, role: Role): boolean =>
  p.role === role || p.role === 'admin' || (role === 'viewer' && p.role === 'supervisor');

/** A city key reaches every scope; a district key its own district only. */
export const canReach = (p: Principal, scope: string): boolean => p.scope === CITY_SCOPE || p.scope === scope;

/** The district a key may write, or null for the whole city. */
export const writeScope = (p: Principal): string | null => (p.scope === CITY_SCOPE ? null : p.scope);
