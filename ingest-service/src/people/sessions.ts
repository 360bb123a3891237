/**
 * Sign-in, sessions and sign-out (SPEC §12). A session is a random 256-bit token in an httpOnly
 * cookie; the database keeps its SHA-256 (so every instance shares it, and a copy of the database
 * opens nothing) with a CSRF token bound to it. Sessions end after SESSION_IDLE_MS without use.
 * Five failed sign-ins of one login within 15 minutes lock it for 15 minutes; the count is read from
 * the audit log, so it holds across instances.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  deleteIdleSessions,
  deleteSession,
  findLiveSession,
  findUserByLogin,
  insertAudit,
  insertSession,
  recentSignIns,
  touchSession,
  type Database,
  type PublicUser,
} from '@dudao/db';
import { verifyDecoy, verifyPassword } from './passwords.ts';
import { normalizeLogin } from './users.ts';

export const SESSION_COOKIE = 'dudao_session';
export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** last_seen_at is written at most this often per session: reads need not all be writes. */
const TOUCH_EVERY_MS = 60_000;

export const hashSessionToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export type SessionUser = Pick<PublicUser, 'id' | 'login' | 'name' | 'role' | 'scope'>;

export type SignInResult =
  | { kind: 'ok'; token: string; csrfToken: string; user: SessionUser }
  | { kind: 'failed' }
  | { kind: 'throttled'; retryAfterMs: number };

/**
 * When the lock on a login ends, given its latest judged sign-ins (newest first), or null when it is
 * not locked: the last MAX_FAILED_SIGN_INS all failed, within SIGN_IN_WINDOW_MS of each other, and
 * the newest less than LOCKOUT_MS ago. A success in between resets the count.
 */
export function lockoutEnd(attempts: { at: Date; outcome: string }[], now: number): number | null {
  const last = attempts.slice(0, MAX_FAILED_SIGN_INS);
  if (last.length < MAX_FAILED_SIGN_INS || last.some((a) => a.outcome !== 'failed')) return null;
  const newest = last[0]!.at.getTime();
  if (newest - last[last.length - 1]!.at.getTime() > SIGN_IN_WINDOW_MS) return null;
  const end = newest + LOCKOUT_MS;
  return end > now ? end : null;
}

const publicOf = (u: SessionUser): SessionUser => ({
  id: u.id,
  login: u.login,
  name: u.name,
  role: u.role,
  scope: u.scope,
});

export async function signIn(
  database: Database,
  input: { login: string; password: string; client: Client; now: number },
): Promise<SignInResult> {
  const login = normalizeLogin(input.login);
  const at = new Date(input.now);
  const audit = (outcome: 'ok' | 'failed' | 'throttled', detail?: Record<string, unknown>) =>
    insertAudit(database, {
      at,
      login,
      action: 'session.create',
      outcome,
      ip: input.client.ip,
      userAgent: input.client.userAgent,
      ...(detail ? { detail } : {}),
    });
  const lockEnd = lockoutEnd(await recentSignIns(database, login, MAX_FAILED_SIGN_INS), input.now);
  if (lockEnd !== null) {
    await audit('throttled');
    return { kind: 'throttled', retryAfterMs: lockEnd - input.now };
  }
  const user = await findUserByLogin(database, login);
  const ok =
    user && !user.disabledAt
      ? await verifyPassword(user.passwordHash, input.password)
      : await verifyDecoy(input.password);
  if (!user || !ok) {
    await audit('failed', {
      reason: !user ? 'unknown_login' : user.disabledAt ? 'disabled' : 'wrong_password',
    });
    return { kind: 'failed' };
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await deleteIdleSessions(database, new Date(input.now - SESSION_IDLE_MS));
  await insertSession(database, {
    tokenHash: hashSessionToken(token),
    userId: user.id,
    csrfToken,
    ip: input.client.ip,
    at,
  });
  await audit('ok');
  return { kind: 'ok', token, csrfToken, user: publicOf(user) };
}

export interface LiveSession {
  user: SessionUser;
  csrfToken: string;
}

/** The session of a cookie's token, kept alive by this use; null when unknown, idle too long or disabled. */
export async function resumeSession(
  database: Database,
  token: string,
  now: number,
): Promise<LiveSession | null> {
  const tokenHash = hashSessionToken(token);
  const row = await findLiveSession(database, tokenHash, new Date(now - SESSION_IDLE_MS));
  if (!row) return null;
  if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchSession(database, tokenHash, new Date(now));
  return { user: publicOf(row.user), csrfToken: row.csrfToken };
}

export async function signOut(database: Database, token: string): Promise<void> {
  await deleteSession(database, hashSessionToken(token));
}
