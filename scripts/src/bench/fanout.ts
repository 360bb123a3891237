/**
 * SPEC §11 fan-out: 2,000 Socket.IO clients subscribed to the city on ONE instance; each round one
 * event is ingested and every client receives the coalesced `metrics` patch. Delivery = patch
 * received − request sent. Baseline: a bare `ws` server broadcasting the same payloads to 2,000 bare
 * `ws` clients, timed the same way (POST → received). Clients live in this process, the servers in
 * their own; on 2 cores they share the CPU, which the doc says.
 */
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { FeedMessage, MetricsMessage } from '@dudao/domain';
import { EventStream } from './events.ts';
import { step } from './progress.ts';
import { fmt, met, percentile, ratio, type Row } from './report.ts';
import { CLUSTER_INSTANCES } from './cluster.ts';
import { createBenchDatabase, startInstances, startProcess } from './stack.ts';

const WS_SCRIPT = new URL('./ws-broadcast-process.ts', import.meta.url).pathname;
const CLIENTS = 2000;
/** Clients connecting at once while the crowd builds up. */
const CONNECT_WAVE = 100;
const ROUNDS = 20;
const QUICK_ROUNDS = 5;
/** Rounds apart by far more than the coalescing window: each round is its own patch. */
const ROUND_GAP_MS = 600;
const ROUND_SETTLE_MS = 2000;

interface Round {
  sentAt: number;
  received: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inWaves<T>(n: number, make: (i: number) => Promise<T>, onProgress: (done: number) => void) {
  const out: T[] = [];
  for (let i = 0; i < n; i += CONNECT_WAVE) {
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(CONNECT_WAVE, n - i) }, (_, j) => make(i + j)))),
    );
    onProgress(out.length);
  }
  return out;
}

/** Runs `rounds` rounds: `trigger` starts one, each client's receipt is put in the current round. */
async function measureRounds(rounds: number, trigger: () => Promise<void>, current: { round: Round | null }) {
  const all: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    const round: Round = { sentAt: performance.now(), received: [] };
    current.round = round;
    all.push(round);
    await trigger();
    await sleep(ROUND_GAP_MS);
  }
  await sleep(ROUND_SETTLE_MS);
  current.round = null;
  const latencies = all.flatMap((r) => r.received.map((t) => t - r.sentAt)).sort((a, b) => a - b);
  const missing = rounds * CLIENTS - latencies.length;
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), missing };
}

/**
 * Clients spread evenly over `instances` instances of one deployment; every event is posted to the
 * first, so with several instances most clients get it through Redis (the change channel), as the
 * wall behind a load balancer does.
 */
