/**
 * SPEC §15 alerts on a real service (both backends): each rule fires once and only once as the
 * clock moves; a firing reaches the wall's sockets and the webhooks (generic JSON, DingTalk robot
 * with its signature checked here, WeCom robot) of a local receiver; a receiver that fails and then
 * recovers gets it on a retry, every attempt logged; a supervisor acknowledges in scope, audited;
 * the admin API sets the thresholds.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlertMessage } from '@dudao/domain';
import { listAudit } from '@dudao/db';
import { readAlertsFile } from '../../src/alerts/config.ts';
import { ev, HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { makeUser, signIn } from '../helpers/people.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { connectLive, type LiveClient } from '../trust/live-client.ts';

const DAY_MS = 86_400_000;
const DING_SECRET = 'SECtest-dingtalk-secret';
const JSON_SECRET = 'json-hook-secret';
/** the 10th: before the coverage rule's day */
const START = '2026-11-10T10:00:00+08:00';
const WAIT = { timeout: 10_000, interval: 50 };

const clock = testClock(START);
const iso = (ms: number) => new Date(ms).toISOString();
let receiver: WebhookReceiver;
let svc: TestService;
let city: LiveClient;
let district: LiveClient;
const pushed: { city: AlertMessage[]; district: AlertMessage[] } = { city: [], district: [] };

function writeAlertsFile(dir: string, url: string): string {
  const path = join(dir, 'alerts.json');
  const doc = {
    rules: { issue_overdue: { days: 7 }, complaint_open: { days: 5 } },
    webhooks: [
      { name: '通用', kind: 'json', url: `${url}/json`, secret: JSON_SECRET, rules: ['critical_issue'] },
      {
        name: '督导办钉钉群',
        kind: 'dingtalk',
        url: `${url}/ding?access_token=ding-token`,
        secret: DING_SECRET,
        rules: ['critical_issue'],
      },
      {
        name: '企业微信群',
        kind: 'wecom',
        url: `${url}/wecom?key=wecom-key`,
        msgtype: 'text',
        rules: ['critical_issue'],
      },
      { name: '时好时坏', kind: 'json', url: `${url}/flaky`, rules: ['issue_reopened'] },
      { name: '荷塘区', kind: 'json', url: `${url}/ht`, scope: HT },
    ],
  };
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

const alerts = async (query = '') =>
  (await svc.get(`/api/v1/alerts?scope=city${query}`, svc.keys.viewer)).body;
const keysOf = async () =>
  ((await alerts()).items as { rule: string; subject: { id: string } }[])
    .map((a) => `${a.rule}:${a.subject.id}`)
    .sort();
const tickTimes = async (n: number) => {
  for (let i = 0; i < n; i++) await svc.server.app.alerts.evaluator.tick();
};

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const file = writeAlertsFile(mkdtempSync(join(tmpdir(), 'dudao-alerts-')), receiver.url);
  svc = await startTestService({
    clock,
    alertsFile: file,
    alertRetry: { retries: 3, minTimeoutMs: 100, maxTimeoutMs: 400 },
  });
  city = await connectLive(svc.url, svc.keys.viewer);
  district = await connectLive(svc.url, svc.keys.viewerTY);
  city.socket.on('alert', (m: AlertMessage) => pushed.city.push(m));
  district.socket.on('alert', (m: AlertMessage) => pushed.district.push(m));
  expect(await city.subscribe('city')).toHaveProperty('data');
  expect(await district.subscribe(TY)).toHaveProperty('data');
});
afterAll(async () => {
  city?.close();
  district?.close();
  await svc?.close();
  await receiver?.close();
});

