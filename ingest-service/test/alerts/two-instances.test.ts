/**
 * SPEC §15 across instances: two services over one PostgreSQL and one Redis evaluate the rules on
 * the leader only, so a critical issue fires once — one row, one webhook delivery, one `alert` per
 * wall socket on either instance — even when both evaluate at the same moment (as around a
 * hand-over) and after the leader goes and the other takes over.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNamespace } from '@dudao/testkit/redis';
import { openSharedDeployment, type SharedDeployment } from '../../testing/index.ts';
import { alertFirings } from '@dudao/db';
import type { AlertMessage } from '@dudao/domain';
import { requireServiceUrl, sleep, until, ev } from '@dudao/testkit';
import type { RunningServer } from '../../src/index.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { connectLive, type LiveClient } from '../trust/live-client.ts';

const DATABASE_URL = requireServiceUrl('DATABASE_URL');
const REDIS_URL = requireServiceUrl('REDIS_URL');
const LEASE_MS = 1500;
const DAY_MS = 86_400_000;
const namespace = testNamespace('alerts');

let deployment: SharedDeployment;
let receiver: WebhookReceiver;
let a: RunningServer;
let b: RunningServer;
const clients: LiveClient[] = [];

/** A wall client on `url` subscribed to the city, with every `alert` it was sent. */
async function wall(url: string) {
  const client = await connectLive(url, deployment.keys.viewer);
  clients.push(client);
  const alerts: AlertMessage[] = [];
  client.socket.on('alert', (m: AlertMessage) => alerts.push(m));
  expect(await client.subscribe('city')).toHaveProperty('data');
  return alerts;
}

const firings = () => deployment.testDb.database.db.select().from(alertFirings);
const critical = () => {
  const now = Date.now();
  return ev.raised(new Date(now).toISOString(), new Date(now + 3 * DAY_MS).toISOString(), {
    severity: 'critical',
  });
};

const needs = 'needs DATABASE_URL and REDIS_URL (two instances cannot share PGlite or the in-process store)';
describe.skipIf(!DATABASE_URL || !REDIS_URL)(`SPEC §15 alerts on two instances (${needs})`, () => {
  beforeAll(async () => {
    deployment = await openSharedDeployment({ redisUrl: REDIS_URL!, namespace });
    receiver = await startWebhookReceiver();
    const file = join(mkdtempSync(join(tmpdir(), 'dudao-alerts-2-')), 'alerts.json');
    writeFileSync(
      file,
      JSON.stringify({ webhooks: [{ name: 'hook', kind: 'json', url: `${receiver.url}/hook` }] }),
    );
    a = await deployment.start({ leaderLeaseMs: LEASE_MS, alertsFile: file });
    await until(() => a.leadership.isLeader, LEASE_MS * 3, 'A leads');
    b = await deployment.start({ leaderLeaseMs: LEASE_MS, alertsFile: file });
  });

  afterAll(async () => {
    for (const c of clients.splice(0)) c.close();
    await b?.close();
    await a?.close();
    await receiver?.close();
    await deployment?.close();
  });

  it('a critical issue ingested on the follower fires once: one row, one delivery, one push per wall', async () => {
    expect(b.leadership.isLeader).toBe(false);
    const onA = await wall(a.url);
    const onB = await wall(b.url);
    const event = critical();
    await deployment.post(b.url, [event]);
    await until(
      () => onA.length === 1 && onB.length === 1 && receiver.to('/hook').length === 1,
      5000,
      'fired',
    );
    // A few more of the leader's ticks: nothing more anywhere.
    await sleep(2500);
    expect((await firings()).map((f) => f.dedupeKey)).toEqual([`critical_issue:${event.issueId}`]);
    expect([onA.length, onB.length, receiver.to('/hook').length]).toEqual([1, 1, 1]);
    expect(onB[0]!.alert.subject.id).toBe(event.issueId);
  });

  it('both instances evaluating at the same moment (a hand-over) store and announce it once', async () => {
    const onA = await wall(a.url);
    const event = critical();
    await deployment.post(a.url, [event]);
    const [fromA, fromB] = await Promise.all([a.app.alerts.evaluator.tick(), b.app.alerts.evaluator.tick()]);
    await until(() => onA.length === 1, 5000, 'pushed');
    const stored = [...fromA, ...fromB].filter((r) => r.subjectId === event.issueId);
    // The leader's own timer may have been first; whoever stored it, it is stored once.
    expect(stored.length).toBeLessThanOrEqual(1);
    expect((await firings()).filter((f) => f.subjectId === event.issueId)).toHaveLength(1);
    await sleep(1500);
    expect(onA).toHaveLength(1);
  });

  it('after the leader goes, the other takes over and fires only what is new', async () => {
    await a.close();
    await until(() => b.leadership.isLeader, LEASE_MS * 3, 'B takes the lease');
    const onB = await wall(b.url);
    await sleep(1500); // B's evaluator ticks over everything A already fired
    expect(onB).toEqual([]);
    const event = critical();
    await deployment.post(b.url, [event]);
    await until(() => onB.length === 1, 5000, 'B fires the new one');
    expect((await firings()).map((f) => f.subjectId).sort()).toHaveLength(3);
    await until(() => receiver.to('/hook').length === 3, 5000, 'three deliveries in all');
  });
});
