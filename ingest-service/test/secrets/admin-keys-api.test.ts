/**
 * Issue 15, the admin's key routes: admin role only; an admin of a district manages that district's
 * keys only; bad input names its field; a created key is shown once and works at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/index.ts';
import { HT, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { adminApi, type AdminApi } from './admin-api.ts';

/** The `details` of a 400's body (SPEC §8 error shape), read without trusting its type. */
const detailsOf = (body: unknown): unknown =>
  typeof body === 'object' && body !== null && 'details' in body ? body.details : undefined;

let svc: TestService;
let city: AdminApi;
let tianyuan: AdminApi;
beforeAll(async () => {
  svc = await startTestService();
  city = adminApi(svc.url, svc.keys.admin);
  tianyuan = adminApi(svc.url, (await createKey(svc.database, { role: 'admin', scope: TY })).token);
});
afterAll(() => svc?.close());

describe('only an admin key reaches the key routes', () => {
  it('no key or a wrong key: 401; a viewer or ingest key: 403, on list, create and revoke', async () => {
    const victim = (await city.create({ role: 'viewer', scope: 'city' })).body;
    const cases: [string | null, number][] = [
      [null, 401],
      ['dd_00000000_nope', 401],
      [svc.keys.viewer, 403],
      [svc.keys.ingest, 403],
      [svc.keys.viewerTY, 403],
    ];
    for (const [token, want] of cases) {
      const api = adminApi(svc.url, token);
      expect((await api.list()).status).toBe(want);
      expect((await api.create({ role: 'admin', scope: 'city' })).status).toBe(want);
      expect((await api.revoke(victim.id)).status).toBe(want);
    }
    expect((await city.list()).body.keys.find((k) => k.id === victim.id)?.state).toBe('active');
  });

  it('an admin key is not taken from the URL', async () => {
    const res = await fetch(`${svc.url}/api/v1/admin/keys?token=${svc.keys.admin}`);
    expect(res.status).toBe(401);
  });
});

describe('an admin of a district manages its district only', () => {
  it('lists its district keys and no other', async () => {
    const mine = (await city.create({ role: 'viewer', scope: TY, label: 'TY wall' })).body;
    const theirs = (await city.create({ role: 'viewer', scope: HT, label: 'HT wall' })).body;
    const listed = (await tianyuan.list()).body.keys;
    expect(listed.every((k) => k.scope === TY)).toBe(true);
    expect(listed.map((k) => k.id)).toContain(mine.id);
    expect(listed.map((k) => k.id)).not.toContain(theirs.id);
    const all = (await city.list()).body.keys.map((k) => k.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id]));
  });

  it('creates keys for its district, not for the city nor another district', async () => {
    expect((await tianyuan.create({ role: 'viewer', scope: TY })).status).toBe(201);
    for (const scope of ['city', HT]) {
      const res = await tianyuan.create({ role: 'viewer', scope });
      expect(res.status, scope).toBe(403);
      expect(res.body).toMatchObject({ error: 'forbidden' });
    }
  });

  it("revokes its district's keys, not another district's", async () => {
    const theirs = (await city.create({ role: 'ingest', scope: HT })).body;
    expect((await tianyuan.revoke(theirs.id)).status).toBe(403);
    expect((await city.list()).body.keys.find((k) => k.id === theirs.id)?.state).toBe('active');
    const mine = (await city.create({ role: 'ingest', scope: TY })).body;
    expect((await tianyuan.revoke(mine.id)).status).toBe(200);
  });
});

describe('create', () => {
  it('shows the secret once, with the wall URL for a viewer key, and the key works at once', async () => {
    const created = await city.create({
      role: 'viewer',
      scope: 'city',
      label: '  lobby wall  ',
      expires: '30d',
    });
    expect(created.status).toBe(201);
    const key = created.body;
    expect(key).toMatchObject({ role: 'viewer', scope: 'city', label: 'lobby wall' });
    expect(key.wallUrl).toBe(`${svc.url}/?token=${encodeURIComponent(key.token)}`);
    const wallApi = await fetch(`${svc.url}/api/v1/metrics?scope=city&token=${key.token}`);
    expect(wallApi.status).toBe(200);
    const listed = JSON.stringify((await city.list()).body);
    expect(listed).toContain(key.id);
    expect(listed).not.toContain(key.token);
  });

  it('gives no wall URL for an ingest or admin key', async () => {
    for (const role of ['ingest', 'admin']) {
      const key = (await city.create({ role, scope: TY })).body;
      expect(key.token).toMatch(/^dd_[0-9a-f]{8}_/);
      expect(key).not.toHaveProperty('wallUrl');
    }
  });

  it('refuses bad input with 400, naming the field, and makes no key', async () => {
    const before = (await city.list()).body.keys.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ role: 'root', scope: 'city' }, '/role'],
      [{ scope: 'city' }, '/role'],
      [{ role: 'viewer', scope: 'everywhere' }, '/scope'],
      [{ role: 'viewer', scope: '520102' }, '/scope'],
      [{ role: 'viewer', scope: 'city', expires: 'next week' }, '/expires'],
      [{ role: 'viewer', scope: 'city', expires: '2020-01-01T00:00:00+08:00' }, '/expires'],
      [{ role: 'viewer', scope: 'city', label: 'x'.repeat(101) }, '/label'],
      [{ role: 'viewer', scope: 'city', owner: 'me' }, '/'],
    ];
    for (const [body, path] of cases) {
      const res = await city.create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_body' });
      expect(JSON.stringify(detailsOf(res.body))).toContain(path);
    }
    expect((await city.list()).body.keys.length).toBe(before);
  });
});

describe('revoke', () => {
  it('an unknown id is 404; revoking twice keeps the first moment', async () => {
    expect((await city.revoke('0000abcd')).status).toBe(404);
    const key = (await city.create({ role: 'viewer', scope: 'city' })).body;
    const first = await city.revoke(key.id);
    expect(first.status).toBe(200);
    const second = await city.revoke(key.id);
    expect(second.body.revokedAt).toBe(first.body.revokedAt);
  });
});
