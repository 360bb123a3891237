/**
 * Sessions of people (SPEC §12) beside the keys of machines: the cookie, its principal for HTTP and
 * Socket.IO, the CSRF check on cookie-authenticated writes, and the audit of what a request did.
 * `requireKey` (plugins/auth.ts) falls back to `sessionPrincipal` when a request carries no key.
 */
import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { insertAudit, type AuditOutcome, type Database } from '@dudao/db';
import type { Principal } from '../auth/keys.ts';
import { resumeSession, SESSION_COOKIE, type LiveSession } from '../people/sessions.ts';
import { AuthError } from './auth.ts';

/** Prefix of a Socket.IO credential that is a session token rather than a key. */
const SESSION_CREDENTIAL = 'session:';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuditAction {
  action: string;
  outcome: AuditOutcome;
  target?: string;
  detail?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The principal of the request's session cookie, or null when it has none. An unknown or idle
     * session is a 401; a write without the session's `x-csrf-token` a 403.
     */
    sessionPrincipal(request: FastifyRequest): Promise<Principal | null>;
    /** A key token or a `sessionCredential` → its principal (Socket.IO handshakes and sweeps). */
    verifyCredential(credential: string): Promise<Principal | null>;
    /** The Socket.IO credential of a handshake's session cookie, or null. */
    sessionCredential(cookieHeader: string | undefined): string | null;
    setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void;
    clearSessionCookie(reply: FastifyReply): void;
    /** Writes one audit entry for what `request` (by its principal) did. */
    audit(request: FastifyRequest, entry: AuditAction): Promise<void>;
  }
  interface FastifyRequest {
    /** the request's live session, when it came with one */
    liveSession: LiveSession | null;
  }
}

export const principalOfSession = (session: LiveSession): Principal => ({
  keyId: `user:${session.user.login}`,
  role: session.user.role,
  scope: session.user.scope,
  user: { id: session.user.id, login: session.user.login, name: session.user.name },
});

/** Who a principal is in the audit log. */
export const auditLogin = (p: Principal | null): string =>
  p ? (p.user?.login ?? `key:${p.keyId}`) : 'anonymous';

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Behind TLS (directly or at a proxy that says so) the cookie is `Secure`. */
const overTls = (request: FastifyRequest) =>
  request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';

export default fp(
  async (app, opts: { database: Database; now: () => number }) => {
    await app.register(cookie);
    app.decorateRequest('liveSession', null);

    app.decorate('sessionPrincipal', async (request: FastifyRequest) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return null;
      const session = await resumeSession(opts.database, token, opts.now());
      if (!session) throw new AuthError(401, 'the session has ended; sign in again');
      if (!SAFE_METHODS.has(request.method) && !sameToken(request.headers['x-csrf-token'], session.csrfToken))
        throw new AuthError(403, 'a write made with a session cookie must carry its x-csrf-token');
      request.liveSession = session;
      return principalOfSession(session);
    });

    app.decorate('sessionCredential', (header: string | undefined) => {
      const token = header ? app.parseCookie(header)[SESSION_COOKIE] : undefined;
      return token ? `${SESSION_CREDENTIAL}${token}` : null;
    });

    app.decorate('verifyCredential', async (credential: string) => {
      if (!credential.startsWith(SESSION_CREDENTIAL)) return app.verifyToken(credential);
      const session = await resumeSession(
        opts.database,
        credential.slice(SESSION_CREDENTIAL.length),
        opts.now(),
      );
      return session ? principalOfSession(session) : null;
    });

    app.decorate('setSessionCookie', (request: FastifyRequest, reply: FastifyReply, token: string) => {
      // No Max-Age: the browser forgets it when closed; the server ends it after 12 h idle.
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: overTls(request),
      });
    });

    app.decorate('clearSessionCookie', (reply: FastifyReply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
    });

    app.decorate('audit', async (request: FastifyRequest, entry: AuditAction) => {
      await insertAudit(opts.database, {
        at: new Date(opts.now()),
        login: auditLogin(request.principal),
        action: entry.action,
        outcome: entry.outcome,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        target: entry.target ?? null,
        detail: entry.detail ?? null,
      });
    });
  },
  { name: 'dudao-session', fastify: '5.x', dependencies: ['dudao-auth'] },
);
