/**
 * For admins (SPEC §12): the people who sign in (`/api/v1/users`, the same operations as
 * `pnpm users`) and the audit log (`/api/v1/audit`). A key of role admin may use them too.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listAudit } from '@dudao/db';
import { HttpError } from '../plugins/errors.ts';
import { auditLogin } from '../plugins/session.ts';
import {
  createUser,
  disableUser,
  listUsers,
  LOGIN_PATTERN,
  resetPassword,
  USER_ROLES,
  UserInputError,
  type Actor,
  type UserRole,
} from '../people/users.ts';

const DEFAULT_AUDIT_PAGE = 100;
const MAX_AUDIT_PAGE = 1000;

const password = { type: 'string', minLength: 1, maxLength: 256 } as const;
const createBody = {
  type: 'object',
  required: ['login', 'name', 'role', 'scope'],
  additionalProperties: false,
  properties: {
    login: { type: 'string', pattern: LOGIN_PATTERN },
    name: { type: 'string', minLength: 1, maxLength: 64 },
    role: { type: 'string', enum: [...USER_ROLES] },
    scope: { type: 'string', pattern: '^(city|[0-9]{6})$' },
    password,
  },
} as const;
const loginParams = {
  type: 'object',
  required: ['login'],
  properties: { login: { type: 'string', maxLength: 64 } },
} as const;
const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    login: { type: 'string', maxLength: 80 },
    limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
    cursor: { type: 'string', pattern: '^[0-9]{1,18}$' },
  },
} as const;

const actorOf = (request: FastifyRequest): Actor => ({
  login: auditLogin(request.principal),
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

function asHttpError(err: unknown): never {
  if (err instanceof UserInputError) throw new HttpError(400, 'invalid_body', err.message);
  throw err;
}

export default async function peopleRoutes(app: FastifyInstance) {
  const admin = app.requireKey('admin');
  const { database, snapshots } = app;
  const { now } = app.config;

  app.get('/api/v1/users', { onRequest: admin }, async () => ({ users: await listUsers(database) }));

  app.post('/api/v1/users', { onRequest: admin, schema: { body: createBody } }, async (request, reply) => {
    const body = request.body as {
      login: string;
      name: string;
      role: UserRole;
      scope: string;
      password?: string;
    };
    const made = await createUser(database, body, {
      actor: actorOf(request),
      isScope: snapshots.isScope,
      now: new Date(now()),
    }).catch(asHttpError);
    return reply
      .code(201)
      .send({ user: made.user, ...(made.oneTime ? { oneTimePassword: made.password } : {}) });
  });

  app.post(
    '/api/v1/users/:login/disable',
    { onRequest: admin, schema: { params: loginParams } },
    async (request) => {
      const { login } = request.params as { login: string };
      if (!(await disableUser(database, login, { actor: actorOf(request), now: new Date(now()) })))
        throw new HttpError(404, 'not_found', `no user ${login}`);
      return { login, disabled: true };
    },
  );

  app.post(
    '/api/v1/users/:login/reset-password',
    {
      onRequest: admin,
      schema: {
        params: loginParams,
        body: { type: ['object', 'null'], additionalProperties: false, properties: { password } },
      },
    },
    async (request) => {
      const { login } = request.params as { login: string };
      const chosen = (request.body as { password?: string } | null)?.password;
      const next = await resetPassword(database, login, {
        actor: actorOf(request),
        password: chosen,
        now: new Date(now()),
      }).catch(asHttpError);
      if (next === null) throw new HttpError(404, 'not_found', `no user ${login}`);
      return { login, ...(chosen === undefined ? { oneTimePassword: next } : {}) };
    },
  );

  app.get('/api/v1/audit', { onRequest: admin, schema: { querystring: auditQuery } }, async (request) => {
    const q = request.query as {
      from?: string;
      to?: string;
      login?: string;
      limit?: string;
      cursor?: string;
    };
    const limit = Math.min(Math.max(Number(q.limit ?? DEFAULT_AUDIT_PAGE), 1), MAX_AUDIT_PAGE);
    const rows = await listAudit(database, {
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
      ...(q.login ? { login: q.login } : {}),
      ...(q.cursor ? { beforeId: Number(q.cursor) } : {}),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit).map((r) => ({ ...r, at: r.at.toISOString() }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? String(last.id) : null };
  });
}
