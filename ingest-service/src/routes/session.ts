/** `POST/GET/DELETE /api/v1/session` (SPEC §12): a person signs in, asks who they are, signs out. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { SESSION_COOKIE, signIn, signOut, type SessionUser } from '../people/sessions.ts';

const signInBody = {
  type: 'object',
  required: ['login', 'password'],
  additionalProperties: false,
  properties: {
    login: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

const answer = (user: SessionUser, csrfToken: string) => ({
  login: user.login,
  name: user.name,
  role: user.role,
  scope: user.scope,
  csrfToken,
});

const clientOf = (request: FastifyRequest) => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

export default async function sessionRoutes(app: FastifyInstance) {
  const { database } = app;
  const { now } = app.config;

  app.post('/api/v1/session', { schema: { body: signInBody } }, async (request, reply) => {
    const { login, password } = request.body as { login: string; password: string };
    const result = await signIn(database, { login, password, client: clientOf(request), now: now() });
    if (result.kind === 'throttled') {
      const seconds = Math.ceil(result.retryAfterMs / 1000);
      reply.header('Retry-After', String(seconds));
      throw new HttpError(
        429,
        'rate_limited',
        `too many failed sign-ins for this login; retry in ${seconds} s`,
      );
    }
    // One answer for a wrong login and a wrong password: nothing tells which logins exist.
    if (result.kind === 'failed') throw new HttpError(401, 'unauthorized', 'wrong login or password');
    app.setSessionCookie(request, reply, result.token);
    return answer(result.user, result.csrfToken);
  });

  app.get('/api/v1/session', async (request) => {
    await app.sessionPrincipal(request);
    const session = request.liveSession;
    if (!session) throw new HttpError(401, 'unauthorized', 'not signed in');
    return answer(session.user, session.csrfToken);
  });

  app.delete('/api/v1/session', async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.cookies[SESSION_COOKIE];
    try {
      request.principal = (await app.sessionPrincipal(request))!;
    } catch (err) {
      // A session that has already ended: nothing to end, only the cookie to drop.
      if (!(err instanceof AuthError && err.statusCode === 401)) throw err;
    }
    if (token && request.liveSession) {
      await signOut(database, token);
      await app.audit(request, { action: 'session.delete', outcome: 'ok' });
    }
    app.clearSessionCookie(reply);
    return reply.code(204).send();
  });
}
