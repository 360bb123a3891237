/** API keys (SPEC §9): only a hash of the token is stored. */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const apiKeys = pgTable('api_keys', {
  /** short public id, printed by `keys list` */
  id: text('id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  role: text('role', { enum: ['ingest', 'viewer', 'admin'] }).notNull(),
  /** `city` or a district adcode */
  scope: text('scope').notNull(),
  label: text('label'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
});

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type KeyRole = ApiKeyRow['role'];
