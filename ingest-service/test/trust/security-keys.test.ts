/**
 * SPEC §9, keys: role and scope on every route and on socket subscribe, by one decision; no key, a
 * wrong key, a revoked key, another district's key and a viewer key on ingest are all kept out.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestDatabase, requireServiceUrl, ev, HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { KEY_CACHE_MS } from '../../src/config.ts';
import { hashToken } from '../../src/auth/keys.ts';
import { createKey, listKeys, revokeKey } from '../../src/index.ts';
import { apiRoutes, type Route } from '../helpers/routes.ts';
import { connectLive, handshakeError } from './live-client.ts';

const NOW = '2026-11-26T10:00:00+08:00';
const clock = testClock(NOW);
const WRONG_KEY = 'dd_00000000_not-a-key-of-this-service';

/** Routes that answer without a key, on purpose: a load balancer's probes. */
const PUBLIC_ROUTES = ['/api/v1/healthz', '/api/v1/readyz'];
/** Sign-in and its session answer to a person's cookie, not a key (SPEC §12; test/contract/people.test.ts). */
const SESSION_ROUTE = '/api/v1/session';
/** Values for route parameters, so every route can be called. */
const PARAMS: Record<string, string> = { ':adcode': TY, ':period': '2026-11-25' };

let svc: TestService;
let revoked: string;
let keyed: Route[];
beforeAll(async () => {
  svc = await startTestService({ clock });
  keyed = apiRoutes(svc.server.app, PARAMS).filter(
    (r) => !PUBLIC_ROUTES.includes(r.path) && r.path !== SESSION_ROUTE,
  );
  const key = await createKey(svc.database, { role: 'admin', scope: 'city' });
  await revokeKey(svc.database, key.keyId);
  revoked = key.token;
});
afterAll(() => svc.close());

const ingest = (token: string | null) => svc.post(ev.started('2026-11-26T09:00:00+08:00'), token);
const call = (route: Route, token: string | null) =>
  route.method === 'GET' ? svc.get(route.path, token) : svc.postRaw('[]', 'application/json', token);
const reads = () => keyed.filter((r) => r.method === 'GET');

describe('every API route has a door', () => {
  it('the routes found are the SPEC §5 and §7 routes (and any added since)', () => {
    const paths = keyed.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('POST /api/v1/events');
    expect(paths).toContain(`GET /api/v1/districts/${TY}/issues`);
    expect(paths).toContain('GET /api/v1/metrics/prometheus');
  });

  it('the public probes say up or down and nothing more', async () => {
    for (const route of PUBLIC_ROUTES) {
      const res = await svc.get(route, null);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(
        route.endsWith('readyz') ? ['db', 'live', 'status'] : ['status'],
      );
    }
  });
});

describe('no key, a wrong key, a revoked key: 401 on every keyed route', () => {
  it('every route, each of the three', async () => {
    for (const route of keyed)
      for (const token of [null, WRONG_KEY, revoked]) {
        const res = await call(route, token);
        expect(res.status, `${route.method} ${route.path} with ${token}`).toBe(401);
        expect(res.body.error).toBe('unauthorized');
      }
  });

  it('a key revoked while in use stops working within KEY_CACHE_MS', async () => {
    const key = await createKey(svc.database, { role: 'viewer', scope: 'city' });
    expect((await svc.get('/api/v1/city', key.token)).status).toBe(200);
    await revokeKey(svc.database, key.keyId);
    clock.advance(KEY_CACHE_MS + 1);
    expect((await svc.get('/api/v1/city', key.token)).status).toBe(401);
  });
});

describe('a key of the wrong role: 403', () => {
  it('a viewer key may not ingest', async () => {
    for (const token of [svc.keys.viewer, svc.keys.viewerTY]) {
      const res = await ingest(token);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('forbidden');
    }
  });

  it('an ingest key may not read, on any read route', async () => {
    for (const route of reads()) {
      const res = await svc.get(route.path, svc.keys.ingest);
      expect(res.status, route.path).toBe(403);
      expect(res.body.error).toBe('forbidden');
    }
  });

  it('an admin key may do all that ingest and viewer keys do', async () => {
    for (const route of keyed)
      expect([401, 403], route.path).not.toContain((await call(route, svc.keys.admin)).status);
  });
});

describe("another district's key", () => {
  it('a viewer key of 天元区 gets 403 for 荷塘区 and for the city, on every route that names one', async () => {
    const scoped = ['metrics', 'feed', 'trends'].flatMap((r) => [`/api/v1/${r}?scope=${HT}`, `/api/v1/${r}`]);
    const districtRoutes = reads()
      .filter((r) => r.path.includes(`/districts/${TY}/`))
      .map((r) => r.path.replace(TY, HT));
    expect(districtRoutes.length).toBeGreaterThan(0);
    for (const path of [...scoped, ...districtRoutes]) {
      const res = await svc.get(path, svc.keys.viewerTY);
      expect(res.status, path).toBe(403);
      expect(res.body.error).toBe('forbidden');
    }
  });

  it('reads its own district', async () => {
    expect((await svc.get(`/api/v1/metrics?scope=${TY}`, svc.keys.viewerTY)).status).toBe(200);
    expect((await svc.get(`/api/v1/districts/${TY}/issues`, svc.keys.viewerTY)).status).toBe(200);
  });

  it('an ingest key of 天元区 writes nothing into 荷塘区: out_of_scope, nothing stored', async () => {
    const event = ev.started('2026-11-26T09:30:00+08:00', {
      district: HT,
      target: { kind: 'school', id: 'S-HT-1' },
      inspector: 'P-HT-1',
    });
    const res = await svc.post(event, svc.keys.ingestTY);
    expect(res.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'out_of_scope' }] });
    expect(await svc.database.query('select id from events where id = $1', [event.id])).toEqual([]);
  });
});

