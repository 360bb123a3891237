/**
 * Ingest benchmarks (SPEC §11 rows 1–3): batched ingest against PostgreSQL COPY of the same rows,
 * single-event requests/s against Fastify's hello world (autocannon), and event → subscribed client
 * latency at a fixed rate. The service runs in its own process; this process is the load generator.
 */
import { Agent, request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { io } from 'socket.io-client';
import type { FeedMessage } from '@dudao/domain';
import { copyRow, type BenchEvent, type EventStream } from './events.ts';
import { percentile } from './report.ts';

export type Progress = (done: number, total: number) => void;

/** Requests of a batched load in flight at once: enough for group commit to fill its groups. */
const BATCH_CONCURRENCY = 4;
/** Events of the rate-limited latency run handed out per timer tick. */
const LATENCY_TICK_MS = 5;
/** Time for the last pushes to arrive after the last request. */
const LATENCY_DRAIN_MS = 1500;

/** What batched ingest posts: the demo's mixed stream, or a stream of one kind. */
export type EventSource = Pick<EventStream, 'batch'>;

export interface IngestTarget {
  url: string;
  key: string;
}

/**
 * Requests in flight at most, on kept-alive connections: fetch would open a new connection for
 * every request beyond its pool at 2,000 requests/s, and the connection churn would be measured.
 */
const MAX_SOCKETS = 128;
const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });

/** A 503 (nothing stored; "retry later") is retried after this long, as a client would; counted as failed. */
const RETRY_AFTER_MS = 500;
const MAX_TRIES = 5;

function postOnce(target: IngestTarget, body: string): Promise<{ status: number; text: string }> {
  const url = new URL('/api/v1/events', target.url);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${target.key}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.end(body);
  });
}

