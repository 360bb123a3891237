/**
 * Serves the built dashboard at `/` when `dashboard/dist` exists (the API works without it). The
 * build writes a `.br` and a `.gz` beside every text asset; the one the browser accepts is sent as
 * is (`Content-Encoding`, `Vary: Accept-Encoding`), no compression work per request. Hashed assets
 * never change under their name and are cached for a year; index.html is revalidated every time.
 */
import { existsSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    dashboardIndex(reply: FastifyReply): FastifyReply;
  }
}

/** Vite writes every hashed file (JS, CSS, fonts) to `assets/`. */
const HASHED_DIR = `${sep}assets${sep}`;
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** index.html must not be cached: a new deploy would otherwise keep old hashed bundles alive. */
export const REVALIDATE_CACHE = 'no-cache';

export default fp(
  async (app, opts: { dir: string }) => {
    if (!existsSync(join(opts.dir, 'index.html'))) {
      app.log.warn(`no built dashboard in ${opts.dir}: run \`pnpm build\` to serve the wall`);
      return;
    }
    // Wildcard lookup (not a route per file found at start-up), so a rebuilt wall is served at once.
    await app.register(fastifyStatic, {
      root: opts.dir,
      index: ['index.html'],
      preCompressed: true,
      setHeaders(reply, path) {
        const hashed = path.slice(opts.dir.length).includes(HASHED_DIR);
        if (hashed) reply.header('cache-control', IMMUTABLE_CACHE);
        else if (basename(path).startsWith('index.html')) reply.header('cache-control', REVALIDATE_CACHE);
      },
    });
    app.decorate('dashboardIndex', (reply: FastifyReply) => reply.sendFile('index.html'));
  },
  { name: 'dudao-dashboard', fastify: '5.x' },
);
