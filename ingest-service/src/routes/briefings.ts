/**
 * The briefings (SPEC §10, §15) over HTTP: the daily 督导简报 and the monthly 月报 — the list of a
 * kind's periods, and one period's page (a day `YYYY-MM-DD` or a month `YYYY-MM`) as the
 * self-contained HTML the nightly stored, of the city or (`?scope=<adcode>`) of one district. The
 * city's covers every district, so it needs a viewer key of the city; a district's is read by keys
 * and users of that district (and of the city). `?token=` works as on the other read routes, so the
 * district page can link to it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listBriefings, readBriefing, type BriefingKind } from '@dudao/db';
import { firstDayOfMonth, isCalendarDay } from '@dudao/domain';
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
            kind: { type: 'string', enum: ['daily', 'monthly'] },
            token: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      const scope = scopeOf(request);
      const query = request.query as { limit?: string; kind?: BriefingKind };
      const kind = query.kind ?? 'daily';
      const limit = Number(query.limit ?? DEFAULT_LIST_LIMIT);
      if (limit < 1) throw new HttpError(400, 'invalid_body', 'limit must be a positive integer');
      const briefings = await listBriefings(database, {
        limit: Math.min(limit, MAX_LIST_LIMIT),
        scope,
        kind,
      });
      const scoped = scope === 'city' ? '' : `?scope=${scope}`;
      return {
        scope,
        kind,
        briefings: briefings.map(({ day, issueNo, generatedAt }) => {
          // A 月报 is stored under its month's first day and named by its month.
          const period = kind === 'monthly' ? day.slice(0, 7) : day;
          const named = kind === 'monthly' ? { month: period } : { day };
          return {
            ...named,
            kind,
            period,
            issueNo,
            generatedAt,
            path: `/api/v1/briefings/${period}${scoped}`,
          };
        }),
      };
    },
  );

  app.get(
    '/api/v1/briefings/:period',
    {
      onRequest: viewer,
      schema: {
        params: {
          type: 'object',
          properties: { period: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$' } },
          required: ['period'],
        },
        querystring: { type: 'object', properties: { scope: scopeParam, token: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request);
      const { period } = request.params as { period: string };
      // YYYY-MM-DD: a day's briefing; YYYY-MM: a month's 月报.
      const kind: BriefingKind = period.length === 7 ? 'monthly' : 'daily';
      const day = kind === 'monthly' ? firstDayOfMonth(period) : period;
      if (!isCalendarDay(day))
        throw new HttpError(
          400,
          'invalid_body',
          `${period} is not a calendar ${kind === 'monthly' ? 'month' : 'day'}`,
        );
      const html = await readBriefing(database, day, scope, kind);
      if (html === null)
        throw new HttpError(
          404,
          'not_found',
          `no ${kind === 'monthly' ? '月报' : 'briefing'} of ${scope} for ${period}`,
        );
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', `private, max-age=${BRIEFING_CACHE_SECONDS}`)
        .send(html);
    },
  );
}
