/** SPEC §14: 责任督学 and 责任区 — the rows of the read API and the counts per supervisor and zone, by hand. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponsibilityRow } from '@dudao/domain';
import { ev, HT, testClock, TY } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

const D = (day: string, hhmm: string) => `2026-${day}T${hhmm}:00+08:00`;
const clock = testClock(D('11-26', '10:00'));
let svc: TestService;

/** target → [supervisor, zone] */
const ASSIGNED: Record<string, [string | null, string | null]> = {
  'S-TY-1': ['P-TY-2', '第一责任区'],
  'S-TY-2': ['P-TY-2', '第一责任区'],
  'S-TY-3': ['P-TY-1', '第二责任区'],
  'N-TY-1': ['P-TY-1', '第二责任区'],
  'N-TY-2': [null, null],
  'S-HT-1': ['P-HT-1', '第一责任区'],
  'N-HT-1': ['P-HT-1', '第一责任区'],
};

beforeAll(async () => {
  svc = await startTestService({ clock });
  for (const [id, [supervisor, zone]] of Object.entries(ASSIGNED)) {
    const table = id.startsWith('S-') ? 'schools' : 'institutions';
    await svc.database.query(`update ${table} set supervisor = $2, zone = $3 where id = $1`, [
      id,
      supervisor,
      zone,
    ]);
  }
  const closing = 'X3-closing-issue';
  const res = await svc.post([
    ev.started(D('11-26', '08:00'), { inspectionId: 'I1-resp', inspector: 'P-TY-2' }),
    ev.started(D('11-20', '10:00'), { inspectionId: 'I2-resp', target: { kind: 'school', id: 'S-TY-2' } }),
    ev.started(D('10-15', '10:00'), { inspectionId: 'I3-resp', target: { kind: 'school', id: 'S-TY-3' } }),
    ev.raised(D('11-20', '11:00'), D('11-25', '18:00'), { issueId: 'X1-overdue' }),
    ev.raised(D('11-21', '11:00'), D('12-01', '18:00'), {
      issueId: 'X2-open-issue',
      target: { kind: 'school', id: 'S-TY-2' },
    }),
    ev.raised(D('11-21', '12:00'), D('12-01', '18:00'), {
      issueId: closing,
      target: { kind: 'institution', id: 'N-TY-1' },
    }),
    ev.rectified(D('11-22', '10:00'), closing),
    ev.verified(D('11-23', '10:00'), closing, 'passed'),
  ]);
  expect(res.body.rejected).toEqual([]);
});
afterAll(async () => svc?.close());

const row = (rows: ResponsibilityRow[], id: string) => rows.find((r) => r.id === id);

describe('SPEC §14 responsibility: the read API rows', () => {
  it('shows each school’s 责任督学 (id and name) and 责任区', async () => {
    const { status, body } = await svc.get(`/api/v1/districts/${TY}/schools`);
    expect(status).toBe(200);
    expect(body.find((s: { id: string }) => s.id === 'S-TY-1')).toMatchObject({
      supervisor: 'P-TY-2',
      supervisorName: '王秀英',
      zone: '第一责任区',
    });
  });

  it('says whether the school’s 责任督学 themself visited it this month, not just anyone', async () => {
    const { body } = await svc.get(`/api/v1/districts/${TY}/schools`);
    const school = (id: string) => body.find((s: { id: string }) => s.id === id);
    // S-TY-1: P-TY-2, its 责任督学, went today
    expect(school('S-TY-1')).toMatchObject({ inspectionsThisMonth: 1, supervisorVisitedThisMonth: true });
    // S-TY-2: visited this month, but by P-TY-1, not by its 责任督学 P-TY-2
    expect(school('S-TY-2')).toMatchObject({ inspectionsThisMonth: 1, supervisorVisitedThisMonth: false });
    // S-TY-3: its 责任督学 P-TY-1 went, but in October
    expect(school('S-TY-3')).toMatchObject({ inspectionsThisMonth: 0, supervisorVisitedThisMonth: false });
    // nobody assigned: false
    const nobody = body.find((s: { supervisor: string | null }) => s.supervisor === null);
    if (nobody) expect(nobody.supervisorVisitedThisMonth).toBe(false);
  });

  it('shows each institution’s, null where nobody is assigned', async () => {
    const { body } = await svc.get(`/api/v1/districts/${TY}/institutions`);
    expect(body.find((s: { id: string }) => s.id === 'N-TY-1')).toMatchObject({
      supervisor: 'P-TY-1',
      supervisorName: '李建国',
      zone: '第二责任区',
    });
    expect(body.find((s: { id: string }) => s.id === 'N-TY-2')).toMatchObject({
      supervisor: null,
      supervisorName: null,
      zone: null,
    });
  });
});

