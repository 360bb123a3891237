/** The append-only event log: every accepted event, exactly once (its id is the idempotency key). */
import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { DudaoEvent } from '@dudao/domain';

export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    district: text('district').notNull(),
    inspector: text('inspector'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    /**
     * The order the ingest applied the events in (SPEC §5: a batch in array order, groups one after
     * another under the city's ingest lock): what the rollups and the replay decide in, where
     * `occurredAt` and `receivedAt` tie or disagree.
     */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    /** sha-256 of the event's canonical JSON: same id + other hash = `conflict` */
    contentHash: text('content_hash').notNull(),
    /** the event as accepted (SPEC §3): only the ingest pipeline writes it, after validation */
    payload: jsonb('payload').$type<DudaoEvent>().notNull(),
  },
  (t) => [
    index('events_district_occurred_idx').on(t.district, t.occurredAt),
    index('events_occurred_idx').on(t.occurredAt),
    index('events_received_idx').on(t.receivedAt),
    // An issue's story (SPEC §13): its events, found without a scan; events of no issue are not indexed.
    index('events_issue_idx')
      .on(sql`(${t.payload}->>'issueId')`)
      .where(sql`(${t.payload}->>'issueId') is not null`),
    // The ledger's inspector filter (SPEC §13): the issues an inspector raised, found without a scan.
    index('events_raised_inspector_idx')
      .on(t.inspector)
      .where(sql`${t.type} = 'issue.raised'`),
  ],
);

export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;
