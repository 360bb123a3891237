/**
 * What the database says, for trust tests to hold the service to: the ledger's own invariants in
 * SQL, its counts, and the snapshot a rebuild from it gives (the live store must equal that).
 */
import { loadLiveImage, type Database } from '@dudao/db';
import type { Snapshot } from '@dudao/domain';
import { cityPackById } from '@dudao/domain/cities';
import { MemoryLiveStore } from '../../src/live/memory-store.ts';
import { SnapshotReader } from '../../src/push/snapshots.ts';
import { Registry } from '../../src/registry.ts';

const PACK = cityPackById('zhuzhou');

/** One row per broken rule: an issue in no state or in a state its timestamps deny, an event without its effect. */
const VIOLATIONS_SQL = `
  select 'issue ' || id || ' is ' || status as violation from issues
   where status not in ('open', 'submitted', 'closed')
      or (status = 'closed') <> (closed_at is not null)
      or (status = 'submitted' and submitted_at is null)
  union all
  select 'inspection ' || id || ' is ' || status from inspections
   where status not in ('in_progress', 'completed') or (status = 'completed') <> (completed_at is not null)
  union all
  select 'complaint ' || id || ' is ' || status from complaints
   where status not in ('open', 'resolved') or (status = 'resolved') <> (resolved_at is not null)
  union all
  select 'event ' || e.id || ' (' || e.type || ') has no effect' from events e
   where (e.type = 'issue.raised' and not exists (select 1 from issues i where i.id = e.payload->>'issueId'))
      or (e.type = 'inspection.started'
          and not exists (select 1 from inspections i where i.id = e.payload->>'inspectionId'))
      or (e.type = 'complaint.received'
          and not exists (select 1 from complaints c where c.id = e.payload->>'complaintId'))
      or (e.type = 'institution.action'
          and not exists (select 1 from institution_actions a where a.event_id = e.id))
      or (e.type = 'school.report' and not exists (
          select 1 from school_reports r
           where r.school_id = e.payload->>'schoolId' and r.period = e.payload->>'period'))
  union all
  select 'issue ' || i.id || ' was never raised' from issues i
   where not exists (select 1 from events e where e.type = 'issue.raised' and e.payload->>'issueId' = i.id)
`;

export async function ledgerViolations(database: Database): Promise<string[]> {
  const rows = await database.query<{ violation: string }>(VIOLATIONS_SQL);
  return rows.map((r) => r.violation);
}

export interface LedgerCounts {
  issues: { raised: number; open: number; submitted: number; closed: number };
  inspections: { total: number; inProgress: number };
  complaints: { received: number; resolved: number; open: number };
}

export async function ledgerCounts(database: Database): Promise<LedgerCounts> {
  const [row] = await database.query<Record<string, string>>(`
    select (select count(*) from issues) as raised,
           (select count(*) from issues where status = 'open') as open,
           (select count(*) from issues where status = 'submitted') as submitted,
           (select count(*) from issues where status = 'closed') as closed,
           (select count(*) from inspections) as inspections,
           (select count(*) from inspections where status = 'in_progress') as in_progress,
           (select count(*) from complaints) as received,
           (select count(*) from complaints where status = 'resolved') as resolved`);
  const n = (k: string) => Number(row![k]);
  return {
    issues: { raised: n('raised'), open: n('open'), submitted: n('submitted'), closed: n('closed') },
    inspections: { total: n('inspections'), inProgress: n('in_progress') },
    complaints: { received: n('received'), resolved: n('resolved'), open: n('received') - n('resolved') },
  };
}

/** The same counts as the live metrics of a city snapshot show them. */
export function snapshotCounts(snapshot: Snapshot): LedgerCounts {
  const { issues, inspections, complaints } = snapshot.metrics;
  return {
    issues: { raised: issues.raised, open: issues.open, submitted: issues.submitted, closed: issues.closed },
    inspections: { total: inspections.total, inProgress: inspections.inProgress },
    complaints: { received: complaints.received, resolved: complaints.resolved, open: complaints.open },
  };
}

/** The city snapshot a rebuild from the database gives, read at `asOf` (e.g. another snapshot's). */
export async function rebuiltSnapshot(database: Database, asOf: string): Promise<Snapshot> {
  const now = Date.parse(asOf);
  const store = new MemoryLiveStore({ timezone: PACK.timezone });
  await store.replace(await loadLiveImage(database, { timezone: PACK.timezone, now }));
  const registry = await Registry.load(database, PACK);
  return new SnapshotReader(store, registry, () => now).read('city');
}

/** A snapshot's values without what differs between two equal stores (version, time of reading). */
export function values(snapshot: Snapshot): Pick<Snapshot, 'metrics' | 'districts'> {
  return { metrics: snapshot.metrics, districts: snapshot.districts };
}
