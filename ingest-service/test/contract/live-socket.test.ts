/** SPEC §8: Socket.IO `/live` with a real socket.io-client. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import {
  applyMetricsMessage,
  type Ack,
  type FeedMessage,
  type MetricsMessage,
  type Snapshot,
} from '@dudao/domain';
import { until, ev, HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { COALESCE_WINDOW_MS } from '../../src/config.ts';

const D = (hhmm: string) => `2026-11-26T${hhmm}:00+08:00`;
const clock = testClock(D('10:00'));
let svc: TestService;
const sockets: Socket[] = [];

beforeAll(async () => {
  svc = await startTestService({ clock });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(() => svc.close());

function connect(token: string): Socket {
  const socket = io(`${svc.url}/live`, { auth: { token }, transports: ['websocket'], reconnectionDelay: 50 });
  sockets.push(socket);
  return socket;
}

const subscribe = (socket: Socket, scope: string) =>
  new Promise<Ack<Snapshot>>((resolve) => socket.emit('subscribe', { scope }, resolve));

function nextEvent<T>(socket: Socket, name: string, match: (v: T) => boolean = () => true, timeoutMs = 3000) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no matching ${name} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const handler = (value: T) => {
      if (!match(value)) return;
      clearTimeout(timer);
      socket.off(name, handler);
      resolve(value);
    };
    socket.on(name, handler);
  });
}

/** A client that keeps the newest snapshot the way the dashboard does. */
function track(socket: Socket, start: Snapshot) {
  const state = { snapshot: start, messages: 0, stale: 0, gaps: 0, versions: [start.version] };
  socket.on('metrics', (msg: MetricsMessage) => {
    state.messages++;
    const r = applyMetricsMessage(state.snapshot, msg);
    if (r.status === 'applied') {
      state.snapshot = r.snapshot;
      state.versions.push(r.snapshot.version);
    } else if (r.status === 'stale') state.stale++;
    else state.gaps++;
  });
  return state;
}

describe('subscribe', () => {
  it('acks with the scope snapshot and sends health on connect', async () => {
    const socket = connect(svc.keys.viewer);
    const health = nextEvent(socket, 'health');
    const ack = await subscribe(socket, 'city');
    expect('data' in ack && ack.data.scope).toBe('city');
    expect(await health).toEqual({ db: 'ok', live: 'ok' });
  });

  it('refuses a handshake without a key, with an unknown key, with an ingest key', async () => {
    for (const token of ['', 'dd_bad_bad', svc.keys.ingest]) {
      const socket = connect(token);
      const err = await nextEvent<Error>(socket, 'connect_error');
      expect(['unauthorized', 'forbidden']).toContain(err.message);
      socket.close();
    }
  });

  it('a district viewer key may subscribe to its district only', async () => {
    const socket = connect(svc.keys.viewerTY);
    const own = await subscribe(socket, TY);
    expect('data' in own).toBe(true);
    const other = await subscribe(socket, HT);
    expect(other).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    const city = await subscribe(socket, 'city');
    expect('error' in city && city.error.code).toBe('forbidden');
    const unknown = await subscribe(socket, '999999');
    expect('error' in unknown && unknown.error.code).toBe('not_found');
  });
});

