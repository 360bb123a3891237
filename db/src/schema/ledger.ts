/** The state the events drive: inspections, the issue ledger, institution actions, complaints, reports. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const inspections = pgTable(
  'inspections',
  {
    id: text('id').primaryKey(),
    district: text('district').notNull(),
    targetKind: text('target_kind', { enum: ['school', 'institution'] }).notNull(),
    targetId: text('target_id').notNull(),
    inspector: text('inspector').notNull(),
    mode: text('mode').notNull(),
    theme: text('theme').notNull(),
    status: text('status', { enum: ['in_progress', 'completed'] }).notNull(),
    startedAt: ts('started_at').notNull(),
    completedAt: ts('completed_at'),
    findings: integer('findings'),
  },
  (t) => [
    index('inspections_district_started_idx').on(t.district, t.startedAt),
    index('inspections_target_idx').on(t.targetKind, t.targetId),
    index('inspections_inspector_idx').on(t.inspector, t.startedAt),
  ],
);

export const issues = pgTable(
  'issues',
  {
    id: text('id').primaryKey(),
    district: text('district').notNull(),
    inspectionId: text('inspection_id'),
    targetKind: text('target_kind', { enum: ['school', 'institution'] }).notNull(),
    targetId: text('target_id').notNull(),
    category: text('category').notNull(),
    severity: text('severity', { enum: ['minor', 'major', 'critical'] }).notNull(),
    status: text('status', { enum: ['open', 'submitted', 'closed'] }).notNull(),
    deadline: ts('deadline').notNull(),
    reopenCount: integer('reopen_count').notNull().default(0),
    /** when a revisit last failed; null for issues reopened before the column existed, too */
    reopenedAt: ts('reopened_at'),
    /** times urged (督办); `issues.urged` counts open issues where it is above 0 */
    urgeCount: integer('urge_count').notNull().default(0),
    raisedAt: ts('raised_at').notNull(),
    submittedAt: ts('submitted_at'),
    closedAt: ts('closed_at'),
  },
  (t) => [
    index('issues_district_status_idx').on(t.district, t.status, t.deadline),
    index('issues_district_raised_idx').on(t.district, t.raisedAt),
    // The ledger's keyset order (newest raised first, SPEC §13): a page and an export page are read
    // from here backwards, `(raised_at, id) < cursor`, without sorting the rest of the ledger.
    index('issues_raised_id_idx').on(t.raisedAt, t.id),
    index('issues_target_idx').on(t.targetKind, t.targetId),
    // The alert rules' candidates (SPEC §15), found every second on the leader without a scan.
    index('issues_critical_raised_idx')
      .on(t.raisedAt)
      .where(sql`${t.severity} = 'critical'`),
    index('issues_unclosed_deadline_idx')
      .on(t.deadline)
      .where(sql`${t.status} <> 'closed'`),
    index('issues_unclosed_reopened_idx')
      .on(t.reopenCount)
      .where(sql`${t.status} <> 'closed' and ${t.reopenCount} > 0`),
  ],
);

export const institutionActions = pgTable(
  'institution_actions',
  {
    eventId: text('event_id').primaryKey(),
    institutionId: text('institution_id').notNull(),
    district: text('district').notNull(),
    action: text('action').notNull(),
    amountYuan: integer('amount_yuan'),
    occurredAt: ts('occurred_at').notNull(),
  },
  (t) => [index('institution_actions_institution_idx').on(t.institutionId, t.occurredAt)],
);

export const complaints = pgTable(
  'complaints',
  {
    id: text('id').primaryKey(),
    district: text('district').notNull(),
    channel: text('channel').notNull(),
    category: text('category').notNull(),
    targetKind: text('target_kind', { enum: ['school', 'institution'] }),
    targetId: text('target_id'),
    status: text('status', { enum: ['open', 'resolved'] }).notNull(),
    receivedAt: ts('received_at').notNull(),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [
    index('complaints_district_idx').on(t.district, t.status),
    index('complaints_open_received_idx')
      .on(t.receivedAt)
      .where(sql`${t.status} = 'open'`),
  ],
);

export const schoolReports = pgTable(
  'school_reports',
  {
    schoolId: text('school_id').notNull(),
    period: text('period').notNull(),
    district: text('district').notNull(),
    afterSchoolOffered: boolean('after_school_offered').notNull(),
    /** participation × 10 000, so sums stay exact */
    participationBp: integer('participation_bp').notNull(),
    homeworkCompliant: boolean('homework_compliant').notNull(),
    reportedAt: ts('reported_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.period] }),
    index('school_reports_period_idx').on(t.period, t.district),
  ],
);

export type InspectionRow = typeof inspections.$inferSelect;
export type IssueRow = typeof issues.$inferSelect;
export type ComplaintRow = typeof complaints.$inferSelect;
export type InstitutionActionRow = typeof institutionActions.$inferSelect;
export type SchoolReportRow = typeof schoolReports.$inferSelect;
