/**
 * Managing people (SPEC §12), one code path for `pnpm users` and the admin API: create with a
 * one-time password (or a chosen one), list, disable, reset a password. Each change is audited.
 */
import { randomBytes } from 'node:crypto';
import {
  disableUser as disableUserRow,
  insertAudit,
  insertUser,
  listUsers,
  setUserPassword,
  USER_ROLES,
  type Database,
  type PublicUser,
  type UserRole,
} from '@dudao/db';
import { hashPassword, oneTimePassword, passwordProblem } from './passwords.ts';

export { USER_ROLES, type UserRole, type PublicUser };

export const LOGIN_PATTERN = '^[a-z0-9][a-z0-9._-]{1,63}$';
const LOGIN_RE = new RegExp(LOGIN_PATTERN);
const MAX_NAME_LENGTH = 64;

/** A bad input to a user operation: the caller answers 400 (or exits non-zero) with the message. */
export class UserInputError extends Error {}

/** Who did it and from where, for the audit log. */
export interface Actor {
  login: string;
  ip?: string | null;
  userAgent?: string | null;
}

export interface UserInput {
  login: string;
  name: string;
  role: UserRole;
  scope: string;
  /** absent → a one-time password is made and returned */
  password?: string | undefined;
}

export const normalizeLogin = (login: string): string => login.trim().toLowerCase();

function checkInput(input: UserInput, isScope: (scope: string) => boolean): void {
  if (!LOGIN_RE.test(input.login))
    throw new UserInputError('login: 2–64 of a-z 0-9 . _ -, starting with a letter or digit');
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH)
    throw new UserInputError(`name: 1–${MAX_NAME_LENGTH} characters`);
  if (!USER_ROLES.includes(input.role)) throw new UserInputError(`role: one of ${USER_ROLES.join(', ')}`);
  if (!isScope(input.scope))
    throw new UserInputError(`scope: "city" or a district of this city, not ${input.scope}`);
  const problem = input.password === undefined ? null : passwordProblem(input.password);
  if (problem) throw new UserInputError(`password: ${problem}`);
}

async function audit(database: Database, actor: Actor, action: string, target: string, now: Date) {
  await insertAudit(database, {
    at: now,
    login: actor.login,
    action,
    outcome: 'ok',
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    target,
  });
}

export async function createUser(
  database: Database,
  input: UserInput,
  opts: { actor: Actor; isScope: (scope: string) => boolean; now?: Date },
): Promise<{ user: Omit<PublicUser, 'createdAt' | 'disabledAt'>; password: string; oneTime: boolean }> {
  const wanted = { ...input, login: normalizeLogin(input.login), name: input.name.trim() };
  checkInput(wanted, opts.isScope);
  const password = wanted.password ?? oneTimePassword();
  const user = {
    id: randomBytes(6).toString('hex'),
    login: wanted.login,
    name: wanted.name,
    role: wanted.role,
    scope: wanted.scope,
  };
  if (!(await insertUser(database, { ...user, passwordHash: await hashPassword(password) })))
    throw new UserInputError(`login ${wanted.login} is taken`);
  await audit(database, opts.actor, 'user.create', user.login, opts.now ?? new Date());
  return { user, password, oneTime: wanted.password === undefined };
}

export { listUsers };

export async function disableUser(database: Database, login: string, opts: { actor: Actor; now?: Date }) {
  const at = opts.now ?? new Date();
  const found = await disableUserRow(database, normalizeLogin(login), at);
  if (found) await audit(database, opts.actor, 'user.disable', normalizeLogin(login), at);
  return found;
}

/** Sets `password` (or a new one-time one) and ends the user's sessions; null when no such login. */
export async function resetPassword(
  database: Database,
  login: string,
  opts: { actor: Actor; password?: string | undefined; now?: Date },
): Promise<string | null> {
  const problem = opts.password === undefined ? null : passwordProblem(opts.password);
  if (problem) throw new UserInputError(`password: ${problem}`);
  const password = opts.password ?? oneTimePassword();
  if (!(await setUserPassword(database, normalizeLogin(login), await hashPassword(password)))) return null;
  await audit(database, opts.actor, 'user.reset-password', normalizeLogin(login), opts.now ?? new Date());
  return password;
}
