/**
 * Issue #10: the simulator's supervisor acts through `POST /api/v1/issues/:issueId/actions` with a
 * cookie session (SPEC §12). When the server ends that session — revoked (its row deleted) or idle
 * past SESSION_IDLE_MS — the next action gets a 401: the simulator signs in again and the action
 * goes through, once. A supervisor who can no longer sign in (disabled) ends the run instead of
 * looping. Against the real service, on the backend the environment names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueDetail } from '@dudao/domain';
import { createUser, disableUser } from '@dudao/ingest-service';
import { startTestService, type TestService } from '@dudao/ingest-service/testing';
import { ev, testClock, TY } from '@dudao/testkit';
import { FatalHttpError, HttpClient } from '../src/simulator/http.ts';

const HOUR_MS = 3_600_000;
/** SESSION_IDLE_MS (ingest-service/src/people/sessions.ts) and a little */
const PAST_IDLE_MS = 12 * HOUR_MS + 60_000;
const SUPERVISOR = { login: 'ty-sim-office', name: '天元区督导办', role: 'supervisor', scope: TY } as const;

const clock = testClock('2026-11-26T10:00:00+08:00');
let svc: TestService;
let password: string;
const stop = new AbortController();

beforeAll(async () => {
  svc = await startTestService({ clock });
  ({ password } = await createUser(svc.database, SUPERVISOR, {
    actor: { login: 'test' },
    isScope: (s) => s === 'city' || /^\d{6}$/.test(s),
  }));
}, 180_000);
afterAll(async () => {
  stop.abort();
  await svc?.close();
});

const simulatorClient = () =>
  new HttpClient({
    baseUrl: svc.url,
    ingestKey: svc.keys.ingest,
    viewerKey: svc.keys.viewer,
    supervisor: { login: SUPERVISOR.login, password },
    signal: stop.signal,
  });

/** An open issue of 天元区, raised an hour before the clock's now. */
async function raiseIssue(): Promise<string> {
  const e = ev.raised(
    new Date(clock.now() - HOUR_MS).toISOString(),
    new Date(clock.now() + 7 * 24 * HOUR_MS).toISOString(),
  );
  expect((await svc.post([e])).body.accepted).toBe(1);
  return e.issueId;
}

const noted = (note: string) => ({ id: `sim-${Math.random().toString(36).slice(2, 12)}`, note });

/** The supervisor's sessions as the server holds them, and their successful sign-ins. */
async function serverSide() {
  const sessions = await svc.database.query<{ token_hash: string }>(
    'select s.token_hash from sessions s join users u on u.id = s.user_id where u.login = $1',
    [SUPERVISOR.login],
  );
  const [signIns] = await svc.database.query<{ n: number }>(
    `select count(*)::int as n from audit_log where login = $1 and action = 'session.create' and outcome = 'ok'`,
    [SUPERVISOR.login],
  );
  return { sessions: sessions.map((s) => s.token_hash), signIns: signIns!.n };
}

const timelineOf = async (issueId: string) =>
  ((await svc.get(`/api/v1/issues/${issueId}`)).body as IssueDetail).timeline
    .filter((e) => e.type !== 'issue.raised')
    .map((e) => [e.type, e.note ?? null, e.actor]);

describe('the simulator signs in again when the server ends its session, and goes on', () => {
  it('revoked mid-run (the session deleted server-side): the next action signs in again and acts once', async () => {
    const client = simulatorClient();
    const issueId = await raiseIssue();
    const before = (await serverSide()).signIns;

    const first = noted('请本周内完成整改');
    expect(await client.act(issueId, { type: 'urge', ...first })).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    const signedIn = await serverSide();
    expect(signedIn.sessions).toHaveLength(1);
    expect(signedIn.signIns).toBe(before + 1);

    clock.advance(60_000);
    await svc.database.query('delete from sessions where token_hash = $1', [signedIn.sessions[0]]);
    const second = noted('已电话督促校长');
    expect(await client.act(issueId, { type: 'comment', ...second })).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    const after = await serverSide();
    expect(after.signIns).toBe(before + 2);
    expect(after.sessions).toHaveLength(1);
    expect(after.sessions[0]).not.toBe(signedIn.sessions[0]);

    // and the new session keeps serving: no third sign-in for the next action
    clock.advance(60_000);
    expect(await client.act(issueId, { type: 'comment', ...noted('已复核整改方案') })).toMatchObject({
      accepted: 1,
    });
    expect((await serverSide()).signIns).toBe(before + 2);
    expect(await timelineOf(issueId)).toEqual([
      ['issue.urged', first.note, SUPERVISOR.name],
      ['issue.commented', second.note, SUPERVISOR.name],
      ['issue.commented', '已复核整改方案', SUPERVISOR.name],
    ]);
  });

  it('expired (idle past SESSION_IDLE_MS on the server’s clock): signs in again and acts', async () => {
    const client = simulatorClient();
    const issueId = await raiseIssue();
    expect(await client.act(issueId, { type: 'comment', ...noted('首次跟进') })).toMatchObject({
      accepted: 1,
    });
    const { signIns, sessions } = await serverSide();

    clock.advance(PAST_IDLE_MS);
    // nothing deleted it: the server refuses it for its age alone
    expect((await serverSide()).sessions).toEqual(sessions);

    const late = noted('超过12小时后再次督办');
    expect(await client.act(issueId, { type: 'urge', ...late })).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    const after = await serverSide();
    expect(after.signIns).toBe(signIns + 1);
    expect(after.sessions.some((s) => !sessions.includes(s))).toBe(true);
    const timeline = await timelineOf(issueId);
    expect(timeline.at(-1)).toEqual(['issue.urged', late.note, SUPERVISOR.name]);
    expect(timeline).toHaveLength(2);
  });

  it('a supervisor who can no longer sign in (disabled) ends the run instead of looping', async () => {
    const client = simulatorClient();
    const issueId = await raiseIssue();
    expect(await client.act(issueId, { type: 'comment', ...noted('停用前') })).toMatchObject({ accepted: 1 });
    await disableUser(svc.database, SUPERVISOR.login, { actor: { login: 'test' } });
    await expect(client.act(issueId, { type: 'comment', ...noted('停用后') })).rejects.toThrow(
      FatalHttpError,
    );
    expect(await timelineOf(issueId)).toHaveLength(1);
  });
});
