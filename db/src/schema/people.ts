/**
 * People (SPEC §12): users who sign in, their sessions (shared by every instance through the
 * database), and the audit log of sign-ins and actions.
 */
import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const USER_ROLES = ['viewer', 'supervisor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  /** lower-case, unique; what a person types to sign in */
  login: text('login').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: USER_ROLES }).notNull(),
  /** `city` or a district adcode */
  scope: text('scope').notNull(),
  /** Argon2id, PHC string */
  passwordHash: text('password_hash').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  disabledAt: ts('disabled_at'),
});

/**
 * One row per signed-in browser. Only a SHA-256 of the cookie's token is kept, so a copy of the
 * database opens no session. Expired after SESSION_IDLE_MS without use.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** sent back by `GET /session`; every cookie-authenticated write must carry it */
    csrfToken: text('csrf_token').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    ip: text('ip'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_last_seen_idx').on(t.lastSeenAt)],
);

export const AUDIT_OUTCOMES = ['ok', 'failed', 'throttled', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    /** the person's login, `key:<id>` for an API key, `cli` for the command line; for a failed sign-in the login tried */
    login: text('login').notNull(),
    /** e.g. `session.create`, `issue.verify`, `user.create` */
    action: text('action').notNull(),
    outcome: text('outcome', { enum: AUDIT_OUTCOMES }).notNull(),
    /** the client's address (`from where`); null for the command line */
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** what was acted on: an issue id, a login, … */
    target: text('target'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_login_idx').on(t.login, t.action, t.at)],
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