describe('SPEC §15 a critical issue raised', () => {
  let issueId: string;

  it('fires once: stored, pushed to the city and the district walls, delivered in three formats', async () => {
    const raised = ev.raised(iso(clock.now()), iso(clock.now() + 3 * DAY_MS), { severity: 'critical' });
    issueId = raised.issueId;
    expect((await svc.post([raised])).status).toBe(200);

    await vi.waitFor(() => {
      expect(pushed.city).toHaveLength(1);
      expect(pushed.district).toHaveLength(1);
      for (const path of ['/json', '/ding', '/wecom']) expect(receiver.to(path)).toHaveLength(1);
    }, WAIT);
    expect(pushed.city[0]!.alert).toMatchObject({
      rule: 'critical_issue',
      district: TY,
      districtName: '天元区',
      subject: { kind: 'issue', id: issueId },
      severity: 'critical',
      // named by its school, not its id
      facts: { target: 'S-TY-1', targetName: '天元区泰山学校' },
      acknowledgedAt: null,
    });

    // Evaluated again and again (the leader's next ticks): nothing more is stored, pushed or sent.
    await tickTimes(3);
    expect(await keysOf()).toEqual([`critical_issue:${issueId}`]);
    expect(pushed.city).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path !== '/ht')).toHaveLength(3);
    expect(receiver.to('/ht')).toHaveLength(0); // a 荷塘区 hook hears nothing of 天元区
  });

  it('the DingTalk robot gets markdown, signed as DingTalk documents (timestamp + HMAC-SHA256, base64, URL-encoded)', () => {
    const [got] = receiver.to('/ding');
    const query = new URLSearchParams(got!.rawQuery);
    expect(query.get('access_token')).toBe('ding-token');
    const timestamp = query.get('timestamp')!;
    expect(Number(timestamp)).toBe(clock.now());
    const expected = createHmac('sha256', DING_SECRET)
      .update(`${timestamp}\n${DING_SECRET}`)
      .digest('base64');
    // The raw query carries the URL-encoded base64; decoded it is the HMAC.
    const rawSign = /(?:^|&)sign=([^&]*)/.exec(got!.rawQuery)![1]!;
    expect(rawSign).toBe(encodeURIComponent(expected));
    expect(decodeURIComponent(rawSign)).toBe(expected);
    expect(got!.json).toMatchObject({ msgtype: 'markdown', markdown: { title: '【督导告警】严重问题' } });
    expect(got!.json.markdown.text).toContain('**天元区**');
    expect(got!.json.markdown.text).toContain(issueId);
  });

  it('the WeCom robot gets text; the generic hook gets the alert as JSON with its HMAC signature', () => {
    const [wecom] = receiver.to('/wecom');
    expect(new URLSearchParams(wecom!.rawQuery).get('key')).toBe('wecom-key');
    expect(wecom!.json).toEqual({
      msgtype: 'text',
      text: {
        content: expect.stringMatching(
          /^【督导告警】严重问题\n天元区：天元区泰山学校发现严重问题（作业管理，编号 iss/,
        ),
      },
    });
    const [json] = receiver.to('/json');
    const timestamp = json!.headers['x-dudao-timestamp'] as string;
    const signature = createHmac('sha256', JSON_SECRET).update(`${timestamp}.${json!.body}`).digest('hex');
    expect(json!.headers['x-dudao-signature']).toBe(`sha256=${signature}`);
    expect(json!.json.alert).toMatchObject({ rule: 'critical_issue', subject: { id: issueId } });
  });

  it('every delivery attempt is logged for admins, naming the webhook and never its URL or secret', async () => {
    const { status, body } = await svc.get('/api/v1/admin/alerts/deliveries', svc.keys.admin);
    expect(status).toBe(200);
    expect(body.items.map((d: { webhook: string }) => d.webhook).sort()).toEqual([
      '企业微信群',
      '督导办钉钉群',
      '通用',
    ]);
    expect(
      body.items.every(
        (d: { outcome: string; attempt: number }) => d.outcome === 'delivered' && d.attempt === 1,
      ),
    ).toBe(true);
    const text = JSON.stringify(body);
    for (const secret of ['ding-token', 'wecom-key', DING_SECRET, JSON_SECRET, receiver.url])
      expect(text).not.toContain(secret);
    expect((await svc.get('/api/v1/admin/alerts/deliveries', svc.keys.viewer)).status).toBe(403);
  });
});

