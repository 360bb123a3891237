/**
 * Issue 15, no secret in any log: a real service logging everything (trace) into a captured stream
 * serves requests carrying each kind of secret, and none of them is in what it wrote.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm';
import { pino } from 'pino';
import { REDACTED, REDACTION_OPTIONS, redactUrl } from '../../src/auth/log-redaction.ts';
import { startTestService, type TestService } from '../../testing/index.ts';
import { connectLive } from '../trust/live-client.ts';

/** Every line the logger writes, as written. */
class CapturedLog extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

const secret = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;

const log = new CapturedLog();
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ logger: { level: 'trace', stream: log } });
});
afterAll(() => svc?.close());

async function send(path: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(`${svc.url}${path}`, init);
  await res.arrayBuffer();
  return res.status;
}

/** A person's sign-in as the dashboard does it: the session cookie and its CSRF token. */
async function signIn(login: string, password: string) {
  const res = await fetch(`${svc.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  const body = (await res.json()) as { csrfToken?: string };
  const cookie = /dudao_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  return { status: res.status, cookie, csrfToken: body.csrfToken };
}

describe('the service logs no secret', () => {
  it('keys in the URL and the Authorization header, cookies and CSRF headers stay out', async () => {
    const unknownKey = `dd_0badc0de_${randomBytes(32).toString('base64url')}`;
    const cookie = secret('sess-');
    const csrf = secret('csrf-');
    const statuses = [
      await send(`/api/v1/metrics?scope=city&token=${svc.keys.viewer}`),
      await send(`/api/v1/city?token=${encodeURIComponent(svc.keys.admin)}&lang=en`),
      await send(`/api/v1/city?TOKEN=${unknownKey}`),
      await send(`/api/v1/no-such-route/${unknownKey}?token=${svc.keys.viewer}`),
      await send('/api/v1/city', { headers: { authorization: `Bearer ${svc.keys.viewer}` } }),
      await send('/api/v1/city', { headers: { authorization: `Bearer ${unknownKey}` } }),
      await send('/api/v1/city', { headers: { cookie: `dudao_session=${cookie}`, 'x-csrf-token': csrf } }),
    ];
    expect(statuses).toEqual([200, 403, 401, 404, 200, 401, 401]);
    const wall = await connectLive(svc.url, svc.keys.viewer);
    await wall.subscribe('city');
    wall.close();
    expectNoneLogged([
      ...Object.values(svc.keys),
      unknownKey,
      cookie,
      csrf,
      encodeURIComponent(svc.keys.admin),
    ]);
  });

  it('a sign-in, a failed sign-in, the session cookie, its CSRF token and one-time passwords stay out', async () => {
    const password = secret('pw-');
    const wrong = secret('wrong-');
    const created = await fetch(`${svc.url}/api/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.keys.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'logadmin', name: '日志', role: 'admin', scope: 'city', password }),
    });
    expect(created.status).toBe(201);
    expect((await signIn('logadmin', wrong)).status).toBe(401);
    expect((await signIn('nobody', wrong)).status).toBe(401);
    const session = await signIn('logadmin', password);
    expect(session.status).toBe(200);
    const asPerson = { cookie: `dudao_session=${session.cookie}` };
    const write = (headers: Record<string, string>) =>
      send('/api/v1/users/logadmin/reset-password', {
        method: 'POST',
        headers: { ...asPerson, ...headers, 'content-type': 'application/json' },
        body: '{}',
      });
    expect(await send('/api/v1/session', { headers: asPerson })).toBe(200);
    expect(await write({})).toBe(403); // no CSRF token
    expect(await write({ 'x-csrf-token': `${session.csrfToken}x` })).toBe(403);
    const reset = await fetch(`${svc.url}/api/v1/users/logadmin/reset-password`, {
      method: 'POST',
      headers: { ...asPerson, 'x-csrf-token': session.csrfToken!, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reset.status).toBe(200);
    const { oneTimePassword } = (await reset.json()) as { oneTimePassword: string };
    expect(oneTimePassword).toBeTruthy();
    expectNoneLogged([password, wrong, session.cookie!, session.csrfToken!, oneTimePassword]);
  });
});

/** None of `secrets` in what the service wrote, whole or by its random tail. */
function expectNoneLogged(secrets: string[]) {
  expect(log.lines.length).toBeGreaterThan(5);
  for (const s of secrets) {
    expect(s.length).toBeGreaterThanOrEqual(12);
    expect(log.text, s).not.toContain(s);
    expect(log.text, s).not.toContain(s.slice(-12));
  }
}

describe('redactUrl', () => {
  it('replaces secret parameters, whatever their case or encoding, and keeps the rest', () => {
    expect(redactUrl('/api/v1/metrics?scope=city&token=abc')).toBe(
      `/api/v1/metrics?scope=city&token=${REDACTED}`,
    );
    expect(redactUrl('/x?%74oken=abc&Password=p&access_token=t&lang=en')).toBe(
      `/x?%74oken=${REDACTED}&Password=${REDACTED}&access_token=${REDACTED}&lang=en`,
    );
    expect(redactUrl('/plain/path')).toBe('/plain/path');
  });

  it('scrubs a key of ours wherever it sits in the URL', () => {
    const key = `dd_12345678_${'A'.repeat(43)}`;
    expect(redactUrl(`/a/${key}/b?q=${key}`)).toBe(`/a/${REDACTED}/b?q=${REDACTED}`);
  });
});

describe('errors are logged without the values they carry', () => {
  it('a failed query loses its bound parameters, a constraint violation its quoted values', () => {
    const out = new CapturedLog();
    const logger = pino(REDACTION_OPTIONS, out);
    const cause = Object.assign(new Error('duplicate key value violates unique constraint'), {
      detail: 'Key (id)=(sess-top-secret) already exists.',
    });
    logger.error(
      { err: new DrizzleQueryError('insert into sessions values ($1)', ['sess-top-secret'], cause) },
      'insert failed',
    );
    expect(out.text).toContain('Failed query: insert into sessions');
    expect(out.text).toContain(REDACTED);
    expect(out.text).not.toContain('sess-top-secret');
  });
});