describe('SPEC §14 responsibility: per 责任督学', () => {
  it('counts assigned, visited this month (by anyone and by the supervisor), today, issues', async () => {
    const { status, body } = await svc.get(`/api/v1/districts/${TY}/responsibility?by=supervisor`);
    expect(status).toBe(200);
    expect(body.by).toBe('supervisor');
    expect(row(body.rows, 'P-TY-2')).toEqual({
      id: 'P-TY-2',
      district: TY,
      name: '王秀英',
      role: 'part_time',
      zone: '第一责任区',
      supervisors: 1,
      schools: 2,
      institutions: 0,
      assigned: 2,
      visited: 2,
      visitedBySelf: 1,
      inspectionsToday: 1,
      openIssues: 2,
      overdueIssues: 1,
      issuesRaised: 2,
      issuesClosed: 0,
      lastVisitAt: new Date(D('11-26', '08:00')).toISOString(),
    });
    // S-TY-3 was last visited in October: nothing this month.
    expect(row(body.rows, 'P-TY-1')).toMatchObject({
      assigned: 2,
      schools: 1,
      institutions: 1,
      visited: 0,
      visitedBySelf: 0,
      openIssues: 0,
      issuesRaised: 1,
      issuesClosed: 1,
      lastVisitAt: new Date(D('10-15', '10:00')).toISOString(),
    });
    expect(row(body.rows, `${TY}:unassigned`)).toMatchObject({ name: '', assigned: 1, institutions: 1 });
    // another district's people never appear
    expect(row(body.rows, 'P-HT-1')).toBeUndefined();
  });

  it('follows the clock: a new month starts with nothing visited', async () => {
    clock.set(D('12-01', '09:00'));
    try {
      const { body } = await svc.get(`/api/v1/districts/${TY}/responsibility?by=supervisor`);
      expect(row(body.rows, 'P-TY-2')).toMatchObject({ visited: 0, inspectionsToday: 0 });
    } finally {
      clock.set(D('11-26', '10:00'));
    }
  });
});

describe('SPEC §14 responsibility: per 责任区', () => {
  it('sums the targets of each zone of the district', async () => {
    const { body } = await svc.get(`/api/v1/districts/${TY}/responsibility?by=zone`);
    expect(body.rows.map((r: ResponsibilityRow) => r.id)).toEqual([
      `${TY}:`,
      `${TY}:第一责任区`,
      `${TY}:第二责任区`,
    ]);
    expect(row(body.rows, `${TY}:第一责任区`)).toMatchObject({
      name: '第一责任区',
      zone: '第一责任区',
      supervisors: 1,
      assigned: 2,
      visited: 2,
      openIssues: 2,
      overdueIssues: 1,
    });
    expect(row(body.rows, `${TY}:第二责任区`)).toMatchObject({ assigned: 2, visited: 0, issuesClosed: 1 });
  });

  it('gives the city’s zones of every district to a city key', async () => {
    const { body } = await svc.get('/api/v1/responsibility?scope=city&by=zone');
    expect(row(body.rows, `${HT}:第一责任区`)).toMatchObject({ district: HT, assigned: 2, visited: 0 });
    expect(row(body.rows, `${TY}:第一责任区`)).toMatchObject({ assigned: 2 });
  });
});

describe('SPEC §14 responsibility obeys scopes (SPEC §9)', () => {
  it('lets a district viewer key read its own district only', async () => {
    const own = await svc.get(`/api/v1/districts/${TY}/responsibility?by=zone`, svc.keys.viewerTY);
    expect(own.status).toBe(200);
    expect((await svc.get(`/api/v1/districts/${HT}/responsibility`, svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get('/api/v1/responsibility?scope=city&by=zone', svc.keys.viewerTY)).status).toBe(403);
    expect((await svc.get(`/api/v1/responsibility?scope=${TY}&by=zone`, svc.keys.viewerTY)).status).toBe(200);
  });

  it('refuses an unknown grouping and an unknown district', async () => {
    expect((await svc.get(`/api/v1/districts/${TY}/responsibility?by=street`)).status).toBe(400);
    expect((await svc.get('/api/v1/districts/999999/responsibility')).status).toBe(404);
    expect((await svc.get(`/api/v1/districts/${TY}/responsibility`, null)).status).toBe(401);
  });
});
