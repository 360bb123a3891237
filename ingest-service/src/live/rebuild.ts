/**
 * Rebuilds the live store from the database. Runs under the city's ingest lock (no instance commits
 * meanwhile) and between this process's ingest groups, so no counter is lost or counted twice.
 */
import { loadLiveImage, withCityIngestLock, type Database } from '@dudao/db';
import type { LiveImage } from '@dudao/domain';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { Feeds, LiveStore } from './store.ts';

export interface RebuildDeps {
  database: Database;
  live: LiveStore;
  /** this process's pipeline; a process that does not ingest (the nightly CLI) runs the task as is */
  pipeline: Pick<IngestPipeline, 'runExclusive'>;
  cityAdcode: string;
  timezone: string;
  now: () => number;
  /**
   * the feeds as the event log has them (`feedsFromDatabase`), put back with the counters: a Redis
   * that came back empty, or a process that just started, has none; without it the feeds are kept
   */
  feeds?: () => Promise<Feeds>;
}

/** `inspect` sees the database's image while the store still holds the old counters (reconciliation). */
export function rebuildLiveStore(
  deps: RebuildDeps,
  inspect?: (image: LiveImage, now: number) => Promise<void>,
): Promise<void> {
  return deps.pipeline.runExclusive(() =>
    withCityIngestLock(deps.database, deps.cityAdcode, async () => {
      const now = deps.now();
      const [image, feeds] = await Promise.all([
        loadLiveImage(deps.database, { timezone: deps.timezone, now }),
        deps.feeds?.(),
      ]);
      await inspect?.(image, now);
      await deps.live.replace(image, feeds);
    }),
  );
}
