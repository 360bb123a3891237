/**
 * Nightly results (SPEC §10): one value per day, scope and metric; one briefing (督导简报) per day and
 * scope, and one monthly report (月报) per month and scope.
 */
import {
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

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

/**
 * A day's briefing or a month's report as one self-contained HTML page, of the city or of one
 * district (SPEC §15). Kept
 * in the database (not only as a file in DATA_DIR/reports) so every instance serves it, whichever
 * instance or CLI run wrote it.
 */
export const briefings = pgTable(
  'briefings',
  {
    /** the briefing's day; a monthly report's month as its first day */
    day: date('day', { mode: 'string' }).notNull(),
    /** `city` or a district's adcode */
    scope: text('scope').notNull().default('city'),
    /** `daily` (督导简报) or `monthly` (月报) */
    kind: text('kind', { enum: ['daily', 'monthly'] })
      .notNull()
      .default('daily'),
    /** 第N期: the day of the year (the month's number for a 月报), so a re-run keeps the number */
    issueNo: integer('issue_no').notNull(),
    html: text('html').notNull(),
    generatedAt: timestamp('generated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.kind, t.day] })],
);

export type DailyStatRow = typeof dailyStats.$inferSelect;
export type BriefingRow = typeof briefings.$inferSelect;
