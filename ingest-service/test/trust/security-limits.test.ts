/**
 * SPEC §9, limits: requests per key (429 + Retry-After, shared through Redis when there is one),
 * sockets per key, body and batch sizes, request timeouts, security headers, the CORS allow-list.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServiceUrl, ev } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { MAX_BODY_BYTES, MAX_EVENTS_PER_REQUEST } from '../../src/config.ts';
import { createKey } from '../../src/index.ts';
import { connectLive, handshakeError } from './live-client.ts';

const LIMITS = { ingestPerMinute: 3, readPerMinute: 4, socketsPerKey: 2, requestTimeoutMs: 1_000 };
const ALLOWED_ORIGIN = 'https://wall.example.cn';
const REDIS_URL = requireServiceUrl('REDIS_URL');
const now = () => new Date().toISOString();

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ limits: LIMITS, corsOrigins: [ALLOWED_ORIGIN] });
});
afterAll(() => svc.close());

/** A key of its own for a test, so the low limits of the others do not reach it. */
const freshKey = async (role: 'ingest' | 'viewer' | 'admin') =>
  (await createKey(svc.database, { role, scope: 'city' })).token;

describe('requests per key: 429 with Retry-After', () => {
  it('ingest beyond its limit per minute is refused, nothing of it stored', async () => {
    for (let i = 0; i < LIMITS.ingestPerMinute; i++)
      expect((await svc.post(ev.started(now()))).status).toBe(200);
    const over = ev.started(now());
    const res = await svc.post(over);
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('rate_limited');
    const wait = Number(res.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await svc.database.query('select 1 from events where id = $1', [over.id])).toEqual([]);
  });

  it('counts each key apart, and reads apart from ingest', async () => {
    expect((await svc.post(ev.started(now()), svc.keys.admin)).status).toBe(200);
    for (let i = 0; i < LIMITS.readPerMinute; i++) expect((await svc.get('/api/v1/city')).status).toBe(200);
    expect((await svc.get('/api/v1/city')).status).toBe(429);
    expect((await svc.get('/api/v1/city', svc.keys.viewerTY)).status).toBe(200);
  });

  it('never counts what needs no key', async () => {
    for (let i = 0; i < LIMITS.readPerMinute + 2; i++)
      expect((await svc.get('/api/v1/healthz', null)).status).toBe(200);
  });

  it.skipIf(!REDIS_URL)('is shared by the instances of one deployment through Redis', async () => {
    // A second instance over the same database and Redis namespace: one deployment.
    const other = await svc.startInstance({ limits: LIMITS });
    try {
      const { token } = await createKey(svc.database, { role: 'viewer', scope: 'city' });
      const statuses: number[] = [];
      for (let i = 0; i <= LIMITS.readPerMinute; i++) {
        const url = i % 2 ? other.url : svc.url;
        statuses.push(
          (await fetch(`${url}/api/v1/whoami`, { headers: { authorization: `Bearer ${token}` } })).status,
        );
      }
      expect(statuses).toEqual([...Array<number>(LIMITS.readPerMinute).fill(200), 429]);
    } finally {
      await other.close();
    }
  });
});

describe('sockets per key', () => {
  it(`a key holds at most ${LIMITS.socketsPerKey} connections on an instance; a freed one can be taken again`, async () => {
    const walls = [];
    for (let i = 0; i < LIMITS.socketsPerKey; i++) walls.push(await connectLive(svc.url, svc.keys.admin));
    expect(await handshakeError(svc.url, svc.keys.admin)).toBe('rate_limited');
    expect(await handshakeError(svc.url, svc.keys.viewerTY)).toBeNull();
    walls.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    walls.push(await connectLive(svc.url, svc.keys.admin));
    for (const wall of walls) wall.close();
  });
});

describe('body and batch limits', () => {
  it(`more than ${MAX_EVENTS_PER_REQUEST} events is a 413`, async () => {
    const events = Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, () => ev.started(now()));
    const res = await svc.post(events, await freshKey('ingest'));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
  });

  it('a body over 1 MiB is a 413, whatever its type', async () => {
    for (const type of ['application/json', 'application/x-ndjson']) {
      const res = await svc.postRaw(`"${'x'.repeat(MAX_BODY_BYTES)}"`, type, await freshKey('ingest'));
      expect(res.status).toBe(413);
    }
  });

  it('a body that is not JSON or NDJSON is a 415', async () => {
    const res = await svc.postRaw('id=1', 'application/x-www-form-urlencoded', await freshKey('ingest'));
    expect(res.status).toBe(415);
    expect(res.body.error).toBe('unsupported_media_type');
  });
});

describe('request timeouts', () => {
  it('a request whose body never ends is cut off with a 408, and the service goes on', async () => {
    const key = await freshKey('ingest');
    const socket = connect(svc.server.port, '127.0.0.1');
    socket.write(
      `POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{',
    );
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect((await svc.get('/api/v1/healthz', null)).status).toBe(200);
  });
});

describe('headers', () => {
  it('security headers on every answer, no server banner', async () => {
    const res = await fetch(`${svc.url}/api/v1/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('CORS answers the origins of the allow-list only', async () => {
    const preflight = (origin: string) =>
      fetch(`${svc.url}/api/v1/metrics`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    expect((await preflight(ALLOWED_ORIGIN)).headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
