/**
 * Alerts (SPEC §15): the rules' thresholds set through the admin API, every firing (once: its
 * dedupe key is unique, so neither two instances nor a leader hand-over can store it twice) and
 * every webhook delivery attempt.
 */
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per setting; `rules` holds the thresholds an admin PUT (they win over ALERTS_FILE). */
export const alertSettings = pgTable('alert_settings', {
  name: text('name').primaryKey(),
  value: jsonb('value').$type<object>().notNull(),
  updatedAt: ts('updated_at').notNull(),
  /** a login, or `key:<id>` */
  updatedBy: text('updated_by').notNull(),
});

export const alertFirings = pgTable(
  'alert_firings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** `${rule}:${subject}` (domain `alertDedupeKey`): one firing per object per rule */
    dedupeKey: text('dedupe_key').notNull().unique(),
    rule: text('rule').notNull(),
    district: text('district').notNull(),
    subjectKind: text('subject_kind', { enum: ['issue', 'complaint', 'district'] }).notNull(),
    subjectId: text('subject_id').notNull(),
    severity: text('severity', { enum: ['critical', 'warning'] }).notNull(),
    facts: jsonb('facts').$type<Record<string, string | number>>().notNull(),
    firedAt: ts('fired_at').notNull(),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
  },
  (t) => [
    index('alert_firings_district_idx').on(t.district, t.firedAt),
    index('alert_firings_fired_idx').on(t.firedAt),
  ],
);

export const DELIVERY_OUTCOMES = ['delivered', 'failed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** One row per attempt to deliver a firing to a webhook (never its URL's secret or the signing secret). */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    firingId: bigint('firing_id', { mode: 'number' })
      .notNull()
      .references(() => alertFirings.id, { onDelete: 'cascade' }),
    /** the webhook's name in ALERTS_FILE */
    webhook: text('webhook').notNull(),
    kind: text('kind', { enum: ['json', 'dingtalk', 'wecom'] }).notNull(),
    /** 1 for the first try */
    attempt: integer('attempt').notNull(),
    at: ts('at').notNull(),
    outcome: text('outcome', { enum: DELIVERY_OUTCOMES }).notNull(),
    /** the HTTP status, null when no answer came */
    status: integer('status'),
    /** what went wrong, in a line (the robot's errmsg, a timeout, a refused connection) */
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('alert_deliveries_at_idx').on(t.at), index('alert_deliveries_firing_idx').on(t.firingId)],
);

export type AlertFiringRow = typeof alertFirings.$inferSelect;
export type NewAlertFiringRow = typeof alertFirings.$inferInsert;
export type AlertDeliveryRow = typeof alertDeliveries.$inferSelect;
