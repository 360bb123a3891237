/**
 * Plans (SPEC §14): `POST /api/v1/plans` (an admin of the plan's scope; the same id with the same
 * content again is a harmless 200, with other content a 409), `GET /api/v1/plans?scope=` with each
 * plan's progress counted now, and `GET /api/v1/plans/:id/unvisited?district=`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { insertPlan, planById, unknownPlanTargets, unvisitedTargets } from '@dudao/db';
import {
  MAX_PLAN_PHASES,
  MAX_PLAN_TARGET_IDS,
  MAX_PLAN_TITLE_CHARS,
  PLAN_KINDS,
  SCHOOL_STAGES,
  TARGET_KINDS,
  THEMES,
  planContent,
  planProblems,
  planVisibleIn,
  type PlanInput,
  type StoredPlan,
  type UnvisitedResponse,
} from '@dudao/domain';
import { authorize } from '../auth/authorize.ts';
import { HttpError } from '../plugins/errors.ts';
import { auditLogin } from '../plugins/session.ts';
import { scopeGuards } from './scope.ts';

const DAY = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } as const;
const name = { type: 'string', minLength: 1, maxLength: MAX_PLAN_TITLE_CHARS } as const;

const planBody = {
  type: 'object',
  required: ['id', 'kind', 'title', 'scope', 'from', 'to', 'targets'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{4,64}$' },
    kind: { type: 'string', enum: [...PLAN_KINDS] },
    title: name,
    scope: { type: 'string', pattern: '^(city|[0-9]{6})$' },
    from: DAY,
    to: DAY,
    theme: { type: 'string', enum: [...THEMES] },
    phases: {
      type: 'array',
      maxItems: MAX_PLAN_PHASES,
      items: {
        type: 'object',
        required: ['name', 'from', 'to'],
        additionalProperties: false,
        properties: { name, from: DAY, to: DAY },
      },
    },
    targets: {
      type: 'object',
      required: ['kind'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: [...TARGET_KINDS] },
        stages: { type: 'array', items: { type: 'string', enum: [...SCHOOL_STAGES] } },
        ids: {
          type: 'array',
          maxItems: MAX_PLAN_TARGET_IDS,
          items: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
        },
      },
    },
  },
} as const;

const scopeQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { scope: { type: 'string', pattern: '^(city|[0-9]{6})$' }, token: { type: 'string' } },
} as const;

const unvisitedQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { district: { type: 'string', pattern: '^[0-9]{6}$' }, token: { type: 'string' } },
} as const;

const planParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
} as const;

export default async function planRoutes(app: FastifyInstance) {
  const viewer = app.requireKey('viewer', { queryToken: true });
  const admin = app.requireKey('admin');
  const { database, registry, plans } = app;
  const { checkScope } = scopeGuards(app);

  /** Every rule of domain/plans.ts, then the listed targets against the registry of the scope. */
  const problemsOf = async (p: PlanInput) => {
    const problems = planProblems(p, registry.districtCodes);
    if (problems.length === 0 && p.targets.ids) {
      const districts = p.scope === 'city' ? [...registry.districtCodes] : [p.scope];
      const unknown = new Set(
        await unknownPlanTargets(database, { kind: p.targets.kind, ids: p.targets.ids, districts }),
      );
      p.targets.ids.forEach((id, i) => {
        if (unknown.has(id))
          problems.push({
            path: `/targets/ids/${i}`,
            message: `no ${p.targets.kind} ${id} in ${p.scope}`,
            code: 'target_unknown',
            params: { kind: p.targets.kind, id, scope: p.scope },
          });
      });
    }
    return problems;
  };

  app.post('/api/v1/plans', { onRequest: admin, schema: { body: planBody } }, async (request, reply) => {
    const body = request.body as PlanInput;
    const denial = authorize(request.principal, { role: 'admin', scope: body.scope });
    if (denial) throw new HttpError(denial.status, denial.code, denial.message);
    const problems = await problemsOf(body);
    if (problems.length > 0)
      throw new HttpError(400, 'invalid_body', 'the plan breaks the rules named in details', problems);
    if (!(await insertPlan(database, body, auditLogin(request.principal)))) {
      const existing = (await planById(database, body.id))!;
      if (planContent(existing) !== planContent(body))
        throw new HttpError(409, 'conflict', `plan ${body.id} exists with other content`);
      return reply.code(200).send(existing);
    }
    await app.audit(request, { action: 'plan.create', outcome: 'ok', target: body.id, detail: { ...body } });
    plans.planMade();
    return reply.code(201).send(await planById(database, body.id));
  });

  app.get('/api/v1/plans', { onRequest: viewer, schema: { querystring: scopeQuery } }, async (request) => {
    const scope = (request.query as { scope?: string }).scope ?? request.principal.scope;
    checkScope(request, scope);
    return plans.read(scope);
  });

  /** The plan, when the caller may see it (404 otherwise: its id tells nothing). */
  const visiblePlan = async (request: FastifyRequest): Promise<StoredPlan> => {
    const { id } = request.params as { id: string };
    const plan = await planById(database, id);
    if (!plan || !planVisibleIn(plan.scope, request.principal.scope))
      throw new HttpError(404, 'not_found', `no plan ${id}`);
    return plan;
  };

  app.get(
    '/api/v1/plans/:id/unvisited',
    { onRequest: viewer, schema: { params: planParams, querystring: unvisitedQuery } },
    async (request) => {
      const plan = await visiblePlan(request);
      const district = (request.query as { district?: string }).district;
      const districts = district
        ? [district]
        : plans
            .districtsOf(plan)
            .filter((d) => request.principal.scope === 'city' || d === request.principal.scope);
      if (district) {
        if (!plans.districtsOf(plan).includes(district))
          throw new HttpError(404, 'not_found', `plan ${plan.id} does not cover district ${district}`);
        checkScope(request, district);
      }
      const targets = await unvisitedTargets(database, {
        plan,
        districts,
        window: plans.span(plan.from, plan.to),
        phases: [],
      });
      const answer: UnvisitedResponse = { plan: plan.id, districts, targets };
      return answer;
    },
  );
}