describe('SPEC §15 overdue, reopened, complaint open: each fires once as the clock moves', () => {
  it('fires each rule once at its threshold and never again; the failing receiver gets it on a retry', async () => {
    const now = clock.now();
    const late = ev.raised(iso(now), iso(now + DAY_MS));
    const twice = ev.raised(iso(now), iso(now + DAY_MS));
    const complaint = ev.complaint(iso(now));
    receiver.failNext('/flaky', 2);
    const reopen = (n: number) => [
      ev.rectified(iso(now + n), twice.issueId),
      ev.verified(iso(now + n + 1), twice.issueId, 'failed', { deadline: iso(now + 40 * DAY_MS) }),
    ];
    expect((await svc.post([late, twice, complaint, ...reopen(10)])).status).toBe(200);
    await tickTimes(2);
    expect(await keysOf()).not.toContain(`issue_reopened:${twice.issueId}`); // once is not twice
    expect((await svc.post(reopen(20))).body.accepted).toBe(2);
    await vi.waitFor(async () => expect(await keysOf()).toContain(`issue_reopened:${twice.issueId}`), WAIT);

    // 5 days less a minute: the complaint is not yet 5 days open.
    clock.set(now + 5 * DAY_MS - 60_000);
    await tickTimes(2);
    expect(await keysOf()).not.toContain(`complaint_open:${complaint.complaintId}`);
    clock.set(now + 5 * DAY_MS);
    await tickTimes(2);
    expect(await keysOf()).toContain(`complaint_open:${complaint.complaintId}`);
    // The deadline was now + 1 day: 7 days past it is now + 8 days.
    clock.set(now + 8 * DAY_MS - 60_000);
    await tickTimes(2);
    expect(await keysOf()).not.toContain(`issue_overdue:${late.issueId}`);
    clock.set(now + 8 * DAY_MS);
    await tickTimes(3);
    clock.set(now + 9 * DAY_MS);
    await tickTimes(3);

    const keys = await keysOf();
    for (const key of [
      `issue_overdue:${late.issueId}`,
      `issue_reopened:${twice.issueId}`,
      `complaint_open:${complaint.complaintId}`,
    ])
      expect(keys.filter((k) => k === key)).toHaveLength(1);
    // `twice` was raised with deadline now + 1 day, then given 40 days: never overdue.
    expect(keys).not.toContain(`issue_overdue:${twice.issueId}`);

    // The receiver failed twice, then took it: three attempts, logged in order.
    await vi.waitFor(() => expect(receiver.to('/flaky')).toHaveLength(3), WAIT);
    await svc.server.app.alerts.dispatcher.settled();
    const { body } = await svc.get('/api/v1/admin/alerts/deliveries', svc.keys.admin);
    const flaky = (body.items as { webhook: string; attempt: number; outcome: string; status: number }[])
      .filter((d) => d.webhook === '时好时坏')
      .reverse();
    expect(flaky.map((d) => [d.attempt, d.outcome, d.status])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 503],
      [3, 'delivered', 200],
    ]);
    expect(receiver.to('/flaky').every((r) => r.json.alert.rule === 'issue_reopened')).toBe(true);
  });
});

describe('SPEC §15 coverage below X % on day D of the month', () => {
  it('fires once per district for the month from day D, for districts below the floor only', async () => {
    const put = await svc.request('PUT', '/api/v1/admin/alerts/rules', svc.keys.admin, {
      rules: { coverage_low: { belowPercent: 50, dayOfMonth: 20 } },
    });
    expect(put.status).toBe(200);
    clock.set('2026-11-19T12:00:00+08:00');
    // 天元区 has 3 schools: one covered is 33 %; 荷塘区's one school covered is 100 %.
    const at = iso(clock.now());
    await svc.post([
      ev.started(at),
      ev.started(at, { district: HT, target: { kind: 'school', id: 'S-HT-1' }, inspector: 'P-HT-1' }),
    ]);
    await tickTimes(2);
    expect((await keysOf()).filter((k) => k.startsWith('coverage_low'))).toEqual([]);
    clock.set('2026-11-20T00:00:00+08:00');
    await tickTimes(3);
    clock.set('2026-11-28T00:00:00+08:00');
    await tickTimes(2);
    expect((await keysOf()).filter((k) => k.startsWith('coverage_low'))).toEqual([
      `coverage_low:${TY}:2026-11`,
    ]);
    const [coverage] = (await alerts()).items.filter((a: { rule: string }) => a.rule === 'coverage_low');
    expect(coverage.facts).toMatchObject({
      covered: 1,
      total: 3,
      percent: 33.3,
      belowPercent: 50,
      month: '2026-11',
    });
  });
});

