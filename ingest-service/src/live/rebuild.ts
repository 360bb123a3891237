/**
 * Rebuilds the live store from the database. Runs under the city's ingest lock (no instance commits
 * meanwhile) and between this process's ingest groups, so no counter is lost or counted twice.
 */
import { loadLiveImage, withCityIngestLock, type Database } from '@dudao/db';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { LiveStore } from './store.ts';

export interface RebuildDeps {
  database: Database;
  live: LiveStore;
  pipeline: IngestPipeline;
  cityAdcode: string;
  timezone: string;
  now: () => number;
}

export function rebuildLiveStore(deps: RebuildDeps): Promise<void> {
  return deps.pipeline.runExclusive(() =>
    withCityIngestLock(deps.database, deps.cityAdcode, async () => {
      const image = await loadLiveImage(deps.database, { timezone: deps.timezone, now: deps.now() });
      await deps.live.replace(image);
    }),
  );
}
