/**
 * Helmet's security headers on every response, computed once at start. @fastify/helmet built
 * helmet's middleware again on every request (parsing the CSP directives each time): 5–8 % of the
 * service's CPU in the single-event ingest profile. Without CSP nonces the headers are the same
 * for every request, so helmet runs once against a recorder and each request gets the result.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    // An issue's photos are https URLs of wherever the mini-program stored them (SPEC §13).
    directives: { upgradeInsecureRequests: null, imgSrc: ["'self'", 'data:', 'https:'] },
  },
};

/** The headers helmet sets (and none it removes), as [name, value] pairs. */
function helmetHeaders(options: HelmetOptions): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number) => headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return [...headers];
}

export default fp(
  async (app) => {
    const headers = helmetHeaders(HELMET_OPTIONS);
    app.addHook('onRequest', (_request, reply, done) => {
      for (const [name, value] of headers) reply.raw.setHeader(name, value);
      done();
    });
  },
  { name: 'dudao-security-headers', fastify: '5.x' },
);