async function dudaoFanout(databaseUrl: string, redisUrl: string, rounds: number, instances = 1) {
  const { db, keys } = await createBenchDatabase('postgres', databaseUrl);
  const services = await startInstances(db, redisUrl, instances);
  const service = services[0]!;
  const current: { round: Round | null } = { round: null };
  const sockets: Socket[] = [];
  // What one round sends each client, kept for the baseline to send the same.
  const payloads = { metrics: '', feed: '' };
  try {
    const s1 = step(
      `fan-out: ${fmt(CLIENTS)} Socket.IO clients connect and subscribe (${instances} instance(s))`,
    );
    await inWaves(
      CLIENTS,
      async (i) => {
        const url = services[i % instances]!.url;
        const socket = io(`${url}/live`, { auth: { token: keys.viewer }, transports: ['websocket'] });
        sockets.push(socket);
        await new Promise((resolve) => socket.emit('subscribe', { scope: 'city' }, resolve));
        socket.on('metrics', (msg: MetricsMessage) => {
          current.round?.received.push(performance.now());
          payloads.metrics ||= JSON.stringify(['metrics', msg]);
        });
        socket.once('feed', (msg: FeedMessage) => (payloads.feed ||= JSON.stringify(['feed', msg])));
      },
      (done) => s1.update(done, CLIENTS),
    );
    s1.done('all subscribed');
    const stream = new EventStream('bench-f');
    const s2 = step(
      `fan-out: ${rounds} updates to ${fmt(CLIENTS)} Socket.IO clients (${instances} instance(s))`,
    );
    let done = 0;
    const result = await measureRounds(
      rounds,
      async () => {
        const res = await fetch(`${service.url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' },
          body: JSON.stringify(stream.next(Date.now() - 1000)),
        });
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
        s2.update(++done, rounds);
      },
      current,
    );
    s2.done(`p50 ${fmt(result.p50, 1)} ms, p99 ${fmt(result.p99, 1)} ms, ${result.missing} missing`);
    return { ...result, payloads: [payloads.metrics, payloads.feed] };
  } finally {
    for (const socket of sockets) socket.close();
    await Promise.all(services.map((svc) => svc.stop()));
    await db.drop();
  }
}

/** Each round broadcasts the same two messages as Dudao's (the metrics patch, then the feed); the metrics one is timed. */
async function wsFanout(payloads: string[], rounds: number) {
  const server = await startProcess({}, WS_SCRIPT);
  const current: { round: Round | null } = { round: null };
  const clients: WebSocket[] = [];
  try {
    const s1 = step(`baseline: ${fmt(CLIENTS)} bare ws clients connect`);
    await inWaves(
      CLIENTS,
      async () => {
        const ws = new WebSocket(server.url.replace('http', 'ws'));
        clients.push(ws);
        ws.on('message', (data) => {
          // Decoded as a Socket.IO client decodes what it gets; the round's first message is timed.
          const [name] = JSON.parse(String(data)) as [string];
          if (name === 'metrics') current.round?.received.push(performance.now());
        });
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      },
      (done) => s1.update(done, CLIENTS),
    );
    s1.done('all connected');
    const s2 = step(`baseline: ${rounds} broadcasts to ${fmt(CLIENTS)} bare ws clients`);
    let done = 0;
    const result = await measureRounds(
      rounds,
      async () => {
        await fetch(`${server.url}/broadcast`, { method: 'POST', body: JSON.stringify(payloads) });
        s2.update(++done, rounds);
      },
      current,
    );
    s2.done(`p50 ${fmt(result.p50, 1)} ms, p99 ${fmt(result.p99, 1)} ms`);
    return result;
  } finally {
    for (const ws of clients) ws.terminate();
    await server.stop();
  }
}

export async function fanoutSuite(
  databaseUrl: string,
  redisUrl: string,
  opts: { quick: boolean },
): Promise<Row[]> {
  const rounds = opts.quick ? QUICK_ROUNDS : ROUNDS;
  const ours = await dudaoFanout(databaseUrl, redisUrl, rounds);
  const bare = await wsFanout(ours.payloads, rounds);
  const spread = await dudaoFanout(databaseUrl, redisUrl, rounds, CLUSTER_INSTANCES);
  const seen = (r: { missing: number }) =>
    `${fmt((100 * (rounds * CLIENTS - r.missing)) / (rounds * CLIENTS), 1)} % seen`;
  return [
    {
      what: `4. fan-out to ${fmt(CLIENTS)} clients, one instance`,
      value: `p99 ${fmt(ours.p99, 1)} ms (p50 ${fmt(ours.p50, 1)} ms), ${seen(ours)}`,
      target: 'p99 ≤ 250 ms',
      baseline: `bare ws p99 ${fmt(bare.p99, 1)} ms`,
      ratio: `${ratio(ours.p99, bare.p99)} × ws`,
      met: met(ours.p99 <= 250 && ours.missing === 0),
    },
    {
      what: `4. fan-out to ${fmt(CLIENTS)} clients over ${CLUSTER_INSTANCES} instances (events posted to one)`,
      value: `p99 ${fmt(spread.p99, 1)} ms (p50 ${fmt(spread.p50, 1)} ms), ${seen(spread)}`,
      target: 'p99 ≤ 250 ms',
      baseline: `1 instance p99 ${fmt(ours.p99, 1)} ms (${seen(ours)})`,
      ratio: ratio(spread.p99, ours.p99),
      met: met(spread.p99 <= 250 && spread.missing === 0),
    },
  ];
}
