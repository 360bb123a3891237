/**
 * Two instances over one PostgreSQL and one Redis (issue 6): an event ingested on one reaches a
 * client of the other with the same versions and coalescing; periodic work runs on the leader
 * only, and when the leader dies (SIGKILL, no goodbye) the survivor's overdue clock takes over.
 * Instance B runs in a child process so it can really die; instance A runs in this process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNamespace } from '@dudao/testkit/redis';
import { openSharedDeployment, type SharedDeployment } from '../../testing/index.ts';
import { io, type Socket } from 'socket.io-client';
import { requireServiceUrl, sleep, until, ev, TY } from '@dudao/testkit';
import { applyMetricsMessage, type Ack, type MetricsMessage, type Snapshot } from '@dudao/domain';
import type { RunningServer } from '../../src/index.ts';
import { COALESCE_WINDOW_MS } from '../../src/config.ts';
import { leaderLeaseKey } from '../../src/redis/keys.ts';

const DATABASE_URL = requireServiceUrl('DATABASE_URL');
const REDIS_URL = requireServiceUrl('REDIS_URL');
/** Short, so the takeover after a kill is quick to watch. */
const LEASE_MS = 1500;
/** A killed leader's lease runs out within LEASE_MS; the survivor's next attempt comes ≤ 1/3 later. */
const TAKEOVER_WAIT_MS = LEASE_MS * 3;
const BURST_REQUESTS = 30;
const BURST_GAP_MS = 10;
const INSTANCE_SCRIPT = fileURLToPath(new URL('./instance.ts', import.meta.url));

interface ChildInstance {
  url: string;
  instanceId: string;
  leader: boolean;
  process: ChildProcess;
}

let deployment: SharedDeployment;
let a: RunningServer;
let b: ChildInstance;
const namespace = testNamespace('cluster');
const sockets: Socket[] = [];

/** Starts instance B as `node --import tsx instance.ts`: node itself, so SIGKILL kills the service. */
function startChild(databaseUrl: string, redisUrl: string): Promise<ChildInstance> {
  const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE_SCRIPT], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      DUDAO_NAMESPACE: namespace,
      DUDAO_LEASE_MS: String(LEASE_MS),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance B exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve({ ...(JSON.parse(line) as Omit<ChildInstance, 'process'>), process: child }),
    );
  });
}

function connect(url: string): Socket {
  const socket = io(`${url}/live`, { auth: { token: deployment.keys.viewer }, transports: ['websocket'] });
  sockets.push(socket);
  return socket;
}

/** A subscribed client that keeps the newest snapshot the way the dashboard does. */
async function subscribed(url: string, scope: string) {
  const socket = connect(url);
  const ack = await new Promise<Ack<Snapshot>>((resolve) => socket.emit('subscribe', { scope }, resolve));
  if (!('data' in ack)) throw new Error(ack.error.message);
  const state = { socket, snapshot: ack.data, messages: 0, gaps: 0 };
  socket.on('metrics', (msg: MetricsMessage) => {
    state.messages++;
    const r = applyMetricsMessage(state.snapshot, msg);
    if (r.status === 'applied') state.snapshot = r.snapshot;
    else if (r.status === 'gap') state.gaps++;
  });
  return state;
}

const leaderKey = leaderLeaseKey(namespace, '430200');

// Two instances need a shared database and Redis; PGlite and the in-process store are one process.
// Under CI=true requireServiceUrl throws instead, so CI never skips this.
const needs = 'needs DATABASE_URL and REDIS_URL (two instances cannot share PGlite or the in-process store)';
describe.skipIf(!DATABASE_URL || !REDIS_URL)(`two instances over PostgreSQL and Redis (${needs})`, () => {
  beforeAll(async () => {
    deployment = await openSharedDeployment({ redisUrl: REDIS_URL!, namespace });
    // B first, so B takes the lease and A follows.
    b = await startChild(deployment.testDb.url!, REDIS_URL!);
    a = await deployment.start({
      databaseUrl: undefined,
      database: deployment.testDb.database,
      leaderLeaseMs: LEASE_MS,
    });
  });

  afterAll(async () => {
    for (const s of sockets.splice(0)) s.close();
    b?.process.kill('SIGKILL');
    await a?.close();
    await deployment?.close();
  });

  it('runs periodic work on one instance: the one holding the lease', async () => {
    expect(b.leader).toBe(true);
    expect(a.leadership.isLeader).toBe(false);
    expect(await deployment.redis.get(leaderKey)).toBe(b.instanceId);
  });

  it('an event ingested on one instance reaches a client of the other, same versions, coalesced', async () => {
    const onA = await subscribed(a.url, 'city');
    const onB = await subscribed(b.url, 'city');
    const before = onA.snapshot.metrics.inspections.total;
    const started = Date.now();
    for (let i = 0; i < BURST_REQUESTS; i++) {
      await deployment.post(b.url, [ev.started(new Date().toISOString())]);
      await sleep(BURST_GAP_MS);
    }
    const burstMs = Date.now() - started;
    const done = (s: typeof onA) => s.snapshot.metrics.inspections.total === before + BURST_REQUESTS;
    await until(() => done(onA) && done(onB), 5000, 'both clients see the burst');
    await until(() => onA.snapshot.version === onB.snapshot.version, 1000, 'versions meet');
    expect(onA.snapshot.metrics).toEqual(onB.snapshot.metrics);
    expect(onA.gaps + onB.gaps).toBe(0);
    // At most one message per window, plus the leading edge and the trailing one.
    const windows = Math.ceil(burstMs / COALESCE_WINDOW_MS) + 2;
    expect(onA.messages).toBeLessThanOrEqual(windows);
    expect(onB.messages).toBeLessThanOrEqual(windows);
  });

  it('sees every instance’s sockets through the Socket.IO Redis adapter', async () => {
    const onB = await subscribed(b.url, TY);
    const everywhere = await a.app.io.of('/live').fetchSockets();
    expect(everywhere.map((s) => s.id)).toContain(onB.socket.id);
  });

  it('when the leader is killed, the survivor takes the lease and its overdue clock ticks', async () => {
    const onA = await subscribed(a.url, TY);
    const overdue = () => onA.snapshot.metrics.issues.overdue;
    const exited = new Promise((r) => b.process.once('exit', r));
    b.process.kill('SIGKILL');
    await exited;
    await until(() => a.leadership.isLeader, TAKEOVER_WAIT_MS, 'A takes the lease');
    expect(await deployment.redis.get(leaderKey)).toBe(a.leadership.instanceId);

    // No event moves `overdue`: only the clock, bumping the district's version when the deadline passes.
    const now = Date.now();
    await deployment.post(a.url, [ev.raised(new Date(now).toISOString(), new Date(now + 500).toISOString())]);
    const overdueBefore = overdue();
    await until(() => overdue() === overdueBefore + 1, 5000, 'the overdue clock bumps the district');
  });
});
