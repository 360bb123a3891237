/**
 * A day to replay (SPEC §15): the event log up to the day's end decided again by the core, on a
 * scratch world that starts from the registry, exactly as the ingest decided it (same `decide`,
 * same `BatchWorld`). Events before the day build the image it starts with; the day's own events
 * are sent with their deltas and feed lines, for a player to apply on its clock. Nothing of the
 * live store or the ledger is touched.
 */
import { loadReplayLog, type Database } from '@dudao/db';
import {
  addDays,
  applyDeltas,
  decide,
  imageToJson,
  localTime,
  pruneImage,
  registryDeltas,
  startOfLocalDay,
  type LiveImage,
  type ReplayEvent,
  type ReplayResponse,
} from '@dudao/domain';
import { CITY_SCOPE } from '../live/store.ts';
import type { Registry } from '../registry.ts';
import { BatchWorld } from './batch-world.ts';
import { feedItem } from './feed-item.ts';

export async function replayDay(
  deps: { database: Database; registry: Registry },
  p: { scope: string; day: string },
): Promise<ReplayResponse> {
  const { database, registry } = deps;
  const timezone = registry.city.timezone;
  const from = startOfLocalDay(p.day, timezone);
  const to = startOfLocalDay(addDays(p.day, 1), timezone);
  const log = await loadReplayLog(database, {
    district: p.scope === CITY_SCOPE ? undefined : p.scope,
    end: to,
  });
  const world = new BatchWorld(timezone, registry.districtCodes, log.state);
  const image: LiveImage = new Map();
  applyDeltas(image, registryDeltas(log.state.schools.values(), log.state.institutions.values()));
  const events: ReplayEvent[] = [];
  let skipped = 0;
  for (const event of log.events) {
    const outcome = decide(event, world);
    if (!outcome.ok) {
      skipped++;
      continue;
    }
    world.apply(outcome.change);
    const at = Date.parse(event.occurredAt);
    if (at < from) applyDeltas(image, outcome.deltas);
    else events.push({ at, deltas: outcome.deltas, feed: feedItem(event, world, registry) });
  }
  // Only "today" and "this month" of the replayed day are read; older windows need not travel.
  pruneImage(image, p.day, localTime(from, timezone).month);
  return {
    scope: p.scope,
    day: p.day,
    timezone,
    from,
    to,
    districts: [...registry.districtCodes].map((adcode) => ({ adcode, name: registry.districtName(adcode) })),
    start: imageToJson(image),
    // Stable: events at the same instant keep the order they were decided in.
    events: events.sort((a, b) => a.at - b.at),
    skipped,
  };
}
