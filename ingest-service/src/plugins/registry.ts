/** The city pack written to the database, and the registry (districts, names) read back from it. */
import fp from 'fastify-plugin';
import { upsertCityPack } from '@dudao/db';
import { Registry } from '../registry.ts';

declare module 'fastify' {
  interface FastifyInstance {
    registry: Registry;
  }
}

export default fp(
  async (app) => {
    await upsertCityPack(app.database, app.config.pack);
    app.decorate('registry', await Registry.load(app.database, app.config.pack));
  },
  { name: 'dudao-registry', fastify: '5.x', dependencies: ['dudao-config', 'dudao-database'] },
);
