/**
 * SPEC §12, people: sign-in with a session cookie, who am I, sign-out, idle expiry, the same 401 for
 * a wrong login and a wrong password, five failures then 429, CSRF on cookie writes, role and scope
 * over HTTP and Socket.IO, the admin API for users and the audit log. Both backends.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ev, HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { makeUser, PASSWORD, sessionCookie, signIn, signInRequest } from '../helpers/people.ts';

const clock = testClock('2026-11-26T10:00:00+08:00');
const HOUR = 3_600_000;
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({ clock });
  await makeUser(svc.database, 'ty.viewer', 'viewer', TY);
  await makeUser(svc.database, 'city.admin', 'admin', 'city');
  await makeUser(svc.database, 'ty.sup', 'supervisor', TY);
  await makeUser(svc.database, 'locked.out', 'viewer', 'city');
});
afterAll(() => svc.close());

describe('sign-in, who am I, sign-out', () => {
  it('sets an httpOnly SameSite=Strict cookie and answers who signed in, with a CSRF token', async () => {
    const answer = await signInRequest(svc.url, 'TY.Viewer', PASSWORD);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      login: 'ty.viewer',
      name: 'ty.viewer 名字',
      role: 'viewer',
      scope: TY,
      csrfToken: expect.any(String),
    });
    const setCookie = answer.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toMatch(/Secure/i); // plain HTTP here; behind TLS it is Secure
    const me = await fetch(`${svc.url}/api/v1/session`, { headers: { cookie: sessionCookie(answer) } });
    expect(await me.json()).toEqual(answer.body);
  });

  it('the cookie behind TLS (x-forwarded-proto: https) is Secure', async () => {
    const res = await fetch(`${svc.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ login: 'ty.viewer', password: PASSWORD }),
    });
    expect(res.headers.get('set-cookie')).toMatch(/Secure/i);
  });

  it('GET /session without a session is 401', async () => {
    expect((await svc.get('/api/v1/session', null)).status).toBe(401);
  });

  it('the session reads like a key of its role and scope; sign-out ends it', async () => {
    const person = await signIn(svc.url, 'ty.viewer');
    expect((await person.request('GET', `/api/v1/metrics?scope=${TY}`)).status).toBe(200);
    expect((await person.request('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await person.request('GET', '/api/v1/session')).status).toBe(401);
    expect((await person.request('GET', `/api/v1/metrics?scope=${TY}`)).status).toBe(401);
  });

  it('a session unused for 12 h has ended; one used within 12 h lives on', async () => {
    const person = await signIn(svc.url, 'ty.viewer');
    clock.advance(11 * HOUR);
    expect((await person.request('GET', '/api/v1/session')).status).toBe(200);
    clock.advance(11 * HOUR);
    expect((await person.request('GET', '/api/v1/session')).status).toBe(200);
    clock.advance(12 * HOUR + 1000);
    expect((await person.request('GET', '/api/v1/session')).status).toBe(401);
  });
});

describe('wrong login or password', () => {
  it('the same 401 for both', async () => {
    const wrongPassword = await signInRequest(svc.url, 'ty.sup', 'not the password');
    const wrongLogin = await signInRequest(svc.url, 'nobody.here', PASSWORD);
    expect(wrongPassword.status).toBe(401);
    expect(wrongLogin.status).toBe(401);
    expect(wrongLogin.body).toEqual(wrongPassword.body);
    expect(wrongPassword.headers.get('set-cookie')).toBeNull();
  });

  it('five failures within 15 minutes: the sixth attempt is 429, even with the right password, for 15 minutes', async () => {
    for (let i = 0; i < 5; i++) {
      if (i > 0) clock.advance(60_000);
      expect((await signInRequest(svc.url, 'locked.out', `wrong ${i}`)).status).toBe(401);
    }
    const sixth = await signInRequest(svc.url, 'locked.out', PASSWORD);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // another login is not locked by it
    expect((await signInRequest(svc.url, 'ty.viewer', PASSWORD)).status).toBe(200);
    clock.advance(14 * 60_000);
    expect((await signInRequest(svc.url, 'locked.out', PASSWORD)).status).toBe(429);
    clock.advance(60_000 + 1000);
    expect((await signInRequest(svc.url, 'locked.out', PASSWORD)).status).toBe(200);
  });

  it('a disabled person cannot sign in, and their sessions end', async () => {
    await makeUser(svc.database, 'leaving', 'viewer', 'city');
    const person = await signIn(svc.url, 'leaving');
    const admin = await signIn(svc.url, 'city.admin');
    expect((await admin.request('POST', '/api/v1/users/leaving/disable')).status).toBe(200);
    expect((await person.request('GET', '/api/v1/session')).status).toBe(401);
    expect((await signInRequest(svc.url, 'leaving', PASSWORD)).status).toBe(401);
  });
});

describe('CSRF: a write with a session cookie carries x-csrf-token', () => {
  it('without it (or with a wrong one) 403 and nothing stored; with it the write goes through', async () => {
    const admin = await signIn(svc.url, 'city.admin');
    const event = ev.started('2026-11-26T09:00:00+08:00');
    const without = await admin.request('POST', '/api/v1/events', event, { csrf: false });
    expect(without.status).toBe(403);
    expect(without.body.error).toBe('forbidden');
    const wrong = await fetch(`${svc.url}/api/v1/events`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'x-csrf-token': 'x'.repeat(43), 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(wrong.status).toBe(403);
    expect(await svc.database.query('select id from events where id = $1', [event.id])).toEqual([]);
    const withToken = await admin.request('POST', '/api/v1/events', event);
    expect(withToken.status).toBe(200);
    expect(withToken.body.accepted).toBe(1);
  });

  it('sign-out is a write too', async () => {
    const person = await signIn(svc.url, 'ty.viewer');
    expect((await person.request('DELETE', '/api/v1/session', undefined, { csrf: false })).status).toBe(403);
    expect((await person.request('GET', '/api/v1/session')).status).toBe(200);
  });

  it('keys need no CSRF token: machines keep working', async () => {
    const res = await svc.post(ev.started('2026-11-26T09:05:00+08:00'));
    expect(res.status).toBe(200);
  });
});

describe('role and scope, as for keys', () => {
  it('a person of 天元区 reads 天元区 only', async () => {
    const person = await signIn(svc.url, 'ty.viewer');
    expect((await person.request('GET', `/api/v1/districts/${TY}/issues`)).status).toBe(200);
    for (const path of [`/api/v1/metrics?scope=${HT}`, '/api/v1/metrics', `/api/v1/districts/${HT}/schools`])
      expect((await person.request('GET', path)).status, path).toBe(403);
  });

  it('a viewer or a supervisor may not ingest, nor use the admin API', async () => {
    for (const login of ['ty.viewer', 'ty.sup']) {
      const person = await signIn(svc.url, login);
      expect((await person.request('POST', '/api/v1/events', [])).status).toBe(403);
      expect((await person.request('GET', '/api/v1/users')).status).toBe(403);
      expect((await person.request('GET', '/api/v1/audit')).status).toBe(403);
    }
  });

  it('Socket.IO: the session cookie opens /live with the same scope', async () => {
    const person = await signIn(svc.url, 'ty.viewer');
    const socket = io(`${svc.url}/live`, {
      transports: ['websocket'],
      extraHeaders: { cookie: person.cookie },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const subscribe = (scope: string) =>
      new Promise<any>((resolve) => socket.emit('subscribe', { scope }, resolve));
    expect(await subscribe(TY)).toMatchObject({ data: { scope: TY } });
    expect(await subscribe(HT)).toMatchObject({ error: { code: 'forbidden' } });
    socket.close();
  });

  it('Socket.IO: an ended session is refused at the handshake', async () => {
    const person = await signIn(svc.url, 'ty.viewer');
    await person.request('DELETE', '/api/v1/session');
    const socket = io(`${svc.url}/live`, {
      transports: ['websocket'],
      extraHeaders: { cookie: person.cookie },
      reconnection: false,
    });
    const error = await new Promise<string>((resolve) =>
      socket.once('connect_error', (e) => resolve(e.message)),
    );
    expect(error).toBe('unauthorized');
    socket.close();
  });
});

describe('the admin API: users and the audit log', () => {
  it('an admin makes a person with a one-time password that signs in; bad input is a 400 naming the field', async () => {
    const admin = await signIn(svc.url, 'city.admin');
    const made = await admin.request('POST', '/api/v1/users', {
      login: 'ht.sup',
      name: '张督学',
      role: 'supervisor',
      scope: HT,
    });
    expect(made.status).toBe(201);
    expect(made.body.user).toMatchObject({ login: 'ht.sup', role: 'supervisor', scope: HT });
    expect((await signInRequest(svc.url, 'ht.sup', made.body.oneTimePassword)).status).toBe(200);
    const taken = await admin.request('POST', '/api/v1/users', {
      login: 'ht.sup',
      name: 'x',
      role: 'viewer',
      scope: HT,
    });
    expect(taken.status).toBe(400);
    expect(taken.body.message).toMatch(/taken/);
    const badScope = await admin.request('POST', '/api/v1/users', {
      login: 'x1',
      name: 'x',
      role: 'viewer',
      scope: '999999',
    });
    expect(badScope.status).toBe(400);
    expect(badScope.body.message).toMatch(/scope/);
    const list = await svc.get('/api/v1/users', svc.keys.admin);
    expect(list.body.users.map((u: { login: string }) => u.login)).toContain('ht.sup');
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|passwordHash/);
  });

  it('reset-password gives a new one-time password and ends the sessions', async () => {
    const person = await signIn(svc.url, 'ty.sup');
    const reset = await svc.request('POST', '/api/v1/users/ty.sup/reset-password', svc.keys.admin);
    expect(reset.status).toBe(200);
    expect((await person.request('GET', '/api/v1/session')).status).toBe(401);
    expect((await signInRequest(svc.url, 'ty.sup', reset.body.oneTimePassword)).status).toBe(200);
    const chosen = await svc.request('POST', '/api/v1/users/ty.sup/reset-password', svc.keys.admin, {
      password: PASSWORD,
    });
    expect(chosen.body).toEqual({ login: 'ty.sup' });
    expect((await signInRequest(svc.url, 'ty.sup', PASSWORD)).status).toBe(200);
  });

  it('every sign-in, good or bad, is in the audit log with who, when and from where', async () => {
    clock.advance(60_000);
    const from = new Date(clock.now()).toISOString();
    await signInRequest(svc.url, 'ty.viewer', 'wrong password!');
    await signIn(svc.url, 'ty.viewer');
    const audit = await svc.get(
      `/api/v1/audit?login=ty.viewer&from=${encodeURIComponent(from)}`,
      svc.keys.admin,
    );
    expect(audit.status).toBe(200);
    const entries = audit.body.items as { action: string; outcome: string; ip: string; at: string }[];
    expect(entries.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'session.create:ok',
      'session.create:failed',
    ]);
    expect(entries[0]!.ip).toMatch(/127\.0\.0\.1/);
    expect(entries[0]!.at).toBe(new Date(clock.now()).toISOString());
    const late = await svc.get(
      `/api/v1/audit?to=${encodeURIComponent('2020-01-01T00:00:00Z')}`,
      svc.keys.admin,
    );
    expect(late.body.items).toEqual([]);
  });
});