/** Posts a batch until it is stored; `failed` counts the 503s met on the way. */
async function postBody(target: IngestTarget, body: string): Promise<{ accepted: number; failed: number }> {
  for (let tries = 1; ; tries++) {
    const { status, text } = await postOnce(target, body);
    if (status === 200)
      return { accepted: (JSON.parse(text) as { accepted: number }).accepted, failed: tries - 1 };
    if (status !== 503 || tries === MAX_TRIES)
      throw new Error(`ingest answered ${status} (try ${tries}): ${text.slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
  }
}

/**
 * Posts `total` events in batches of `batchSize`, `BATCH_CONCURRENCY` requests in flight; bodies are
 * built before the clock starts. `at(i)` is the occurredAt of the i-th event.
 */
export async function batchedIngest(
  target: IngestTarget,
  stream: EventSource,
  p: { total: number; batchSize: number; at: (i: number) => number; onProgress?: Progress },
): Promise<{ eventsPerSec: number; accepted: number; failed: number; seconds: number }> {
  const bodies: string[] = [];
  for (let i = 0; i < p.total; i += p.batchSize) {
    const size = Math.min(p.batchSize, p.total - i);
    bodies.push(JSON.stringify(stream.batch(size, (j) => p.at(i + j))));
  }
  let next = 0;
  let accepted = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const answer = await postBody(target, body);
      accepted += answer.accepted;
      failed += answer.failed;
      p.onProgress?.(accepted, p.total);
    }
  };
  await Promise.all(Array.from({ length: BATCH_CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (accepted !== p.total) throw new Error(`batched ingest: ${accepted} of ${p.total} accepted`);
  return { eventsPerSec: accepted / seconds, accepted, failed, seconds };
}

/** COPY of the rows the same events become, into the `events` table of a fresh, migrated database. */
export async function copyBaseline(
  databaseUrl: string,
  stream: EventStream,
  p: { total: number; at: (i: number) => number },
): Promise<{ eventsPerSec: number; seconds: number }> {
  const receivedAt = new Date();
  const chunks: string[] = [];
  const CHUNK_ROWS = 1000;
  for (let i = 0; i < p.total; i += CHUNK_ROWS) {
    const size = Math.min(CHUNK_ROWS, p.total - i);
    chunks.push(
      stream
        .batch(size, (j) => p.at(i + j))
        .map((e) => copyRow(e, receivedAt))
        .join(''),
    );
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    await client.query('BEGIN');
    const copy = client.query(
      copyFrom(
        'COPY events (id, type, district, inspector, occurred_at, received_at, content_hash, payload) FROM STDIN',
      ),
    );
    await pipeline(Readable.from(chunks), copy);
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    return { eventsPerSec: p.total / seconds, seconds };
  } finally {
    await client.end();
  }
}

export interface CannonResult {
  requestsPerSec: number;
  non2xx: number;
  errors: number;
  p99Ms: number;
}

function runCannon(options: autocannon.Options, onTick?: () => void): Promise<CannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (err, result) => {
      if (err) return reject(err);
      resolve({
        requestsPerSec: result.requests.average,
        non2xx: result.non2xx,
        errors: result.errors,
        p99Ms: result.latency.p99,
      });
    });
    if (onTick) instance.on('tick', onTick);
  });
}

export const helloWorldRate = (url: string, connections: number, seconds: number, onTick?: () => void) =>
  runCannon({ url, connections, duration: seconds }, onTick);

/** One new event per request (autocannon's setupRequest), as the mini-program posts them. */
export function singleEventRate(
  target: IngestTarget,
  stream: EventStream,
  connections: number,
  seconds: number,
  onTick?: () => void,
) {
  return runCannon(
    {
      url: `${target.url}/api/v1/events`,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify(stream.next(Date.now() - 1000)) }),
        },
      ],
    },
    onTick,
  );
}

/**
 * `rate` events/s for `seconds`, `perRequest` events per request; a client subscribed to every district
 * sees each event in a `feed` push. Latency = push received − request sent (so it includes the
 * ingest itself: an upper bound of accepted → on the client).
 */
export async function endToEndLatency(
  target: IngestTarget & { viewerKey: string; districts: readonly string[] },
  stream: EventStream,
  p: { rate: number; perRequest: number; seconds: number; onProgress?: Progress },
): Promise<{ p50Ms: number; p99Ms: number; seen: number; sent: number; failed: number }> {
  const socket = io(`${target.url}/live`, { auth: { token: target.viewerKey }, transports: ['websocket'] });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  socket.on('feed', (msg: FeedMessage) => {
    const now = performance.now();
    for (const item of msg.items) {
      const t = sentAt.get(item.id);
      if (t === undefined) continue;
      latencies.push(now - t);
      sentAt.delete(item.id);
    }
  });
  await Promise.all(
    target.districts.map((scope) => new Promise((resolve) => socket.emit('subscribe', { scope }, resolve))),
  );
  const total = Math.round(p.rate * p.seconds);
  const perTick = (p.rate * LATENCY_TICK_MS) / 1000;
  let sent = 0;
  let failed = 0;
  const inFlight: Promise<void>[] = [];
  const send = (events: BenchEvent[]) => {
    const now = performance.now();
    for (const e of events) sentAt.set(e.id, now);
    inFlight.push(
      postBody(target, JSON.stringify(events.length === 1 ? events[0] : events)).then(
        () => undefined,
        () => void failed++,
      ),
    );
  };
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // Catch up with the schedule: timers drift, the rate must not.
      const due = Math.min(total, Math.floor(((performance.now() - started) / LATENCY_TICK_MS) * perTick));
      while (due - sent >= p.perRequest || (due === total && sent < total)) {
        const n = Math.min(p.perRequest, total - sent);
        send(stream.batch(n, () => Date.now() - 1000));
        sent += n;
      }
      p.onProgress?.(sent, total);
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, LATENCY_TICK_MS);
  });
  await Promise.all(inFlight);
  await new Promise((r) => setTimeout(r, LATENCY_DRAIN_MS));
  socket.close();
  latencies.sort((a, b) => a - b);
  return {
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    seen: latencies.length,
    sent,
    failed,
  };
}
