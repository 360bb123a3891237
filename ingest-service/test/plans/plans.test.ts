/** SPEC §14 plans: made by an admin, progress counted by hand, live over Socket.IO, scopes obeyed. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { Ack, PlanInput, PlansMessage, PlanView, Snapshot } from '@dudao/domain';
import { createKey } from '../../src/index.ts';
import { ev, HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

const D = (day: string, hhmm: string) => `2026-${day}T${hhmm}:00+08:00`;
const clock = testClock(D('11-26', '10:00'));
let svc: TestService;
let adminTY: string;
const sockets: Socket[] = [];

/** 一月一主题, city-wide: primary and nine-year schools (S-TY-1, S-TY-2, S-HT-1), homework visits in November. */
const THEME: PlanInput = {
  id: 'theme-2026-11',
  kind: 'theme',
  title: '十一月主题：作业管理',
  scope: 'city',
  from: '2026-11-01',
  to: '2026-11-30',
  theme: 'homework',
  targets: { kind: 'school', stages: ['primary', 'junior', 'nine_year'] },
};
/** 专项督导 of 天元区's institutions (N-TY-1, N-TY-2) in three phases, any theme. */
const CAMPAIGN: PlanInput = {
  id: 'campaign-ty-training',
  kind: 'campaign',
  title: '校外培训专项督导',
  scope: TY,
  from: '2026-11-10',
  to: '2026-12-10',
  phases: [
    { name: '摸底数', from: '2026-11-10', to: '2026-11-20' },
    { name: '督落实', from: '2026-11-21', to: '2026-11-30' },
    { name: '督整改', from: '2026-12-01', to: '2026-12-10' },
  ],
  targets: { kind: 'institution' },
};
/** 荷塘区's own plan: a 天元区 reader never sees it. */
const HT_PLAN: PlanInput = {
  id: 'campaign-ht-schools',
  kind: 'campaign',
  title: '荷塘区学校安全检查',
  scope: HT,
  from: '2026-11-01',
  to: '2026-11-30',
  targets: { kind: 'school', ids: ['S-HT-1'] },
};

const school = (id: string) => ({ target: { kind: 'school', id } });
const inHT = { district: HT, inspector: 'P-HT-1' };

