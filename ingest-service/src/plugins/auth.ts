/**
 * Key checks (SPEC §9), one code path for HTTP and Socket.IO: `verifyToken` finds a key's role and
 * scope; `requireKey(role)` guards a route and notes the key's use (`keyUsage`, written in batches).
 * Verified keys are cached briefly: an expired key is refused at once (its expiry is in the cache),
 * a revoked one at once where `forgetKey` is called (every instance, through the socket plugin's
 * broadcast), and within KEY_CACHE_MS when revoked behind the service's back (`pnpm keys revoke`).
 */
import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Database } from '@dudao/db';
import { KEY_CACHE_MS, KEY_USAGE_FLUSH_MS } from '../config.ts';
import { authorize } from '../auth/authorize.ts';
import { KeyUsageLog } from '../auth/key-usage.ts';
import { findPrincipal, isExpired, type Principal, type Role } from '../auth/keys.ts';

/** `revoked` (keyId): a key was revoked through this instance. */
export type KeyEvents = EventEmitter<{ revoked: [keyId: string] }>;

declare module 'fastify' {
  interface FastifyInstance {
    verifyToken(token: string): Promise<Principal | null>;
    /**
     * A key, or else a person's session cookie (SPEC §12), in `role`. `queryToken`: also accept
     * `?token=` (a wall's URL) — for viewer keys only.
     */
    requireKey(role: Role, options?: { queryToken?: boolean }): onRequestHookHandler;
    /** Drops what this instance remembers of a key, so its next use is checked against the database. */
    forgetKey(keyId: string): void;
    keyUsage: KeyUsageLog;
    keyEvents: KeyEvents;
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
    const live = (principal: Principal | null) =>
      principal && !isExpired(principal, now()) ? principal : null;

    app.decorate('verifyToken', async (token: string) => {
      const hit = cache.get(token);
      if (hit && hit.until > now()) return live(hit.principal);
      let principal: Principal | null;
      try {
        principal = await findPrincipal(opts.database, token);
      } catch (err) {
        // The database is away: a key it confirmed before still opens what Redis can serve (the
        // wall's metrics); no key can be revoked meanwhile anyway. An unknown key gets the 503.
        if (hit) return live(hit.principal);
        throw err;
      }
      if (cache.size >= MAX_CACHED_KEYS) cache.clear();
      cache.set(token, { principal, until: now() + KEY_CACHE_MS });
      return live(principal);
    });

    app.decorate('forgetKey', (keyId: string) => {
      for (const [token, entry] of cache) if (entry.principal?.keyId === keyId) cache.delete(token);
    });
    app.decorate('keyEvents', new EventEmitter() as KeyEvents);

    const usage = new KeyUsageLog({
      database: opts.database,
      flushMs: KEY_USAGE_FLUSH_MS,
      now,
      onError: (err) => app.log.warn({ err }, "writing the keys' last use failed; kept for the next try"),
    });
    app.decorate('keyUsage', usage);
    usage.start();
    app.addHook('onClose', async () => {
      await usage.stop().catch((err: unknown) => app.log.warn({ err }, "the keys' last use was not written"));
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
        if (!principal!.user) usage.record(principal!.keyId, request.ip);
      };
    });
  },
  { name: 'dudao-auth', fastify: '5.x' },
);
