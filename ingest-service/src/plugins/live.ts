/**
 * The live store (in-process, or Redis with REDIS_URL) and the snapshot reader over it. Filled from
 * the database by the health plugin at start-up; closed (its Redis connections quit) on close. The
 * Redis store reads from the database while it cannot be trusted (`live/database-fallback.ts`), so
 * a service whose Redis is away — even at start-up — still serves the numbers and the feed.
 */
import fp from 'fastify-plugin';
import { feedFromDatabase } from '../ingest/feed-item.ts';
import { DatabaseBackedLiveStore } from '../live/database-fallback.ts';
import { createLiveStore } from '../live/index.ts';
import type { LiveStore } from '../live/store.ts';
import { SnapshotReader } from '../push/snapshots.ts';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveStore;
    /** snapshots (SPEC §6) of the live store, for the read API and the sockets */
    snapshots: SnapshotReader;
  }
}

export default fp(
  async (app) => {
    const { pack, now } = app.config;
    const store = createLiveStore({
      redisUrl: app.redis?.url,
      cityAdcode: pack.adcode,
      timezone: pack.timezone,
      namespace: app.config.redisNamespace,
      now,
    });
    const live =
      store.kind === 'redis'
        ? new DatabaseBackedLiveStore(store, {
            database: app.database,
            timezone: pack.timezone,
            feed: (scope, limit) => feedFromDatabase(app.database, app.registry, scope, limit),
          })
        : store;
    app.decorate('live', live);
    app.decorate('snapshots', new SnapshotReader(live, app.registry, now));
    app.addHook('onClose', () => live.close());
  },
  {
    name: 'dudao-live',
    fastify: '5.x',
    dependencies: ['dudao-config', 'dudao-database', 'dudao-registry', 'dudao-redis'],
  },
);
