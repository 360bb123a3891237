/**
 * Issue 15, keys with a lifecycle: an expired or revoked key is refused over HTTP at once and loses
 * its sockets within seconds (on every instance); its last use is known without a write per request;
 * the admin sees how many sockets it holds now.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireServiceUrl, testClock } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { SOCKET_EXPIRY_CHECK_MS } from '../../src/config.ts';
import type { RunningServer } from '../../src/index.ts';
import { keyById, recordKeyUses } from '../../src/auth/keys.ts';
import { connectLive, type LiveClient } from '../trust/live-client.ts';
import type { CreatedAdminKey } from '@dudao/domain';
import { adminApi, type AdminApi } from './admin-api.ts';

const clock = testClock('2026-12-02T10:00:00+08:00');
/** A socket whose key stopped working is gone within a few expiry checks. */
const SOCKET_CUT_MS = SOCKET_EXPIRY_CHECK_MS * 4;

let svc: TestService;
let api: AdminApi;
const walls: LiveClient[] = [];
beforeAll(async () => {
  svc = await startTestService({ clock });
  api = adminApi(svc.url, svc.keys.admin);
});
afterAll(async () => {
  for (const wall of walls) wall.close();
  await svc?.close();
});

async function openWall(url: string, token: string): Promise<LiveClient> {
  const wall = await connectLive(url, token);
  walls.push(wall);
  expect(await wall.subscribe('city')).toHaveProperty('data');
  return wall;
}

const status = async (url: string, token: string) =>
  (await fetch(`${url}/api/v1/city`, { headers: { authorization: `Bearer ${token}` } })).status;

const waitDisconnected = (wall: LiveClient) =>
  vi.waitFor(() => expect(wall.socket.connected).toBe(false), { timeout: SOCKET_CUT_MS, interval: 50 });

describe('an expired key', () => {
  it('is refused over HTTP the moment it expires and loses its sockets within seconds', async () => {
    const key = (await api.create({ role: 'viewer', scope: 'city', label: 'wall 2', expires: '2h' })).body;
    expect(key.expiresAt).toBe(new Date(clock.now() + 2 * 3_600_000).toISOString());
    expect(await status(svc.url, key.token)).toBe(200);
    const wall = await openWall(svc.url, key.token);
    clock.advance(2 * 3_600_000 - 1);
    expect(await status(svc.url, key.token)).toBe(200);
    clock.advance(1);
    expect(await status(svc.url, key.token)).toBe(401);
    await waitDisconnected(wall);
    const listed = (await api.list()).body.keys.find((k) => k.id === key.id);
    expect(listed).toMatchObject({ state: 'expired', sockets: 0 });
  });
});

describe('a key revoked through the admin API', () => {
  it('is refused over HTTP at once and its sockets are cut at once', async () => {
    const key = (await api.create({ role: 'viewer', scope: 'city' })).body;
    const wall = await openWall(svc.url, key.token);
    const other = await openWall(svc.url, svc.keys.viewer);
    expect(await status(svc.url, key.token)).toBe(200); // now in the key cache
    expect((await api.revoke(key.id)).status).toBe(200);
    expect(await status(svc.url, key.token)).toBe(401);
    await waitDisconnected(wall);
    expect(other.socket.connected).toBe(true);
    const listed = (await api.list()).body.keys.find((k) => k.id === key.id);
    expect(listed).toMatchObject({ state: 'revoked', sockets: 0 });
  });
});

describe('last use and live sockets', () => {
  it('the list shows when and from where a key was used, and how many sockets it holds', async () => {
    const key = (await api.create({ role: 'viewer', scope: 'city' })).body;
    await openWall(svc.url, key.token);
    await openWall(svc.url, key.token);
    clock.advance(60_000);
    expect(await status(svc.url, key.token)).toBe(200);
    const listed = (await api.list()).body.keys.find((k) => k.id === key.id)!;
    expect(listed).toMatchObject({
      state: 'active',
      sockets: 2,
      lastUsedAt: new Date(clock.now()).toISOString(),
      lastUsedFrom: '127.0.0.1',
    });
  });

  it('is written in batches, not per request, and a later flush keeps the latest use', async () => {
    const key = (await api.create({ role: 'viewer', scope: 'city' })).body;
    const usage = svc.server.app.keyUsage;
    await usage.flush();
    for (let i = 0; i < 5; i++) expect(await status(svc.url, key.token)).toBe(200);
    expect((await keyById(svc.database, key.id))?.lastUsedAt).toBeNull(); // nothing written per request
    const usedAt = new Date(clock.now());
    await usage.flush();
    expect(await keyById(svc.database, key.id)).toMatchObject({
      lastUsedAt: usedAt,
      lastUsedFrom: '127.0.0.1',
    });
    // another instance that flushes an older use afterwards does not move it back
    await recordKeyUses(svc.database, [
      { keyId: key.id, at: new Date(usedAt.getTime() - 1000), from: '10.0.0.9' },
    ]);
    expect(await keyById(svc.database, key.id)).toMatchObject({
      lastUsedAt: usedAt,
      lastUsedFrom: '127.0.0.1',
    });
  });
});

const REDIS_URL = requireServiceUrl('REDIS_URL');

describe.skipIf(!REDIS_URL)('two instances over one database and one Redis', () => {
  let b: RunningServer;
  beforeAll(async () => {
    b = await svc.startInstance({ now: clock.now });
  });
  afterAll(() => b?.close());

  it('the admin on one instance counts the sockets a key holds on both', async () => {
    const key = (await api.create({ role: 'viewer', scope: 'city' })).body;
    await openWall(svc.url, key.token);
    await openWall(b.url, key.token);
    await openWall(b.url, key.token);
    const list = (await api.list()).body;
    expect(list.socketsCountedOn).toBe('all_instances');
    expect(list.keys.find((k) => k.id === key.id)?.sockets).toBe(3);
  });

  it('a revocation on one instance cuts HTTP and sockets on the other at once', async () => {
    const key: CreatedAdminKey = (await api.create({ role: 'viewer', scope: 'city' })).body;
    const here = await openWall(svc.url, key.token);
    const there = await openWall(b.url, key.token);
    expect(await status(b.url, key.token)).toBe(200); // cached on B
    expect((await api.revoke(key.id)).status).toBe(200);
    await waitDisconnected(here);
    await waitDisconnected(there);
    // B heard of it through Redis: its key cache no longer holds the key (no clock moved)
    expect(await status(b.url, key.token)).toBe(401);
  });
});
