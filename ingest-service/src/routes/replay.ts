/**
 * Replay (回放, SPEC §15): `GET /api/v1/replay?scope=&day=` answers a past day (or, without `day`, today so far) as
 * the image it started with and its events with their deltas, decided again from the event log on a
 * scratch world (`ingest/replay-day.ts`). A read like the others: a viewer of the scope, `?token=`
 * for a wall's URL. The live store, the ledger and every other client are left alone.
 */
import type { FastifyInstance } from 'fastify';
import { localTime } from '@dudao/domain';
import { replayDay } from '../ingest/replay-day.ts';
import { parseDay } from './day-range.ts';
import { scopeGuards } from './scope.ts';

export default async function replayRoutes(app: FastifyInstance) {
  const viewer = app.requireKey('viewer', { queryToken: true });
  const { database, registry } = app;
  const { checkScope } = scopeGuards(app);

  app.get(
    '/api/v1/replay',
    {
      onRequest: viewer,
      schema: {
        querystring: {
          type: 'object',
          properties: {
            scope: { type: 'string', pattern: '^(city|[0-9]{6})$' },
            day: { type: 'string' },
            token: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      const q = request.query as { scope?: string; day?: string };
      const scope = q.scope ?? 'city';
      checkScope(request, scope);
      const today = localTime(app.config.now(), registry.city.timezone).day;
      return replayDay({ database, registry }, { scope, day: parseDay('day', q.day ?? today, today) });
    },
  );
}
