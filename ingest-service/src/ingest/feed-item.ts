/** Turns an accepted event into a feed line with the names a person reads on the wall. */
import { loadLedgerState, recentEvents, type Database } from '@dudao/db';
import type { DudaoEvent, FeedItem, Target, World } from '@dudao/domain';
import { CITY_SCOPE, MAX_FEED_ITEMS, type Feeds, type Scope } from '../live/store.ts';
import type { Registry } from '../registry.ts';
import { BatchWorld, ledgerKeysOf } from './batch-world.ts';

/** The object an event is about, looked up through the state it acts on when the event doesn't say. */
function targetOf(event: DudaoEvent, world: World): Target | undefined {
  switch (event.type) {
    case 'inspection.started':
    case 'issue.raised':
      return event.target;
    case 'complaint.received':
      return event.target;
    case 'inspection.completed':
      return world.inspection(event.inspectionId)?.target;
    case 'issue.rectified':
    case 'issue.verified':
    case 'issue.deadline_extended':
    case 'issue.urged':
    case 'issue.commented':
      return world.issue(event.issueId)?.target;
    case 'complaint.resolved':
      return world.complaint(event.complaintId)?.target ?? undefined;
    case 'institution.action':
      return { kind: 'institution', id: event.institutionId };
    case 'school.report':
      return { kind: 'school', id: event.schoolId };
  }
}

function detailOf(event: DudaoEvent, world: World): FeedItem['detail'] {
  switch (event.type) {
    case 'inspection.started':
      return { inspectionId: event.inspectionId, mode: event.mode, theme: event.theme };
    case 'inspection.completed':
      return { inspectionId: event.inspectionId, findings: event.findings };
    case 'issue.raised':
      return {
        issueId: event.issueId,
        category: event.category,
        severity: event.severity,
        deadline: event.deadline,
      };
    case 'issue.rectified':
      return { issueId: event.issueId, category: world.issue(event.issueId)?.category ?? 'other' };
    case 'issue.verified':
      return { issueId: event.issueId, result: event.result };
    case 'issue.deadline_extended':
      return { issueId: event.issueId, deadline: event.deadline };
    case 'issue.urged':
    case 'issue.commented':
      return { issueId: event.issueId };
    case 'institution.action':
      return event.amountYuan === undefined
        ? { action: event.action }
        : { action: event.action, amountYuan: event.amountYuan };
    case 'complaint.received':
      return { complaintId: event.complaintId, channel: event.channel, category: event.category };
    case 'complaint.resolved':
      return { complaintId: event.complaintId };
    case 'school.report':
      return { period: event.period, homeworkCompliant: event.homeworkCompliant };
  }
}

export function feedItem(event: DudaoEvent, world: World, registry: Registry): FeedItem {
  const item: FeedItem = {
    id: event.id,
    type: event.type,
    district: event.district,
    districtName: registry.districtName(event.district),
    occurredAt: new Date(Date.parse(event.occurredAt)).toISOString(),
    detail: detailOf(event, world),
  };
  const target = targetOf(event, world);
  if (target) item.target = { ...target, name: registry.targetName(target) };
  if (event.inspector !== undefined) item.inspectorName = registry.inspectorName(event.inspector);
  return item;
}

/**
 * The feed of `scope` as the event log has it (the live store's copy may be away): its newest
 * `limit` events, named as the pipeline names them, from the ledger's state of their objects.
 */
export async function feedFromDatabase(
  database: Database,
  registry: Registry,
  scope: Scope,
  limit: number,
): Promise<FeedItem[]> {
  const events = await recentEvents(database, {
    district: scope === CITY_SCOPE ? undefined : scope,
    limit,
  });
  const state = await loadLedgerState(database.db, ledgerKeysOf(events));
  const world = new BatchWorld(registry.city.timezone, registry.districtCodes, state);
  return events.map((event) => feedItem(event, world, registry));
}

/**
 * The feeds of the city and of every district as the event log has them (each its newest
 * MAX_FEED_ITEMS): what a rebuild puts back into a live store that lost its own (Redis came back
 * empty, the process just started).
 */
export async function feedsFromDatabase(database: Database, registry: Registry): Promise<Feeds> {
  const scopes = [CITY_SCOPE, ...registry.districtCodes];
  const feeds = await Promise.all(
    scopes.map((scope) => feedFromDatabase(database, registry, scope, MAX_FEED_ITEMS)),
  );
  return new Map(scopes.map((scope, i) => [scope, feeds[i]!]));
}