describe('SPEC §15 a supervisor acknowledges an alert', () => {
  it('in scope only; recorded in the audit log; the walls hear it; a second acknowledgement keeps the first', async () => {
    await makeUser(svc.database, 'ty-sup', 'supervisor', TY);
    await makeUser(svc.database, 'ht-sup', 'supervisor', HT);
    await makeUser(svc.database, 'ty-viewer', 'viewer', TY);
    const [first] = (await alerts('&state=open')).items as { id: string; district: string }[];
    expect(first!.district).toBe(TY);
    const path = `/api/v1/alerts/${first!.id}/ack`;
    expect((await (await signIn(svc.url, 'ht-sup')).request('POST', path)).status).toBe(403);
    expect((await (await signIn(svc.url, 'ty-viewer')).request('POST', path)).status).toBe(403);
    expect((await svc.request('POST', path, svc.keys.viewer)).status).toBe(403);
    expect((await svc.request('POST', '/api/v1/alerts/999999/ack', svc.keys.admin)).status).toBe(404);

    const sup = await signIn(svc.url, 'ty-sup');
    const ack = await sup.request('POST', path);
    expect(ack.status).toBe(200);
    expect(ack.body.alert).toMatchObject({
      id: first!.id,
      acknowledgedBy: 'ty-sup',
      acknowledgedAt: iso(clock.now()),
    });
    await vi.waitFor(
      () =>
        expect(pushed.city.some((m) => m.alert.id === first!.id && m.alert.acknowledgedBy === 'ty-sup')).toBe(
          true,
        ),
      WAIT,
    );
    expect((await svc.request('POST', path, svc.keys.admin)).body.alert.acknowledgedBy).toBe('ty-sup');

    const audit = await listAudit(svc.database, { limit: 50 });
    const acks = audit.filter((a) => a.action === 'alert.ack' && a.target === first!.id);
    expect(acks.map((a) => a.login)).toEqual(
      expect.arrayContaining(['ty-sup', expect.stringMatching(/^key:/)]),
    );
    expect(acks).toHaveLength(2);
    expect((await alerts('&state=open')).items.map((a: { id: string }) => a.id)).not.toContain(first!.id);
    expect((await alerts('&state=acknowledged')).items.map((a: { id: string }) => a.id)).toEqual([first!.id]);
  });

  it('a district key reads its own district only', async () => {
    expect((await svc.get(`/api/v1/alerts?scope=${TY}`, svc.keys.viewerTY)).status).toBe(200);
    expect((await svc.get(`/api/v1/alerts?scope=${HT}`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get('/api/v1/alerts?scope=city', svc.keys.viewerTY)).status).toBe(403);
  });
});

describe('SPEC §15 thresholds in configuration', () => {
  it('GET shows the rules in force, where they come from, and the webhooks without URL or secret', async () => {
    const { status, body } = await svc.get('/api/v1/admin/alerts/rules', svc.keys.admin);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      source: 'api',
      rules: { coverage_low: { belowPercent: 50, dayOfMonth: 20 }, complaint_open: { days: 7 } },
    });
    expect(body.webhooks).toContainEqual({
      name: '督导办钉钉群',
      kind: 'dingtalk',
      msgtype: 'markdown',
      scope: 'city',
      rules: ['critical_issue'],
      signed: true,
    });
    expect(JSON.stringify(body)).not.toMatch(/ding-token|wecom-key|SECtest|127\.0\.0\.1/);
    expect((await svc.get('/api/v1/admin/alerts/rules', svc.keys.viewer)).status).toBe(403);
  });

  it('PUT names each wrong field; a district admin may not set the city rules; the change is audited', async () => {
    const bad = await svc.request('PUT', '/api/v1/admin/alerts/rules', svc.keys.admin, {
      rules: { issue_overdue: { days: 0 }, late_reports: {} },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { path: '/rules/late_reports', message: expect.stringContaining('is not a rule') },
      { path: '/rules/issue_overdue/days', message: 'must be a whole number from 1 to 365' },
    ]);
    await makeUser(svc.database, 'ty-admin', 'admin', TY);
    const districtAdmin = await signIn(svc.url, 'ty-admin');
    expect((await districtAdmin.request('PUT', '/api/v1/admin/alerts/rules', { rules: {} })).status).toBe(
      403,
    );
    const audit = await listAudit(svc.database, { limit: 50 });
    expect(audit.filter((a) => a.action === 'alert.rules.update')).toHaveLength(1);
  });

  it('a wrong ALERTS_FILE is refused at start, naming the file and each field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dudao-alerts-bad-'));
    const path = join(dir, 'alerts.json');
    writeFileSync(
      path,
      JSON.stringify({
        rules: { complaint_open: { days: 'seven' } },
        webhooks: [
          { name: 'x', kind: 'feishu', url: 'ftp://x' },
          { name: 'w', kind: 'wecom', url: 'http://h/', secret: 's' },
        ],
      }),
    );
    const isScope = (s: string) => s === 'city' || s === TY;
    await expect(readAlertsFile(path, isScope)).rejects.toThrow(
      `ALERTS_FILE ${path}: /rules/complaint_open/days must be a whole number from 1 to 365; ` +
        '/webhooks/0/kind must be one of json, dingtalk, wecom; /webhooks/0/url must be an http(s) URL; ' +
        '/webhooks/1/secret a WeCom robot is not signed: its key is in the URL',
    );
    writeFileSync(path, '{ "rules": ');
    await expect(readAlertsFile(path, isScope)).rejects.toThrow(`ALERTS_FILE ${path}: / is not JSON`);
  });
});
