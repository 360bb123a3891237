/**
 * The database (SPEC §3: PGlite by default, PostgreSQL with DATABASE_URL), opened and migrated here
 * unless the caller hands an open one in, which stays the caller's to close.
 */
import fp from 'fastify-plugin';
import { openDatabase, type Database } from '@dudao/db';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}

export interface DatabasePluginOptions {
  /** an open database to use (the caller closes it) */
  database?: Database | undefined;
}

export default fp(
  async (app, opts: DatabasePluginOptions) => {
    const { databaseUrl, dataDir, limits } = app.config;
    const database =
      opts.database ??
      (await openDatabase({ databaseUrl, dataDir, queryTimeoutMs: limits.dbQueryTimeoutMs }));
    app.decorate('database', database);
    if (!opts.database) app.addHook('onClose', () => database.close());
  },
  { name: 'dudao-database', fastify: '5.x', dependencies: ['dudao-config'] },
);