beforeAll(async () => {
  svc = await startTestService({ clock });
  adminTY = (await createKey(svc.database, { role: 'admin', scope: TY })).token;
  const closing = 'X-plan-closed';
  // Made before any plan exists: the plans count them all the same.
  const res = await svc.post([
    ev.started(D('11-05', '09:00'), { ...school('S-TY-1'), theme: 'homework' }), // visits THEME
    ev.started(D('11-06', '09:00'), { ...school('S-TY-2'), theme: 'five_managements' }), // other theme
    ev.started(D('11-01', '00:10'), { ...school('S-TY-2'), theme: 'homework' }), // first minutes: in
    ev.started(D('10-31', '23:30'), { ...school('S-HT-1'), ...inHT, theme: 'homework' }), // before: out
    ev.raised(D('11-05', '10:00'), D('12-05', '18:00'), school('S-TY-1')), // counted, open
    ev.raised(D('11-06', '10:00'), D('12-05', '18:00'), { ...school('S-TY-1'), issueId: closing }),
    ev.rectified(D('11-07', '10:00'), closing),
    ev.verified(D('11-08', '10:00'), closing, 'passed'), // counted, closed
    ev.raised(D('10-31', '10:00'), D('12-05', '18:00'), { ...school('S-HT-1'), ...inHT }), // before: out
    ev.raised(D('11-10', '10:00'), D('12-05', '18:00'), school('S-TY-3')), // kindergarten: no target
    ev.started(D('11-12', '09:00'), { target: { kind: 'institution', id: 'N-TY-1' } }), // phase 1
    ev.started(D('11-22', '09:00'), { target: { kind: 'institution', id: 'N-TY-1' } }), // phase 2
    ev.raised(D('11-12', '10:00'), D('12-05', '18:00'), { target: { kind: 'institution', id: 'N-TY-1' } }),
  ]);
  expect(res.body.rejected).toEqual([]);
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => svc?.close());

const postPlan = (plan: unknown, token: string | null = svc.keys.admin) =>
  svc.request('POST', '/api/v1/plans', token, plan);
const plan = (msg: PlansMessage, id: string) => msg.plans.find((p) => p.id === id);

describe('SPEC §14 plans: made by an admin', () => {
  it('stores a plan (201), and the same plan again is a harmless 200', async () => {
    for (const p of [THEME, CAMPAIGN, HT_PLAN]) {
      const made = await postPlan(p);
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body).toMatchObject(p);
    }
    const again = await postPlan({ ...THEME, targets: { ...THEME.targets }, title: THEME.title });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject(THEME);
  });

  it('refuses other content under a taken id (409)', async () => {
    const res = await postPlan({ ...THEME, title: '另一个主题' });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('conflict');
  });

  it('names the field of every broken rule (400)', async () => {
    const cases: [unknown, string][] = [
      [{ ...THEME, id: 'bad-1', title: '' }, '/title'],
      [{ ...THEME, id: 'bad-2', to: '2026-10-01' }, '/to'],
      [{ ...THEME, id: 'bad-3', theme: undefined }, '/theme'],
      [{ ...THEME, id: 'bad-4', theme: 'sleeping' }, '/theme'],
      [{ ...THEME, id: 'bad-5', scope: '999999' }, '/scope'],
      [{ ...THEME, id: 'bad-6', from: '2026-02-30' }, '/from'],
      [
        { ...CAMPAIGN, id: 'bad-7', phases: [{ name: '摸底数', from: '2026-11-01', to: '2026-11-05' }] },
        '/phases/0',
      ],
      [{ ...CAMPAIGN, id: 'bad-8', phases: [CAMPAIGN.phases![1], CAMPAIGN.phases![0]] }, '/phases/1/from'],
      [
        { ...CAMPAIGN, id: 'bad-9', targets: { kind: 'institution', stages: ['primary'] } },
        '/targets/stages',
      ],
      [
        { ...CAMPAIGN, id: 'bad-10', targets: { kind: 'institution', ids: ['N-TY-1', 'N-HT-1'] } },
        '/targets/ids/1',
      ],
      [{ ...THEME, id: 'bad-11', targets: { kind: 'school', ids: ['S-TY-1'] } }, '/targets/ids'],
      [{ ...THEME, id: 'bad-12', owner: 'me' }, '/'],
      [{ ...THEME, id: 'bad-13', targets: { kind: 'hospital' } }, '/targets/kind'],
    ];
    for (const [body, path] of cases) {
      const res = await postPlan(body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error).toBe('invalid_body');
      expect(
        res.body.details.map((d: { path: string }) => d.path),
        JSON.stringify(res.body),
      ).toContain(path);
    }
    // each rule broken names its code and figures, for a screen to say it in its own language
    const unknown = await postPlan({
      ...CAMPAIGN,
      id: 'bad-14',
      targets: { kind: 'institution', ids: ['N-TY-1', 'N-HT-1'] },
    });
    expect(unknown.body.details).toContainEqual({
      path: '/targets/ids/1',
      message: `no institution N-HT-1 in ${CAMPAIGN.scope}`,
      code: 'target_unknown',
      params: { kind: 'institution', id: 'N-HT-1', scope: CAMPAIGN.scope },
    });
    const late = await postPlan({ ...THEME, id: 'bad-15', from: '2026-11-30', to: '2026-11-01' });
    expect(late.body.details).toContainEqual({
      path: '/to',
      message: 'must not be before from',
      code: 'before_from',
    });
    const none = await svc.get('/api/v1/plans?scope=city');
    expect(none.body.plans.map((p: PlanView) => p.id).filter((id: string) => id.startsWith('bad-'))).toEqual(
      [],
    );
  });

  it('is an admin’s alone, within the admin’s scope', async () => {
    const late = { ...HT_PLAN, id: 'plan-by-others' };
    expect((await postPlan(late, svc.keys.viewer)).status).toBe(403);
    expect((await postPlan(late, svc.keys.ingest)).status).toBe(403);
    expect((await postPlan(late, adminTY)).status).toBe(403);
    expect((await postPlan({ ...THEME, id: 'plan-by-ty' }, adminTY)).status).toBe(403);
    expect((await postPlan({ ...CAMPAIGN, id: 'plan-by-ty' }, adminTY)).status).toBe(201);
    expect((await postPlan(late, null)).status).toBe(401);
  });
});

describe('SPEC §14 plans: progress counted from the event log, by hand', () => {
  it('counts a city-wide theme per district and in all', async () => {
    const { status, body } = await svc.get('/api/v1/plans?scope=city');
    expect(status).toBe(200);
    const theme = plan(body, THEME.id)!;
    expect(theme.status).toBe('running');
    // S-TY-1 (homework 11-05) and S-TY-2 (homework 11-01 00:10) visited; S-HT-1 only on 10-31.
    // Issues within November on the targets: two on S-TY-1, one closed.
    expect(theme.progress).toEqual({ targets: 3, visited: 2, issuesRaised: 2, issuesClosed: 1 });
    expect(theme.districts?.find((d) => d.adcode === TY)?.progress).toEqual({
      targets: 2,
      visited: 2,
      issuesRaised: 2,
      issuesClosed: 1,
    });
    expect(theme.districts?.find((d) => d.adcode === HT)?.progress).toEqual({
      targets: 1,
      visited: 0,
      issuesRaised: 0,
      issuesClosed: 0,
    });
  });

  it('counts a campaign’s phases', async () => {
    const { body } = await svc.get('/api/v1/plans?scope=city');
    const campaign = plan(body, CAMPAIGN.id)!;
    expect(campaign.progress).toEqual({ targets: 2, visited: 1, issuesRaised: 1, issuesClosed: 0 });
    expect(campaign.phaseProgress?.map((p) => p.visited)).toEqual([1, 1, 0]);
    expect(campaign.districts).toBeUndefined();
  });

  it('lists the targets not yet visited, by district', async () => {
    const all = await svc.get(`/api/v1/plans/${THEME.id}/unvisited`);
    expect(all.status).toBe(200);
    expect(all.body.targets.map((t: { id: string }) => t.id)).toEqual(['S-HT-1']);
    expect(all.body.targets[0]).toMatchObject({
      kind: 'school',
      district: HT,
      lastVisitAt: new Date(D('10-31', '23:30')).toISOString(),
    });
    const ty = await svc.get(`/api/v1/plans/${THEME.id}/unvisited?district=${TY}`);
    expect(ty.body.targets).toEqual([]);
    const campaign = await svc.get(`/api/v1/plans/${CAMPAIGN.id}/unvisited?district=${TY}`);
    expect(campaign.body.targets.map((t: { id: string }) => t.id)).toEqual(['N-TY-2']);
  });
});

