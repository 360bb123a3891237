/**
 * The admin's key routes (issue 15): list, create and revoke keys while the service runs (on the
 * embedded default the CLI cannot open DATA_DIR then), by an admin key or an admin's session. An
 * admin of a district manages that district's keys only; a city admin every key. A revocation
 * reaches every instance at once. Both writes go to the audit log (`key.create`, `key.revoke`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminKeyList, CreatedAdminKey, RevokedAdminKey } from '@dudao/domain';
import { authorize } from '../auth/authorize.ts';
import { EXPIRY_FORMAT, ExpiryError, parseExpiry } from '../auth/expiry.ts';
import {
  CITY_SCOPE,
  createKey,
  KEY_ROLES,
  keyById,
  listKeys,
  revokeKey,
  type KeyListing,
  type Principal,
} from '../auth/keys.ts';
import { HttpError } from '../plugins/errors.ts';

const MAX_LABEL_CHARS = 100;

const createBody = {
  type: 'object',
  required: ['role', 'scope'],
  additionalProperties: false,
  properties: {
    role: { enum: KEY_ROLES },
    scope: { type: 'string', pattern: '^(city|[0-9]{6})$' },
    label: { type: ['string', 'null'], maxLength: MAX_LABEL_CHARS },
    expires: { type: ['string', 'null'] },
  },
} as const;

interface CreateBody {
  role: (typeof KEY_ROLES)[number];
  scope: string;
  label?: string | null;
  expires?: string | null;
}

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{8}$' } },
} as const;

type KeyState = 'active' | 'expired' | 'revoked';

const stateOf = (key: KeyListing, nowMs: number): KeyState =>
  key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt.getTime() <= nowMs ? 'expired' : 'active';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** The wall of a viewer key, on the address the admin reached the service at. */
const wallUrl = (request: FastifyRequest, token: string) =>
  `${request.protocol}://${request.host}/?token=${encodeURIComponent(token)}`;

export default async function adminKeyRoutes(app: FastifyInstance) {
  const admin = app.requireKey('admin');
  const { database, registry } = app;
  const { now } = app.config;

  /** A scope this admin may hand out keys for: the city's districts, within its own scope. */
  const checkReach = (principal: Principal, scope: string, path: string) => {
    if (scope !== CITY_SCOPE && !registry.districtCodes.has(scope))
      throw new HttpError(400, 'invalid_body', `no district ${scope} in this city`, [
        { path, message: `must be "city" or a district of ${registry.city.name}` },
      ]);
    const denial = authorize(principal, { role: 'admin', scope });
    if (denial) throw new HttpError(denial.status, denial.code, denial.message);
  };

  app.get('/api/v1/admin/keys', { onRequest: admin }, async (request, reply) => {
    const [keys, sockets] = await Promise.all([
      listKeys(database, { scope: request.principal.scope }),
      app.keySockets(),
    ]);
    const t = now();
    return reply.header('Cache-Control', 'no-store').send({
      keys: keys.map((key) => {
        // A use not written yet (this instance's, newer than the stored one) is shown already.
        const unwritten = app.keyUsage.unwritten(key.id);
        const newer = unwritten && (!key.lastUsedAt || unwritten.at > key.lastUsedAt);
        return {
          id: key.id,
          label: key.label,
          role: key.role,
          scope: key.scope,
          state: stateOf(key, t),
          createdAt: key.createdAt.toISOString(),
          expiresAt: iso(key.expiresAt),
          revokedAt: iso(key.revokedAt),
          lastUsedAt: iso(newer ? unwritten.at : key.lastUsedAt),
          lastUsedFrom: newer ? unwritten.from : key.lastUsedFrom,
          sockets: sockets.counts.get(key.id) ?? 0,
        };
      }),
      socketsCountedOn: sockets.countedOn,
    } satisfies AdminKeyList);
  });

  app.post<{ Body: CreateBody }>(
    '/api/v1/admin/keys',
    { onRequest: admin, schema: { body: createBody } },
    async (request, reply) => {
      const body = request.body;
      checkReach(request.principal, body.scope, '/scope');
      let expiresAt: Date | null = null;
      try {
        expiresAt = body.expires ? parseExpiry(body.expires, now()) : null;
      } catch (err) {
        if (!(err instanceof ExpiryError)) throw err;
        throw new HttpError(400, 'invalid_body', err.message, [
          { path: '/expires', message: `must be ${EXPIRY_FORMAT}, in the future` },
        ]);
      }
      const key = await createKey(database, {
        role: body.role,
        scope: body.scope,
        label: body.label?.trim() || null,
        expiresAt,
      });
      await app.audit(request, {
        action: 'key.create',
        outcome: 'ok',
        target: key.keyId,
        detail: { role: key.role, scope: key.scope, label: key.label, expiresAt: iso(expiresAt) },
      });
      // Shown once: no cache between here and the admin may keep it.
      return reply
        .code(201)
        .header('Cache-Control', 'no-store')
        .send({
          id: key.keyId,
          label: key.label,
          role: key.role,
          scope: key.scope,
          createdAt: key.createdAt.toISOString(),
          expiresAt: iso(expiresAt),
          token: key.token,
          ...(key.role === 'viewer' ? { wallUrl: wallUrl(request, key.token) } : {}),
        } satisfies CreatedAdminKey);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/admin/keys/:id/revoke',
    { onRequest: admin, schema: { params: idParams } },
    async (request) => {
      const { id } = request.params;
      const key = await keyById(database, id);
      if (!key) throw new HttpError(404, 'not_found', `no key ${id}`);
      const denial = authorize(request.principal, { role: 'admin', scope: key.scope });
      if (denial) throw new HttpError(denial.status, denial.code, denial.message);
      const revoked = await revokeKey(database, id, new Date(now()));
      if (!revoked) throw new HttpError(404, 'not_found', `no key ${id}`);
      app.forgetKey(id);
      app.keyEvents.emit('revoked', id);
      await app.audit(request, { action: 'key.revoke', outcome: 'ok', target: id });
      return { id, revokedAt: revoked.revokedAt.toISOString() } satisfies RevokedAdminKey;
    },
  );
}