describe('the key in a wall URL (?token=) is accepted for the viewer role only', () => {
  it('a viewer key opens the read API from the URL', async () => {
    expect((await svc.get(`/api/v1/metrics?scope=city&token=${svc.keys.viewer}`, null)).status).toBe(200);
  });

  it('an admin or ingest key in the URL is refused, and ingest never reads a URL key', async () => {
    for (const token of [svc.keys.admin, svc.keys.ingest])
      expect((await svc.get(`/api/v1/city?token=${token}`, null)).status).toBe(403);
    const res = await svc.postRaw('[]', 'application/json', null);
    expect(res.status).toBe(401);
    const url = await fetch(`${svc.url}/api/v1/events?token=${svc.keys.ingest}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    expect(url.status).toBe(401);
  });
});

describe('Socket.IO takes the same decision', () => {
  it('the handshake refuses no key, a wrong key, a revoked key and a key that may not view', async () => {
    expect(await handshakeError(svc.url, undefined)).toBe('unauthorized');
    expect(await handshakeError(svc.url, WRONG_KEY)).toBe('unauthorized');
    expect(await handshakeError(svc.url, revoked)).toBe('unauthorized');
    expect(await handshakeError(svc.url, svc.keys.ingest)).toBe('forbidden');
    expect(await handshakeError(svc.url, svc.keys.viewerTY)).toBeNull();
  });

  it('a district key subscribes its district only, not another one nor the city', async () => {
    const wall = await connectLive(svc.url, svc.keys.viewerTY);
    expect(await wall.subscribe(HT)).toMatchObject({ error: { code: 'forbidden' } });
    expect(await wall.subscribe('city')).toMatchObject({ error: { code: 'forbidden' } });
    expect(await wall.subscribe(TY)).toMatchObject({ data: { scope: TY } });
    wall.close();
  });

  it('a key revoked while connected subscribes to nothing more and loses its connection', async () => {
    const key = await createKey(svc.database, { role: 'viewer', scope: 'city' });
    const wall = await connectLive(svc.url, key.token);
    expect(await wall.subscribe('city')).toHaveProperty('data');
    const dropped = new Promise<string>((resolve) => wall.socket.once('disconnect', resolve));
    await revokeKey(svc.database, key.keyId);
    clock.advance(KEY_CACHE_MS + 1);
    expect(await wall.subscribe('city')).toMatchObject({ error: { code: 'unauthorized' } });
    await vi.waitFor(() => expect(wall.socket.connected).toBe(false), { timeout: KEY_CACHE_MS * 2 });
    expect(await dropped).toBe('io server disconnect');
    wall.close();
  });
});

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** `pnpm keys …` as an operator runs it, against the database `env` names. */
async function keysCli(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/src/keys.ts', ...args],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: '', ...env },
    },
  );
  return stdout;
}

describe('keys are hashed at rest, listed without revealing them, revocable with pnpm keys', () => {
  it('the database holds the SHA-256 of a key, never the key; the list shows neither', async () => {
    const rows = await svc.database.query<Record<string, unknown>>('select * from api_keys');
    const stored = JSON.stringify(rows);
    for (const token of Object.values(svc.keys)) {
      expect(stored).not.toContain(token.slice(-20));
      expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
    }
    const listed = JSON.stringify(await listKeys(svc.database));
    for (const token of Object.values(svc.keys)) expect(listed).not.toContain(hashToken(token));
  });

  // The CLI is the same code on both databases; on PGlite every run would first create its folder.
  it.skipIf(!requireServiceUrl('DATABASE_URL'))(
    'create prints the key once (last line), list does not show it, revoke makes it unknown (PostgreSQL)',
    async () => {
      const test = await openTestDatabase();
      const env = { DATABASE_URL: test.url! };
      try {
        const created = await keysCli(
          ['create', '--role', 'viewer', '--scope', TY, '--label', 'wall 7'],
          env,
        );
        const token = created.trim().split('\n').at(-1)!;
        const id = /created key (\w+)/.exec(created)![1]!;
        const listed = await keysCli(['list'], env);
        expect(listed).toContain(id);
        expect(listed).toContain('wall 7');
        expect(listed).not.toContain(token);
        expect(listed).not.toContain(hashToken(token));
        expect(await keysCli(['revoke', id], env)).toContain(`revoked key ${id}`);
        const [row] = await listKeys(test.database);
        expect(row).toMatchObject({ id, role: 'viewer', scope: TY });
        expect(row!.revokedAt).toBeInstanceOf(Date);
      } finally {
        await test.drop();
      }
    },
  );
});