describe('SPEC §14 plans obey scopes (HTTP)', () => {
  it('a district reader sees the city’s plans, counted over its district, and its own', async () => {
    const { status, body } = await svc.get(`/api/v1/plans?scope=${TY}`, svc.keys.viewerTY);
    expect(status).toBe(200);
    expect(body.plans.map((p: PlanView) => p.id).sort()).toEqual(
      [CAMPAIGN.id, THEME.id, 'plan-by-ty'].sort(),
    );
    expect(plan(body, THEME.id)!.progress).toEqual({
      targets: 2,
      visited: 2,
      issuesRaised: 2,
      issuesClosed: 1,
    });
    expect(plan(body, THEME.id)!.districts).toBeUndefined();
    // Without a scope: the key's own.
    expect((await svc.get('/api/v1/plans', svc.keys.viewerTY)).body.scope).toBe(TY);
  });

  it('refuses other scopes and other districts’ plans', async () => {
    expect((await svc.get('/api/v1/plans?scope=city', svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/plans?scope=${HT}`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/plans/${HT_PLAN.id}/unvisited`, svc.keys.viewerTY)).status).toBe(404);
    expect(
      (await svc.get(`/api/v1/plans/${THEME.id}/unvisited?district=${HT}`, svc.keys.viewerTY)).status,
    ).toBe(403);
    const own = await svc.get(`/api/v1/plans/${THEME.id}/unvisited`, svc.keys.viewerTY);
    expect(own.body.districts).toEqual([TY]);
  });
});

function connect(token: string): Socket {
  const socket = io(`${svc.url}/live`, { auth: { token }, transports: ['websocket'] });
  sockets.push(socket);
  return socket;
}

/** Subscribes and resolves with the ack and the first `plans` message after it. */
async function subscribe(socket: Socket, scope: string) {
  const first = new Promise<PlansMessage>((resolve) => socket.once('plans', resolve));
  const ack = await new Promise<Ack<Snapshot>>((resolve) => socket.emit('subscribe', { scope }, resolve));
  return { ack, plans: 'data' in ack ? await first : null };
}

function nextPlans(socket: Socket, match: (m: PlansMessage) => boolean, timeoutMs = 5000) {
  return new Promise<PlansMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching plans within ${timeoutMs} ms`)), timeoutMs);
    const handler = (m: PlansMessage) => {
      if (!match(m)) return;
      clearTimeout(timer);
      socket.off('plans', handler);
      resolve(m);
    };
    socket.on('plans', handler);
  });
}

describe('SPEC §14 plans: pushed live over Socket.IO, within scope', () => {
  it('a subscriber gets the plans, then their progress as events arrive', async () => {
    const socket = connect(svc.keys.viewer);
    const { plans } = await subscribe(socket, 'city');
    expect(plan(plans!, CAMPAIGN.id)!.progress.visited).toBe(1);
    const moved = nextPlans(socket, (m) => plan(m, CAMPAIGN.id)?.progress.visited === 2);
    const res = await svc.post([
      ev.started(D('11-26', '09:30'), { target: { kind: 'institution', id: 'N-TY-2' } }),
    ]);
    expect(res.body.accepted).toBe(1);
    const msg = await moved;
    expect(plan(msg, CAMPAIGN.id)!.phaseProgress?.map((p) => p.visited)).toEqual([1, 2, 0]);
    expect(plan(msg, THEME.id)!.progress.visited).toBe(2);
  });

  it('a district subscriber sees its plans only and no other district', async () => {
    const socket = connect(svc.keys.viewerTY);
    const { plans } = await subscribe(socket, TY);
    expect(plans!.plans.map((p) => p.id)).not.toContain(HT_PLAN.id);
    expect(plan(plans!, THEME.id)!.progress.targets).toBe(2);
    const other = await subscribe(socket, HT);
    expect(other.ack).toMatchObject({ error: { code: 'forbidden' } });
  });
});
