/**
 * Who answers for what (SPEC §14): per 责任督学 or per 责任区, assigned targets, visited this month,
 * open and overdue issues. A district page reads its district; the wall reads the city's zones.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { responsibility } from '@dudao/db';
import type { ResponsibilityBy, ResponsibilityResponse } from '@dudao/domain';
import { scopeGuards } from './scope.ts';

const byQuery = {
  type: 'object',
  properties: {
    by: { type: 'string', enum: ['supervisor', 'zone'] },
    scope: { type: 'string', pattern: '^(city|[0-9]{6})$' },
    token: { type: 'string' },
  },
} as const;

export default async function responsibilityRoutes(app: FastifyInstance) {
  const viewer = app.requireKey('viewer', { queryToken: true });
  const { database, registry } = app;
  const { checkScope, districtParam, windows } = scopeGuards(app);

  const answer = async (scope: string, request: FastifyRequest): Promise<ResponsibilityResponse> => {
    const by: ResponsibilityBy = (request.query as { by?: ResponsibilityBy }).by ?? 'supervisor';
    const w = windows();
    const districts = scope === 'city' ? [...registry.districtCodes] : [scope];
    return { scope, by, rows: await responsibility(database, { districts, by, ...w }) };
  };

  app.get(
    '/api/v1/districts/:adcode/responsibility',
    { onRequest: viewer, schema: { querystring: byQuery } },
    (request) => answer(districtParam(request), request),
  );

  app.get(
    '/api/v1/responsibility',
    { onRequest: viewer, schema: { querystring: byQuery } },
    async (request) => {
      const scope = (request.query as { scope?: string }).scope ?? 'city';
      checkScope(request, scope);
      return answer(scope, request);
    },
  );
}
