/** Nightly rollups (SPEC §10): one value per day, scope and metric. */
import { date, doublePrecision, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const dailyStats = pgTable(
  'daily_stats',
  {
    day: date('day', { mode: 'string' }).notNull(),
    /** `city` or a district adcode */
    scope: text('scope').notNull(),
    /** dotted metric name of SPEC §6, e.g. `issues.overdue` */
    metric: text('metric').notNull(),
    value: doublePrecision('value').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.scope, t.metric] }),
    index('daily_stats_scope_idx').on(t.scope, t.metric, t.day),
  ],
);

export type DailyStatRow = typeof dailyStats.$inferSelect;
