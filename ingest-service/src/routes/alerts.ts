/**
 * Alerts (SPEC §15): the firings of a scope (`GET /api/v1/alerts`, what the wall's strip and the
 * district page's 告警 tab show), a supervisor's acknowledgement (`POST /api/v1/alerts/:id/ack`,
 * audited as `alert.ack`), and for admins the rules' thresholds (`GET`/`PUT
 * /api/v1/admin/alerts/rules`, audited as `alert.rules.update`) and the webhook delivery log
 * (`GET /api/v1/admin/alerts/deliveries`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AlertConfigError, parseAlertRules } from '@dudao/domain';
import { acknowledgeFiring, firingById, listDeliveries, listFirings, type AlertListState } from '@dudao/db';
import { authorize } from '../auth/authorize.ts';
import { CITY_SCOPE } from '../auth/keys.ts';
import { HttpError } from '../plugins/errors.ts';
import { auditLogin } from '../plugins/session.ts';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

const pageProperties = {
  limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
  cursor: { type: 'string', pattern: '^[0-9]{1,18}$' },
} as const;
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    scope: { type: 'string', pattern: '^(city|[0-9]{6})$' },
    state: { type: 'string', enum: ['open', 'acknowledged', 'all'] },
    token: { type: 'string' },
    ...pageProperties,
  },
} as const;
const deliveriesQuery = { type: 'object', additionalProperties: false, properties: pageProperties } as const;
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[0-9]{1,18}$' } },
} as const;
const rulesBody = {
  type: 'object',
  required: ['rules'],
  additionalProperties: false,
  properties: { rules: { type: 'object' } },
} as const;

const pageOf = (q: { limit?: string; cursor?: string }) => ({
  limit: Math.min(Math.max(Number(q.limit ?? DEFAULT_PAGE), 1), MAX_PAGE),
  ...(q.cursor ? { beforeId: Number(q.cursor) } : {}),
});

/** The page and the cursor of the next one (the last id shown), from a query of `limit + 1` rows. */
function paged<T extends { id: number }, U>(rows: T[], limit: number, map: (row: T) => U) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > limit && last ? String(last.id) : null };
}

export default async function alertRoutes(app: FastifyInstance) {
  const viewer = app.requireKey('viewer', { queryToken: true });
  const supervisor = app.requireKey('supervisor');
  const admin = app.requireKey('admin');
  const { database, registry, snapshots, alerts } = app;
  const { now } = app.config;

  const check = (request: FastifyRequest, role: 'viewer' | 'supervisor' | 'admin', scope: string) => {
    if (!snapshots.isScope(scope)) throw new HttpError(404, 'not_found', `no scope ${scope} in this city`);
    const denial = authorize(request.principal, { role, scope });
    if (denial) throw new HttpError(denial.status, denial.code, denial.message);
  };
  const districtsOf = (scope: string) => (scope === CITY_SCOPE ? [...registry.districtCodes] : [scope]);

  app.get('/api/v1/alerts', { onRequest: viewer, schema: { querystring: listQuery } }, async (request) => {
    const q = request.query as { scope?: string; state?: AlertListState; limit?: string; cursor?: string };
    const scope = q.scope ?? request.principal.scope;
    check(request, 'viewer', scope);
    const page = pageOf(q);
    const rows = await listFirings(database, {
      districts: districtsOf(scope),
      state: q.state ?? 'all',
      ...page,
      limit: page.limit + 1,
    });
    return paged(rows, page.limit, alerts.item);
  });

  app.post(
    '/api/v1/alerts/:id/ack',
    { onRequest: supervisor, schema: { params: idParams } },
    async (request) => {
      const id = Number((request.params as { id: string }).id);
      const firing = await firingById(database, id);
      if (!firing) throw new HttpError(404, 'not_found', `no alert ${id}`);
      check(request, 'supervisor', firing.district);
      const result = await acknowledgeFiring(database, id, auditLogin(request.principal), new Date(now()));
      if (!result) throw new HttpError(404, 'not_found', `no alert ${id}`);
      const alert = alerts.item(result.row);
      await app.audit(request, {
        action: 'alert.ack',
        outcome: 'ok',
        target: alert.id,
        detail: { rule: alert.rule, district: alert.district, ...(result.changed ? {} : { already: true }) },
      });
      if (result.changed) alerts.announce(alert);
      return { alert };
    },
  );

  const publicRules = async () => {
    const inForce = await alerts.rules();
    return {
      ...inForce,
      // What each webhook is, never where it points or its secret.
      webhooks: alerts.file.webhooks.map(({ name, kind, msgtype, scope, rules, secret }) => ({
        name,
        kind,
        msgtype,
        scope,
        rules,
        signed: secret !== null,
      })),
    };
  };

  app.get('/api/v1/admin/alerts/rules', { onRequest: admin }, publicRules);

  app.put(
    '/api/v1/admin/alerts/rules',
    { onRequest: admin, schema: { body: rulesBody } },
    async (request) => {
      // The rules hold for the whole city: only a city admin sets them.
      check(request, 'admin', CITY_SCOPE);
      let rules;
      try {
        rules = parseAlertRules((request.body as { rules: unknown }).rules, 'rules', '/rules');
      } catch (err) {
        if (!(err instanceof AlertConfigError)) throw err;
        throw new HttpError(400, 'invalid_body', 'the rules are not valid', err.problems);
      }
      await alerts.setRules(rules, auditLogin(request.principal));
      await app.audit(request, {
        action: 'alert.rules.update',
        outcome: 'ok',
        target: 'rules',
        detail: { rules },
      });
      return publicRules();
    },
  );

  app.get(
    '/api/v1/admin/alerts/deliveries',
    { onRequest: admin, schema: { querystring: deliveriesQuery } },
    async (request) => {
      const page = pageOf(request.query as { limit?: string; cursor?: string });
      const rows = await listDeliveries(database, {
        districts: districtsOf(request.principal.scope),
        ...page,
        limit: page.limit + 1,
      });
      return paged(rows, page.limit, (r) => ({ ...r, firingId: String(r.firingId), at: r.at.toISOString() }));
    },
  );
}
