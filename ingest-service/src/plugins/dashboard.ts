/** Serves the built dashboard at `/` when `dashboard/dist` exists (the API works without it). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    dashboardIndex(reply: FastifyReply): FastifyReply;
  }
}

export default fp(
  async (app, opts: { dir: string }) => {
    if (!existsSync(join(opts.dir, 'index.html'))) {
      app.log.warn(`no built dashboard in ${opts.dir}: run \`pnpm build\` to serve the wall`);
      return;
    }
    // Wildcard lookup (not a route per file found at start-up), so a rebuilt wall is served at once.
    await app.register(fastifyStatic, { root: opts.dir, index: ['index.html'] });
    // index.html must not be cached: a new deploy would otherwise keep old hashed bundles alive.
    app.decorate('dashboardIndex', (reply: FastifyReply) =>
      reply.header('Cache-Control', 'no-cache').sendFile('index.html'),
    );
  },
  { name: 'dudao-dashboard', fastify: '5.x' },
);
