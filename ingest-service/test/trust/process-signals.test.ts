/**
 * Faults, the process ends (SPEC §5: a 2xx survives any crash after it). `pnpm serve` runs as a
 * child process: killed with SIGKILL in the middle of a load, the restarted service has every
 * acknowledged event and a live store equal to a rebuild; stopped with SIGTERM, it lets in-flight
 * requests finish, tells its sockets, and exits 0. On PostgreSQL (+ Redis) when configured, else on
 * PGlite in a folder of its own, as `pnpm start` runs.
 */
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startChildService, type ChildService } from '../helpers/child-service.ts';
import { ev } from '@dudao/testkit';
import { deployment, type Deployment } from './deployment.ts';
import { connectLive } from './live-client.ts';
import { newestEventIds } from './reads.ts';
import { ledgerViolations, rebuiltSnapshot, values } from './truth.ts';

const SENDERS = 6;
const EVENTS_PER_REQUEST = 20;
/** Acknowledged requests before the kill: well into the load, with more in flight. */
const ACKED_BEFORE_KILL = 15;
/** Feed items compared with the event log after the restart. */
const FEED_CHECKED = 20;
/** Each start of `pnpm serve` compiles and migrates: seconds on a busy 2-core machine. */
const CHILD_TEST_MS = 90_000;

/** Senders posting batches until stopped or the service is gone; the ids of every 2xx are kept. */
function startLoad(url: string, key: string) {
  const acknowledged = new Set<string>();
  let answered = 0;
  let stopped = false;
  const send = async () => {
    while (!stopped) {
      const events = Array.from({ length: EVENTS_PER_REQUEST }, (_, i) =>
        i % 3 === 0
          ? ev.raised(new Date().toISOString(), '2099-01-01T00:00:00Z')
          : ev.started(new Date().toISOString()),
      );
      let res: Response;
      try {
        res = await fetch(`${url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(events),
        });
      } catch {
        return; // the service is gone
      }
      if (res.status !== 200) continue;
      const body = (await res.json()) as { rejected: { index: number }[] };
      const rejected = new Set(body.rejected.map((r) => r.index));
      events.forEach((e, i) => !rejected.has(i) && acknowledged.add(e.id));
      answered++;
    }
  };
  const done = Promise.all(Array.from({ length: SENDERS }, send));
  const stop = () => {
    stopped = true;
    return done;
  };
  return { acknowledged, answered: () => answered, done, stop };
}

/** One deployment for both tests: creating a database (PGlite's initdb) is the slow part. */
let d: Deployment;
beforeAll(async () => {
  d = await deployment();
}, CHILD_TEST_MS);
afterAll(() => d?.drop());

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function start(d: Deployment): Promise<ChildService> {
  const child = await startChildService(d.env);
  cleanup.push(async () => {
    child.kill('SIGKILL');
    await child.exited;
  });
  return child;
}

describe('the process is killed (SIGKILL) in the middle of a load', () => {
  it(
    'after a restart every acknowledged event is stored, and the live store equals a rebuild',
    { timeout: CHILD_TEST_MS },
    async () => {
      const first = await start(d);
      const load = startLoad(first.url, d.keys.ingest);
      await vi.waitFor(() => expect(load.answered()).toBeGreaterThanOrEqual(ACKED_BEFORE_KILL), {
        timeout: 30_000,
      });
      first.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      await load.done;

      // Start-up rebuilds the live store, its feed included (the in-process store's died with the
      // process); ingest then goes on from there.
      const second = await start(d);
      const feed = await fetch(`${second.url}/api/v1/feed?scope=city&limit=${FEED_CHECKED}`, {
        headers: { authorization: `Bearer ${d.keys.viewer}` },
      });
      const feedIds = ((await feed.json()) as { id: string }[]).map((item) => item.id);
      const after = startLoad(second.url, d.keys.ingest);
      await vi.waitFor(() => expect(after.answered()).toBeGreaterThanOrEqual(2), { timeout: 30_000 });
      await after.stop();
      const res = await fetch(`${second.url}/api/v1/metrics?scope=city`, {
        headers: { authorization: `Bearer ${d.keys.viewer}` },
      });
      const live = (await res.json()) as Parameters<typeof values>[0];
      second.kill('SIGTERM');
      expect(await second.exited).toEqual({ code: 0, signal: null });

      const acknowledged = [...load.acknowledged, ...after.acknowledged];
      await d.withDatabase(async (database) => {
        const rows = await database.query<{ n: string }>(
          'select count(*) as n from events where id = any($1)',
          [acknowledged],
        );
        expect(Number(rows[0]!.n)).toBe(acknowledged.length);
        expect(await ledgerViolations(database)).toEqual([]);
        expect(values(live)).toEqual(values(await rebuiltSnapshot(database, live.asOf)));
        // the feed right after the restart: the newest events of the log before the second load
        expect(feedIds).toEqual(
          await newestEventIds(database, 'city', FEED_CHECKED, [...after.acknowledged]),
        );
      });
    },
  );
});

/** A POST whose headers and first half of the body are sent now, the rest when `finish` is called. */
function halfSentRequest(url: string, key: string, events: unknown[]) {
  const body = Buffer.from(JSON.stringify(events));
  const req = request(`${url}/api/v1/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'content-length': body.length,
    },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  req.write(body.subarray(0, body.length / 2));
  return { finish: () => (req.end(body.subarray(body.length / 2)), answer) };
}

describe('the process is stopped (SIGTERM)', () => {
  it(
    'lets in-flight requests finish, closes its sockets so they reconnect elsewhere, exits 0',
    { timeout: CHILD_TEST_MS },
    async () => {
      const child = await start(d);
      const wall = await connectLive(child.url, d.keys.viewer);
      cleanup.push(async () => wall.close());
      expect(await wall.subscribe('city')).toHaveProperty('data');
      const disconnected = new Promise<string>((resolve) => wall.socket.once('disconnect', resolve));
      const batches = Array.from({ length: 3 }, () => [
        ev.started(new Date().toISOString()),
        ev.complaint(new Date().toISOString()),
      ]);
      const inFlight = batches.map((events) => halfSentRequest(child.url, d.keys.ingest, events));
      // Let the service read their headers: from then on they are requests it must finish.
      await new Promise((resolve) => setTimeout(resolve, 300));

      child.kill('SIGTERM');
      expect(await disconnected).toBe('transport close');
      const answers = await Promise.all(inFlight.map((r) => r.finish()));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(answers.map((a) => JSON.parse(a.body).accepted)).toEqual([2, 2, 2]);
      expect(await child.exited).toEqual({ code: 0, signal: null });
      await expect(fetch(`${child.url}/api/v1/healthz`)).rejects.toThrow();

      const ids = batches.flat().map((e) => e.id);
      await d.withDatabase(async (database) => {
        const rows = await database.query('select id from events where id = any($1)', [ids]);
        expect(rows).toHaveLength(ids.length);
      });
    },
  );
});
