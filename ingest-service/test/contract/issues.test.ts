/**
 * SPEC §13, the ledger and acting on it: `GET /issues` with every filter, city-wide and per district;
 * `GET /issues/:id` with its story; the CSV and XLSX exports read back equal to the API's rows;
 * `POST /issues/:id/actions` by role and scope, with CSRF, idempotent on its id. Both backends.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueDetail, LedgerRow } from '@dudao/domain';
import { ev, HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';
import { makeUser, signIn, type PersonClient } from '../helpers/people.ts';

const clock = testClock('2026-11-26T10:00:00+08:00');
let svc: TestService;
let sup: PersonClient;
let viewer: PersonClient;

const STORY = {
  description: '三年级书面作业量超标，日均超过60分钟',
  measures: '年级组统筹作业总量，建立公示制度',
  responsible: '王校长',
  photos: ['https://example.org/a1.jpg', 'https://example.org/a2.jpg'],
};
const A = ev.raised('2026-11-10T09:00:00+08:00', '2026-11-20T18:00:00+08:00', {
  ...STORY,
  inspector: 'P-TY-1',
});
const B = ev.raised('2026-11-20T09:00:00+08:00', '2026-11-30T18:00:00+08:00', {
  target: { kind: 'school', id: 'S-TY-2' },
  category: 'fees',
  severity: 'critical',
  inspector: 'P-TY-2',
});
const C = ev.raised('2026-11-15T09:00:00+08:00', '2026-11-18T09:00:00+08:00', {
  district: HT,
  target: { kind: 'school', id: 'S-HT-1' },
  inspector: 'P-HT-1',
});
const D = ev.raised('2026-11-01T09:00:00+08:00', '2026-11-05T18:00:00+08:00', {
  target: { kind: 'institution', id: 'N-TY-1' },
  category: 'off_campus_training',
  severity: 'minor',
});
const ids = (rows: LedgerRow[]) => rows.map((r) => r.id);
const issueIds = { A: A.issueId, B: B.issueId, C: C.issueId, D: D.issueId };

beforeAll(async () => {
  svc = await startTestService({ clock });
  const stored = await svc.post([
    A,
    B,
    C,
    D,
    ev.rectified('2026-11-24T09:00:00+08:00', B.issueId, {
      note: '已退还违规收取的资料费',
      photos: ['https://example.org/b1.jpg'],
    }),
    ev.rectified('2026-11-04T09:00:00+08:00', D.issueId),
    ev.verified('2026-11-06T09:00:00+08:00', D.issueId, 'passed'),
  ]);
  expect(stored.body.rejected).toEqual([]);
  await makeUser(svc.database, 'ty.sup', 'supervisor', TY);
  await makeUser(svc.database, 'ty.viewer', 'viewer', TY);
  sup = await signIn(svc.url, 'ty.sup');
  viewer = await signIn(svc.url, 'ty.viewer');
});
afterAll(() => svc.close());

const ledger = async (query: string, token = svc.keys.admin) => {
  const res = await svc.get(`/api/v1/issues?${query}`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: LedgerRow[]; nextCursor: string | null };
};

describe('GET /issues: the ledger and its filters', () => {
  it('city-wide, newest raised first, with what each issue was raised with', async () => {
    const page = await ledger('scope=city');
    expect(ids(page.items)).toEqual([B, C, A, D].map((e) => e.issueId));
    const a = page.items.find((r) => r.id === A.issueId)!;
    expect(a).toMatchObject({
      district: TY,
      status: 'open',
      overdue: true,
      daysOverdue: 5,
      inspector: { id: 'P-TY-1', name: '李建国' },
      description: STORY.description,
      measures: STORY.measures,
      responsible: '王校长',
      urges: 0,
      target: { kind: 'school', id: 'S-TY-1', name: '天元区泰山学校' },
    });
  });

  it.each([
    ['status=overdue', ['C', 'A']],
    [`scope=${TY}`, ['B', 'A', 'D']],
    [`scope=${TY}&status=submitted`, ['B']],
    ['category=fees', ['B']],
    ['severity=critical', ['B']],
    ['school=S-TY-1', ['A']],
    ['inspector=P-HT-1', ['C']],
    ['from=2026-11-15&to=2026-11-20', ['B', 'C']],
    ['from=2026-11-15&to=2026-11-19', ['C']],
    ['overdueDays=7', ['C']],
    ['overdueDays=5', ['C', 'A']],
    [`q=${encodeURIComponent('作业量')}`, ['A']],
    [`q=${encodeURIComponent('建设小学')}`, ['C']],
    [`q=${encodeURIComponent('学而思')}`, ['D']],
    ['q=%25', []],
  ])('%s', async (query, want) => {
    const page = await ledger(query);
    expect(ids(page.items)).toEqual(want.map((k) => issueIds[k as keyof typeof issueIds]));
  });

  it('pages by cursor', async () => {
    const first = await ledger('limit=3');
    expect(first.items).toHaveLength(3);
    const second = await ledger(`limit=3&cursor=${first.nextCursor}`);
    expect(ids(second.items)).toEqual([D.issueId]);
    expect(second.nextCursor).toBeNull();
  });

  it('a bad filter is a 400 naming it', async () => {
    const res = await svc.get('/api/v1/issues?status=late', svc.keys.admin);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.details)).toMatch(/status/);
  });

  it('a person of 天元区 sees 天元区 by default, and neither the city nor 荷塘区', async () => {
    const own = await viewer.request('GET', '/api/v1/issues');
    expect(ids(own.body.items)).toEqual([B, A, D].map((e) => e.issueId));
    expect((await viewer.request('GET', '/api/v1/issues?scope=city')).status).toBe(403);
    expect((await viewer.request('GET', `/api/v1/issues?scope=${HT}`)).status).toBe(403);
  });
});

describe('GET /issues/:id: every field and the story', () => {
  it('what was found, with photos, and the timeline with who did what', async () => {
    const res = await svc.get(`/api/v1/issues/${A.issueId}`);
    const a = res.body as IssueDetail;
    expect(a.photos).toEqual(STORY.photos);
    expect(a.description).toBe(STORY.description);
    expect(a.rectification).toBeNull();
    expect(a.timeline).toEqual([
      expect.objectContaining({
        id: A.id,
        type: 'issue.raised',
        actor: '李建国',
        deadline: expect.any(String),
      }),
    ]);
  });

  it("the school's rectification note and photos", async () => {
    const b = (await svc.get(`/api/v1/issues/${B.issueId}`)).body as IssueDetail;
    expect(b.status).toBe('submitted');
    expect(b.rectification).toMatchObject({
      note: '已退还违规收取的资料费',
      photos: ['https://example.org/b1.jpg'],
    });
    expect(b.timeline.map((t) => t.type)).toEqual(['issue.raised', 'issue.rectified']);
  });

  it('remarks at one instant, in one batch: in the order they were applied, not by id', async () => {
    const at = '2026-11-25T09:00:00+08:00';
    const remark = (id: string, note: string) => ev.commented(at, C.issueId, { id, district: HT, note });
    const res = await svc.post([
      remark('zz-remark-first', '先电话沟通'),
      remark('aa-remark-second', '再上门回访'),
    ]);
    expect(res.body.accepted).toBe(2);
    const c = (await svc.get(`/api/v1/issues/${C.issueId}`)).body as IssueDetail;
    expect(c.timeline.slice(1).map((t) => t.id)).toEqual(['zz-remark-first', 'aa-remark-second']);
  });

  it('unknown → 404; another district → 403', async () => {
    expect((await svc.get('/api/v1/issues/no-such-issue')).status).toBe(404);
    expect((await viewer.request('GET', `/api/v1/issues/${C.issueId}`)).status).toBe(403);
  });
});

describe('export: the whole filtered ledger, read back equal to the API', () => {
  const query = `scope=city&status=open`;

  it('CSV: UTF-8 with a BOM, Chinese headers, the same rows and 逾期天数', async () => {
    const rows = (await ledger(query)).items;
    const res = await fetch(`${svc.url}/api/v1/issues?${query}&format=csv`, {
      headers: { authorization: `Bearer ${svc.keys.admin}` },
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const book = new ExcelJS.Workbook();
    const sheet = await book.csv.read(
      (await import('node:stream')).Readable.from([Buffer.from(bytes.slice(3)).toString('utf8')]),
    );
    const table = sheet.getSheetValues().filter(Boolean) as unknown[][];
    const header = table[0]!.slice(1);
    expect(header).toContain('逾期天数');
    expect(header[0]).toBe('问题编号');
    const body = table.slice(1).map((r) => r.slice(1));
    expect(body.map((r) => r[0])).toEqual(ids(rows));
    const overdueAt = header.indexOf('逾期天数');
    expect(body.map((r) => Number(r[overdueAt]))).toEqual(rows.map((r) => r.daysOverdue));
  });

  it('XLSX: frozen header row, column widths, the same rows and 逾期天数', async () => {
    const rows = (await ledger(query)).items;
    const res = await fetch(`${svc.url}/api/v1/issues?${query}&format=xlsx`, {
      headers: { authorization: `Bearer ${svc.keys.admin}` },
    });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(1).width).toBeGreaterThan(10);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['问题编号', '区县', '督导对象']);
    const body = Array.from({ length: sheet.rowCount - 1 }, (_, i) =>
      (sheet.getRow(i + 2).values as unknown[]).slice(1),
    );
    expect(body.map((r) => r[0])).toEqual(ids(rows));
    const overdueAt = header.indexOf('逾期天数');
    expect(body.map((r) => r[overdueAt])).toEqual(rows.map((r) => r.daysOverdue));
    const a = body.find((r) => r[0] === A.issueId)!;
    expect(a[header.indexOf('问题描述')]).toBe(STORY.description);
    expect(a[header.indexOf('区县')]).toBe('天元区');
  });

  it('a district person exports their district only', async () => {
    const res = await viewer.request('GET', `/api/v1/issues?scope=city&format=csv`);
    expect(res.status).toBe(403);
  });
});

describe('POST /issues/:id/actions', () => {
  it('a supervisor verifies a submitted issue: closed, in the story with their name, 销号 rate moves', async () => {
    const before = (await svc.metrics(TY)).metrics.issues;
    const res = await sup.request('POST', `/api/v1/issues/${B.issueId}/actions`, {
      id: 'act-verify-b-1',
      type: 'verify',
      result: 'passed',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const b = (await svc.get(`/api/v1/issues/${B.issueId}`)).body as IssueDetail;
    expect(b.status).toBe('closed');
    expect(b.timeline.at(-1)).toMatchObject({
      type: 'issue.verified',
      result: 'passed',
      actor: 'ty.sup 名字',
      actorLogin: 'ty.sup',
    });
    const after = (await svc.metrics(TY)).metrics.issues;
    expect(after.closed).toBe(before.closed + 1);
    expect(after.rectificationRate).toBeGreaterThan(before.rectificationRate);
  });

  it('the same id again (a double click) acts once', async () => {
    clock.advance(1000);
    const again = await sup.request('POST', `/api/v1/issues/${B.issueId}/actions`, {
      id: 'act-verify-b-1',
      type: 'verify',
      result: 'passed',
    });
    expect(again.body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it('a wrong transition answers like /events: rejected invalid_transition', async () => {
    const res = await sup.request('POST', `/api/v1/issues/${A.issueId}/actions`, {
      id: 'act-verify-a-1',
      type: 'verify',
      result: 'passed',
    });
    expect(res.body).toMatchObject({
      accepted: 0,
      rejected: [{ index: 0, id: 'act-verify-a-1', code: 'invalid_transition' }],
    });
  });

  it('a supervisor of 天元区 acting on a 荷塘区 issue → 403; a viewer → 403; no CSRF token → 403', async () => {
    const body = { id: 'act-urge-c-1', type: 'verify', result: 'passed' };
    expect((await sup.request('POST', `/api/v1/issues/${C.issueId}/actions`, body)).status).toBe(403);
    expect((await viewer.request('POST', `/api/v1/issues/${A.issueId}/actions`, body)).status).toBe(403);
    expect(
      (await sup.request('POST', `/api/v1/issues/${A.issueId}/actions`, body, { csrf: false })).status,
    ).toBe(403);
    expect(
      (await svc.request('POST', `/api/v1/issues/${A.issueId}/actions`, svc.keys.viewer, body)).status,
    ).toBe(403);
    expect(
      (await svc.request('POST', `/api/v1/issues/${A.issueId}/actions`, svc.keys.ingest, body)).status,
    ).toBe(403);
  });

  it('bad input is a 400 naming the field; an unknown issue a 404', async () => {
    const failed = await sup.request('POST', `/api/v1/issues/${A.issueId}/actions`, {
      id: 'act-bad-1xxxx',
      type: 'verify',
      result: 'failed',
    });
    expect(failed.status).toBe(400);
    expect(JSON.stringify(failed.body.details)).toMatch(/deadline/);
    const past = await sup.request('POST', `/api/v1/issues/${A.issueId}/actions`, {
      id: 'act-bad-2xxxx',
      type: 'extend',
      deadline: '2026-01-01T00:00:00+08:00',
      reason: '学校申请',
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body.details)).toMatch(/deadline/);
    const noNote = await sup.request('POST', `/api/v1/issues/${A.issueId}/actions`, {
      id: 'act-bad-3xxxx',
      type: 'urge',
    });
    expect(JSON.stringify(noNote.body.details)).toMatch(/note/);
    expect(
      (
        await sup.request('POST', '/api/v1/issues/nope-nope/actions', {
          id: 'act-404-xxxx',
          type: 'comment',
          note: 'x',
        })
      ).status,
    ).toBe(404);
  });

  it('every action is in the audit log', async () => {
    const audit = await svc.get('/api/v1/audit?login=ty.sup', svc.keys.admin);
    const actions = (audit.body.items as { action: string; outcome: string; target: string }[]).filter((e) =>
      e.action.startsWith('issue.'),
    );
    expect(actions).toContainEqual(
      expect.objectContaining({ action: 'issue.verify', outcome: 'ok', target: B.issueId }),
    );
    expect(actions).toContainEqual(
      expect.objectContaining({ action: 'issue.verify', outcome: 'failed', target: A.issueId }),
    );
  });
});