describe('live metrics', () => {
  it('a posted event reaches the subscriber as a patch on its snapshot, and in the feed', async () => {
    const socket = connect(svc.keys.viewer);
    const ack = await subscribe(socket, TY);
    if (!('data' in ack)) throw new Error('subscribe failed');
    const state = track(socket, ack.data);
    const feed = nextEvent<FeedMessage>(socket, 'feed');
    const event = ev.started(D('09:00'), { target: { kind: 'school', id: 'S-TY-2' } });
    await svc.post(event);
    await until(() => state.snapshot.metrics.inspections.total === ack.data.metrics.inspections.total + 1);
    expect(state.gaps).toBe(0);
    const items = (await feed).items;
    expect(items[0]).toMatchObject({
      id: event.id,
      districtName: '天元区',
      target: { name: '天元区白鹤小学' },
    });
  });

  it('coalesces a burst to at most one message per window, versions only growing', async () => {
    const socket = connect(svc.keys.viewer);
    const ack = await subscribe(socket, 'city');
    if (!('data' in ack)) throw new Error('subscribe failed');
    const state = track(socket, ack.data);
    const burst = 40;
    const started = performance.now();
    for (let sent = 0; sent < burst; sent += 4)
      await Promise.all(Array.from({ length: 4 }, () => svc.post(ev.complaint(D('09:30')))));
    await until(
      () => state.snapshot.metrics.complaints.received === ack.data.metrics.complaints.received + burst,
    );
    // Every message of the scope was sent after `started` and arrived by now, at least one window
    // apart: so no more than one per elapsed window, plus the first (a bound that load cannot break).
    const windows = Math.floor((performance.now() - started) / COALESCE_WINDOW_MS);
    expect(state.messages).toBeLessThanOrEqual(windows + 1);
    expect(state.messages).toBeLessThan(burst);
    expect(state.gaps).toBe(0);
    for (let i = 1; i < state.versions.length; i++)
      expect(state.versions[i]).toBeGreaterThan(state.versions[i - 1]!);
  });

  it('a client drops a message not newer than what it holds', async () => {
    const socket = connect(svc.keys.viewer);
    const ack = await subscribe(socket, TY);
    if (!('data' in ack)) throw new Error('subscribe failed');
    const state = track(socket, ack.data);
    await svc.post(ev.complaint(D('09:40')));
    await until(() => state.versions.length > 1);
    const held = state.snapshot;
    // Subscribing again answers with the room's current snapshot: not newer than what the client holds.
    const again = await subscribe(socket, TY);
    if (!('data' in again)) throw new Error('resubscribe failed');
    expect(again.data.version).toBeLessThanOrEqual(held.version);
    expect(applyMetricsMessage(held, again.data)).toEqual({ status: 'stale' });
    expect(applyMetricsMessage(held, { ...again.data, version: held.version - 1 })).toEqual({
      status: 'stale',
    });
  });

  it('the overdue clock pushes a change with no new event', async () => {
    await svc.post(ev.raised(D('09:50'), D('10:10'), { issueId: 'clock-issue-1' }));
    const socket = connect(svc.keys.viewer);
    const ack = await subscribe(socket, TY);
    if (!('data' in ack)) throw new Error('subscribe failed');
    const state = track(socket, ack.data);
    clock.set(D('10:11'));
    await svc.server.clock.tick();
    await until(() => state.snapshot.metrics.issues.overdue === ack.data.metrics.issues.overdue + 1);
  });

  it('after a forced disconnect the client resubscribes and gets a fresh snapshot', async () => {
    const socket = connect(svc.keys.viewer);
    const first = await subscribe(socket, TY);
    if (!('data' in first)) throw new Error('subscribe failed');
    const reconnected = new Promise<void>((resolve) => socket.io.once('reconnect', () => resolve()));
    socket.io.engine.close();
    await svc.post(ev.complaint(D('10:12'))); // while the client is away
    await reconnected;
    const again = await subscribe(socket, TY);
    if (!('data' in again)) throw new Error('resubscribe failed');
    expect(again.data.version).toBeGreaterThan(first.data.version);
    expect(again.data.metrics.complaints.received).toBe(first.data.metrics.complaints.received + 1);
  });
});

describe('live feed', () => {
  it('the first feed push after subscribing carries only what came after the snapshot', async () => {
    // History in a scope nobody watches: the feed holds it, no room chains pushes for it yet.
    const htStarted = (hhmm: string) =>
      ev.started(D(hhmm), {
        district: HT,
        target: { kind: 'school', id: 'S-HT-1' },
        inspector: 'P-HT-1',
      });
    for (const hhmm of ['08:00', '08:10', '08:20']) await svc.post(htStarted(hhmm));
    const socket = connect(svc.keys.viewer);
    const pushes: FeedMessage[] = [];
    socket.on('feed', (msg: FeedMessage) => pushes.push(msg));
    const ack = await subscribe(socket, HT);
    if (!('data' in ack)) throw new Error('subscribe failed');
    const state = track(socket, ack.data);
    const event = htStarted('09:05');
    await svc.post(event);
    await until(() => pushes.length > 0 && state.versions.length > 1);
    expect(pushes[0]!.scope).toBe(HT);
    expect(pushes[0]!.items.map((item) => item.id)).toEqual([event.id]);
    expect(state.gaps).toBe(0);
  });
});
