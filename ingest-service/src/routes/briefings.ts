/**
 * The daily briefings (督导简报, SPEC §10, §15) over HTTP: the list of days, and one day's page as the
 * self-contained HTML the nightly stored, of the city or (`?scope=<adcode>`) of one district. The
 * city's covers every district, so it needs a viewer key of the city; a district's is read by keys
 * and users of that district (and of the city). `?token=` works as on the other read routes, so the
 * district page can link to it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listBriefings, readBriefing } from '@dudao/db';
import { HttpError } from '../plugins/errors.ts';
import { scopeGuards } from './scope.ts';

const DEFAULT_LIST_LIMIT = 60;
const MAX_LIST_LIMIT = 400;
/** A stored briefing changes only when the nightly is re-run for its day. */
const BRIEFING_CACHE_SECONDS = 300;

export default async function briefingRoutes(app: FastifyInstance) {
  const viewer = app.requireKey('viewer', { queryToken: true });
  const { database } = app;
  const { checkScope } = scopeGuards(app);
  /** The scope asked for (the city unless named), checked against the caller's. */
  const scopeOf = (request: FastifyRequest): string => {
    const scope = (request.query as { scope?: string }).scope ?? 'city';
    checkScope(request, scope);
    return scope;
  };
  const scopeParam = { type: 'string', pattern: '^(city|[0-9]{6})$' } as const;

  app.get(
    '/api/v1/briefings',
    {
      onRequest: viewer,
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
            scope: scopeParam,
            token: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const limit = Number((request.query as { limit?: string }).limit ?? DEFAULT_LIST_LIMIT);
      if (limit < 1) throw new HttpError(400, 'invalid_body', 'limit must be a positive integer');
      const briefings = await listBriefings(database, { limit: Math.min(limit, MAX_LIST_LIMIT), scope });
      const query = scope === 'city' ? '' : `?scope=${scope}`;
      return {
        scope,
        briefings: briefings.map((b) => ({ ...b, path: `/api/v1/briefings/${b.day}${query}` })),
      };
    },
  );

  app.get(
    '/api/v1/briefings/:date',
    {
      onRequest: viewer,
      schema: {
        params: {
          type: 'object',
          properties: { date: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } },
          required: ['date'],
        },
        querystring: { type: 'object', properties: { scope: scopeParam, token: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { date } = request.params as { date: string };
      const parsed = new Date(`${date}T00:00:00Z`);
      if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date)
        throw new HttpError(400, 'invalid_body', `${date} is not a calendar day`);
      const html = await readBriefing(database, date, scope);
      if (html === null) throw new HttpError(404, 'not_found', `no briefing of ${scope} for ${date}`);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', `private, max-age=${BRIEFING_CACHE_SECONDS}`)
        .send(html);
    },
  );
}
