/**
 * SPEC §13, acting on the loop: `issue.deadline_extended`, `issue.urged`, `issue.commented` and the
 * optional fields, through `/events` (as the mini-program sends them) and through
 * `POST /issues/:id/actions` (as a supervisor acts), with `issues.urged` and `issues.overdue`
 * moving on the live metrics. Both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueDetail } from '@dudao/domain';
import { ev, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { makeUser, signIn, type PersonClient } from '../helpers/people.ts';

const clock = testClock('2026-11-26T10:00:00+08:00');
const T = (day: string, hhmm = '09:00') => `2026-11-${day}T${hhmm}:00+08:00`;
let svc: TestService;
let sup: PersonClient;

beforeAll(async () => {
  svc = await startTestService({ clock });
  await makeUser(svc.database, 'ty.acting', 'supervisor', TY);
  sup = await signIn(svc.url, 'ty.acting');
});
afterAll(() => svc.close());

const issuesOf = async () => (await svc.metrics(TY)).metrics.issues;
const post = async (events: unknown) => {
  const res = await svc.post(events);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const codeOf = async (event: unknown) => (await post([event])).rejected[0]?.code ?? 'accepted';
const raise = async (deadline = T('30', '18:00'), o: Record<string, unknown> = {}) => {
  const raised = ev.raised(T('20'), deadline, o);
  expect(await codeOf(raised)).toBe('accepted');
  return raised.issueId;
};

describe('issue.deadline_extended', () => {
  it('moves an open issue’s deadline later; an overdue issue stops being overdue', async () => {
    const id = await raise(T('25', '18:00'));
    const before = await issuesOf();
    const extended = ev.extended(T('26', '09:30'), id, '2026-12-05T18:00:00+08:00', {
      actor: '区督导办 王主任',
    });
    expect(await codeOf(extended)).toBe('accepted');
    const after = await issuesOf();
    expect(after.overdue).toBe(before.overdue - 1);
    expect(after.open).toBe(before.open);
    const detail = (await svc.get(`/api/v1/issues/${id}`)).body as IssueDetail;
    expect(Date.parse(detail.deadline)).toBe(Date.parse('2026-12-05T18:00:00+08:00'));
    expect(detail.overdue).toBe(false);
    expect(detail.timeline.at(-1)).toMatchObject({
      type: 'issue.deadline_extended',
      reason: '整改需要施工，申请延期',
      actor: '区督导办 王主任',
    });
    // the same event again is a duplicate, not a second extension
    expect(await post([extended])).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it('only later, and only while open; an unknown issue is unknown_issue', async () => {
    const id = await raise(T('30', '18:00'));
    expect(await codeOf(ev.extended(T('26'), id, T('30', '18:00')))).toBe('invalid_transition');
    expect(await codeOf(ev.extended(T('26'), id, T('29', '18:00')))).toBe('invalid_transition');
    expect(await codeOf(ev.rectified(T('26'), id))).toBe('accepted');
    expect(await codeOf(ev.extended(T('26'), id, '2026-12-10T18:00:00+08:00'))).toBe('invalid_transition');
    expect(await codeOf(ev.extended(T('26'), 'never-raised', '2026-12-10T18:00:00+08:00'))).toBe(
      'unknown_issue',
    );
  });
});

describe('issue.urged and issues.urged', () => {
  it('counts an open issue urged at least once; leaves on rectification, back on a failed revisit, gone when closed', async () => {
    const id = await raise();
    const start = (await issuesOf()).urged;
    expect(await codeOf(ev.urged(T('26', '08:00'), id, { actor: 'ty.acting' }))).toBe('accepted');
    expect((await issuesOf()).urged).toBe(start + 1);
    expect(await codeOf(ev.urged(T('26', '08:10'), id))).toBe('accepted');
    expect((await issuesOf()).urged).toBe(start + 1);
    expect(await codeOf(ev.rectified(T('26', '08:20'), id))).toBe('accepted');
    expect((await issuesOf()).urged).toBe(start);
    expect(await codeOf(ev.urged(T('26', '08:25'), id))).toBe('invalid_transition');
    const failed = ev.verified(T('26', '08:30'), id, 'failed', { deadline: '2026-12-10T18:00:00+08:00' });
    expect(await codeOf(failed)).toBe('accepted');
    expect((await issuesOf()).urged).toBe(start + 1);
    expect(await codeOf(ev.rectified(T('26', '08:40'), id))).toBe('accepted');
    expect(await codeOf(ev.verified(T('26', '08:50'), id, 'passed'))).toBe('accepted');
    expect((await issuesOf()).urged).toBe(start);
    const row = (await svc.get(`/api/v1/issues/${id}`)).body as IssueDetail;
    expect(row.urges).toBe(2);
    expect(await codeOf(ev.urged(T('26', '09:00'), id))).toBe('invalid_transition');
    expect(await codeOf(ev.urged(T('26', '09:00'), 'never-raised'))).toBe('unknown_issue');
  });
});

describe('issue.commented', () => {
  it('fits an issue in any state and moves no counter', async () => {
    const id = await raise();
    const before = await issuesOf();
    expect(await codeOf(ev.commented(T('26', '08:00'), id))).toBe('accepted');
    expect(await codeOf(ev.rectified(T('26', '08:10'), id))).toBe('accepted');
    expect(await codeOf(ev.verified(T('26', '08:20'), id, 'passed'))).toBe('accepted');
    expect(await codeOf(ev.commented(T('26', '08:30'), id, { note: '已回访，家长满意' }))).toBe('accepted');
    const after = await issuesOf();
    expect(after.urged).toBe(before.urged);
    expect(after.raised).toBe(before.raised);
    const detail = (await svc.get(`/api/v1/issues/${id}`)).body as IssueDetail;
    expect(detail.timeline.at(-1)).toMatchObject({ type: 'issue.commented', note: '已回访，家长满意' });
    expect(await codeOf(ev.commented(T('26'), 'never-raised'))).toBe('unknown_issue');
  });
});

describe('optional fields and their limits', () => {
  it('are stored and returned: description, 整改措施, 责任人, photos, the rectification’s note and photos', async () => {
    const id = await raise(T('30', '18:00'), {
      description: '课后服务收费未公示',
      measures: '公示收费标准并退还多收费用',
      responsible: '李副校长',
      photos: ['https://example.org/p1.jpg'],
      actor: '李建国',
    });
    expect(
      await codeOf(ev.rectified(T('26'), id, { note: '已公示', photos: ['https://example.org/r1.jpg'] })),
    ).toBe('accepted');
    const detail = (await svc.get(`/api/v1/issues/${id}`)).body as IssueDetail;
    expect(detail).toMatchObject({
      description: '课后服务收费未公示',
      measures: '公示收费标准并退还多收费用',
      responsible: '李副校长',
      photos: ['https://example.org/p1.jpg'],
      rectification: { note: '已公示', photos: ['https://example.org/r1.jpg'] },
    });
    const started = ev.started(T('26', '08:00'));
    expect(
      await post([
        started,
        ev.completed(T('26', '09:00'), started.inspectionId, { summary: '作业公示到位' }),
      ]),
    ).toMatchObject({ accepted: 2 });
  });

  it('400 names the item and the field: a non-https photo, ten photos, a long description, a missing reason or note', async () => {
    const noReason = ev.extended(T('26'), 'some-issue', '2026-12-10T18:00:00+08:00');
    delete (noReason as Record<string, unknown>).reason;
    const res = await svc.post([
      ev.raised(T('26'), T('30'), { photos: ['http://example.org/p.jpg'] }),
      ev.raised(T('26'), T('30'), { photos: Array.from({ length: 10 }, (_, i) => `https://e.org/${i}.jpg`) }),
      ev.raised(T('26'), T('30'), { description: 'x'.repeat(2001) }),
      noReason,
      ev.urged(T('26'), 'some-issue', { note: '' }),
      ev.extended(T('26'), 'some-issue', T('25')),
    ]);
    expect(res.status).toBe(400);
    const paths = res.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/0/photos/0',
        '/1/photos',
        '/2/description',
        '/3/reason',
        '/4/note',
        '/5/deadline',
      ]),
    );
  });
});

describe('POST /issues/:id/actions: extend, urge, comment as the signed-in supervisor', () => {
  it('each becomes its event with actor = the person; the story names them; metrics move', async () => {
    const id = await raise(T('25', '18:00'));
    const before = await issuesOf();
    // each action a second after the one before, as a person clicks
    const act = (body: Record<string, unknown>) => {
      clock.advance(1000);
      return sup.request('POST', `/api/v1/issues/${id}/actions`, body);
    };
    const urge = await act({ id: 'act-urge-1xxx', type: 'urge', note: '请本周内整改到位' });
    expect(urge.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const extend = await act({
      id: 'act-extend-1x',
      type: 'extend',
      deadline: '2026-12-08T18:00:00+08:00',
      reason: '需采购设备',
    });
    expect(extend.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const comment = await act({ id: 'act-comment-1', type: 'comment', note: '已电话督促' });
    expect(comment.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const after = await issuesOf();
    expect(after.urged).toBe(before.urged + 1);
    expect(after.overdue).toBe(before.overdue - 1);
    // a double click acts once
    expect((await act({ id: 'act-urge-1xxx', type: 'urge', note: '请本周内整改到位' })).body).toEqual({
      accepted: 0,
      duplicates: 1,
      rejected: [],
    });
    const detail = (await svc.get(`/api/v1/issues/${id}`)).body as IssueDetail;
    expect(detail.urges).toBe(1);
    expect(detail.timeline.slice(1)).toEqual([
      expect.objectContaining({
        type: 'issue.urged',
        note: '请本周内整改到位',
        actor: 'ty.acting 名字',
        actorLogin: 'ty.acting',
      }),
      expect.objectContaining({
        type: 'issue.deadline_extended',
        reason: '需采购设备',
        actor: 'ty.acting 名字',
      }),
      expect.objectContaining({ type: 'issue.commented', note: '已电话督促', actor: 'ty.acting 名字' }),
    ]);
  });

  it('an extension to a deadline not after the current one is rejected invalid_transition', async () => {
    const id = await raise('2026-12-20T18:00:00+08:00');
    const res = await sup.request('POST', `/api/v1/issues/${id}/actions`, {
      id: 'act-extend-2x',
      type: 'extend',
      deadline: '2026-12-10T18:00:00+08:00',
      reason: '学校申请',
    });
    expect(res.body).toMatchObject({ accepted: 0, rejected: [{ code: 'invalid_transition' }] });
  });
});
