/**
 * Key checks (SPEC §9), one code path for HTTP and Socket.IO: `verifyToken` finds a key's role and
 * scope; `requireKey(role)` guards a route. Verified keys are cached briefly (revocation lag ≤ KEY_CACHE_MS).
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Database } from '@dudao/db';
import { KEY_CACHE_MS } from '../config.ts';
import { authorize } from '../auth/authorize.ts';
import { findPrincipal, type Principal, type Role } from '../auth/keys.ts';

declare module 'fastify' {
  interface FastifyInstance {
    verifyToken(token: string): Promise<Principal | null>;
    /**
     * A key, or else a person's session cookie (SPEC §12), in `role`. `queryToken`: also accept
     * `?token=` (a wall's URL) — for viewer keys only.
     */
    requireKey(role: Role, options?: { queryToken?: boolean }): onRequestHookHandler;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

/** Bounds the cache so a flood of random tokens cannot grow it without limit. */
const MAX_CACHED_KEYS = 10_000;

export class AuthError extends Error {
  constructor(
    readonly statusCode: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

export default fp(
  async (app, opts: { database: Database; now?: () => number }) => {
    const now = opts.now ?? Date.now;
    const cache = new Map<string, { principal: Principal | null; until: number }>();

    app.decorate('verifyToken', async (token: string) => {
      const hit = cache.get(token);
      if (hit && hit.until > now()) return hit.principal;
      let principal: Principal | null;
      try {
        principal = await findPrincipal(opts.database, token);
      } catch (err) {
        // The database is away: a key it confirmed before still opens what Redis can serve (the
        // wall's metrics); no key can be revoked meanwhile anyway. An unknown key gets the 503.
        if (hit) return hit.principal;
        throw err;
      }
      if (cache.size >= MAX_CACHED_KEYS) cache.clear();
      cache.set(token, { principal, until: now() + KEY_CACHE_MS });
      return principal;
    });

    app.decorateRequest('principal', null as unknown as Principal);

    app.decorate('requireKey', (role: Role, options: { queryToken?: boolean } = {}) => {
      return async (request: FastifyRequest, _reply: FastifyReply) => {
        const header = bearerToken(request);
        const query = (request.query as { token?: unknown } | undefined)?.token;
        const fromQuery = !header && options.queryToken && typeof query === 'string' ? query : null;
        const token = header ?? fromQuery;
        const principal = token ? await app.verifyToken(token) : await app.sessionPrincipal(request);
        if (!token && !principal)
          throw new AuthError(401, 'an API key (Authorization: Bearer <key>) or a session is required');
        const denial = authorize(principal, { role, fromUrl: fromQuery !== null });
        if (denial) throw new AuthError(denial.status, denial.message);
        request.principal = principal!;
      };
    });
  },
  { name: 'dudao-auth', fastify: '5.x' },
);
