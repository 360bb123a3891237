/**
 * Issue #10 item 4: the simulator's office acts as a person. Its 督办, 延期 and remarks become
 * `POST /api/v1/issues/:issueId/actions` made by a signed-in district supervisor (cookie and CSRF
 * token), against the real service on the backend the environment names.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DudaoEvent, IssueDetail } from '@dudao/domain';
import { configFromEnv, createKey, createUser, startServer, type RunningServer } from '@dudao/ingest-service';
import { openTestDatabase, requireServiceUrl, type TestDatabase } from '@dudao/testkit';
import { seedCity } from '../src/seed.ts';
import { HttpClient } from '../src/simulator/http.ts';
import { actionOf } from '../src/simulator/issues.ts';

const DISTRICT = '430211';
const DAY_MS = 86_400_000;
const SUPERVISOR = { login: 'ty-office', name: '天元区督学', role: 'supervisor', scope: DISTRICT } as const;

let t: TestDatabase;
let server: RunningServer;
let keys: { ingest: string; viewer: string };
let client: HttpClient;
const stop = new AbortController();

beforeAll(async () => {
  t = await openTestDatabase();
  await seedCity(t.database, { city: 'zhuzhou' });
  const redisUrl = requireServiceUrl('REDIS_URL');
  server = await startServer({
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    dataDir: 'memory://',
    database: t.database,
    databaseUrl: undefined,
    redisUrl,
    redisNamespace: `dudao-test-${randomBytes(4).toString('hex')}`,
    city: 'zhuzhou',
    dashboardDir: '/nonexistent',
    logger: false,
  });
  keys = {
    ingest: (await createKey(t.database, { role: 'ingest', scope: 'city' })).token,
    viewer: (await createKey(t.database, { role: 'viewer', scope: 'city' })).token,
  };
  const { password } = await createUser(t.database, SUPERVISOR, {
    actor: { login: 'test' },
    isScope: (s) => s === 'city' || /^\d{6}$/.test(s),
  });
  client = new HttpClient({
    baseUrl: server.url,
    ingestKey: keys.ingest,
    viewerKey: keys.viewer,
    supervisor: { login: SUPERVISOR.login, password },
    signal: stop.signal,
  });
}, 180_000);

afterAll(async () => {
  stop.abort();
  await server?.close();
  await t?.drop();
});

const issueOf = async (issueId: string) => {
  const res = await fetch(`${server.url}/api/v1/issues/${issueId}`, {
    headers: { authorization: `Bearer ${keys.viewer}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as IssueDetail;
};

describe('the simulator’s office acts through the issue actions route, signed in as a supervisor', () => {
  it('urges, extends and remarks: on the timeline under the supervisor’s name, a retry acting once', async () => {
    const registry = (await client.fetchRegistry())!;
    const school = registry.schools.find((s) => s.district === DISTRICT)!;
    const inspector = registry.inspectors.find((p) => p.district === DISTRICT)!;
    const raisedAt = Date.now() - 10 * DAY_MS;
    const issueId = 'sim-office-1';
    const raised = await client.postEvents({
      id: 'sim-office-1-raised',
      type: 'issue.raised',
      occurredAt: new Date(raisedAt).toISOString(),
      district: DISTRICT,
      inspector: inspector.id,
      issueId,
      target: { kind: 'school', id: school.id },
      category: 'homework',
      severity: 'major',
      deadline: new Date(raisedAt + 7 * DAY_MS).toISOString(),
    });
    expect(raised?.accepted).toBe(1);
    expect(await client.supervisorScope()).toBe(DISTRICT);

    // what the simulator's office makes (simulator/issues.ts actOnIssue), with the office as actor
    const office = {
      district: DISTRICT,
      issueId,
      occurredAt: new Date().toISOString(),
      actor: '区教育督导办',
    };
    const events: DudaoEvent[] = [
      { ...office, id: 'sim-office-1-u', type: 'issue.urged', note: '请尽快整改并上报' },
      {
        ...office,
        id: 'sim-office-1-x',
        type: 'issue.deadline_extended',
        deadline: new Date(Date.now() + 7 * DAY_MS).toISOString(),
        reason: '学校申请延期',
      },
      { ...office, id: 'sim-office-1-c', type: 'issue.commented', note: '已电话督促' },
    ];
    for (const event of events) {
      const action = actionOf(event)!;
      expect(action.issueId).toBe(issueId);
      expect(await client.act(action.issueId, action.body)).toEqual({
        accepted: 1,
        duplicates: 0,
        rejected: [],
      });
    }
    const again = actionOf(events[0]!)!;
    expect(await client.act(again.issueId, again.body)).toMatchObject({ accepted: 0, duplicates: 1 });

    const issue = await issueOf(issueId);
    expect(issue.urges).toBe(1);
    expect(issue.overdue).toBe(false);
    const acted = issue.timeline.filter((e) => e.type !== 'issue.raised');
    expect(acted.map((e) => [e.type, e.actor])).toEqual([
      ['issue.urged', SUPERVISOR.name],
      ['issue.deadline_extended', SUPERVISOR.name],
      ['issue.commented', SUPERVISOR.name],
    ]);
  });

  it('leaves every other event to the ingest', () => {
    const raised = {
      id: 'x',
      type: 'issue.raised',
      occurredAt: new Date().toISOString(),
      district: DISTRICT,
      issueId: 'i',
      target: { kind: 'school', id: 's' },
      category: 'homework',
      severity: 'major',
      deadline: new Date().toISOString(),
    } as const;
    expect(actionOf(raised)).toBeUndefined();
    expect(actionOf({ ...raised, type: 'issue.rectified' })).toBeUndefined();
  });
});
