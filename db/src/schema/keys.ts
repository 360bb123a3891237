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
  /** the key stops working at this moment; null = never */
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  /** when and from which address the key was last used: kept in memory, written in batches */
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  lastUsedFrom: text('last_used_from'),
});

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type KeyRole = ApiKeyRow['role'];
