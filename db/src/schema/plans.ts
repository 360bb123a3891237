/** Plans (SPEC §14): monthly themes (一月一主题) and campaigns (专项督导), made by an admin. */
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { PlanPhase, PlanTargets } from '@dudao/domain';

export const plans = pgTable(
  'plans',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['theme', 'campaign'] }).notNull(),
    title: text('title').notNull(),
    /** `city` or a district adcode */
    scope: text('scope').notNull(),
    /** first and last day (YYYY-MM-DD, city time), both included */
    fromDay: text('from_day').notNull(),
    toDay: text('to_day').notNull(),
    theme: text('theme'),
    phases: jsonb('phases').$type<PlanPhase[]>(),
    targets: jsonb('targets').$type<PlanTargets>().notNull(),
    /** who made it: the key id (or, with sign-in, the login) */
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('plans_window_idx').on(t.fromDay, t.toDay)],
);

export type PlanRow = typeof plans.$inferSelect;
export type NewPlanRow = typeof plans.$inferInsert;
