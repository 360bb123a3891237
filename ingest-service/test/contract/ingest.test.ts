/** SPEC §5: the ingest contract, against the real service. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ev, HT, testClock } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

const NOW = '2026-11-26T10:00:00+08:00';
const T = (hhmm: string) => `2026-11-26T${hhmm}:00+08:00`;
const DEADLINE = '2026-12-10T18:00:00+08:00';

let svc: TestService;
const clock = testClock(NOW);
beforeAll(async () => {
  svc = await startTestService({ clock });
});
afterAll(() => svc.close());

describe('request forms', () => {
  it('takes one event, answering with counts', async () => {
    const res = await svc.post(ev.started(T('08:00')));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('applies a JSON array in order: a later item sees an earlier one', async () => {
    const start = ev.started(T('08:10'));
    const res = await svc.post([start, ev.completed(T('08:40'), start.inspectionId as string)]);
    expect(res.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });

  it('a rejected item does not stop the others', async () => {
    const res = await svc.post([
      ev.started(T('08:20')),
      ev.rectified(T('08:21'), 'never-raised'),
      ev.started(T('08:22')),
    ]);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([
      { index: 1, id: expect.any(String), code: 'unknown_issue', message: expect.any(String) },
    ]);
  });

  it('takes NDJSON', async () => {
    const body =
      [ev.started(T('08:30')), ev.complaint(T('08:31'))].map((e) => JSON.stringify(e)).join('\n') + '\n';
    const res = await svc.postRaw(body, 'application/x-ndjson');
    expect(res.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });
});

describe('whole-request errors store nothing', () => {
  it('400 invalid_body for bad JSON', async () => {
    const res = await svc.postRaw('{"id": ', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_body');
  });

  it('400 for a bad NDJSON line, naming its index', async () => {
    const res = await svc.postRaw(
      `${JSON.stringify(ev.started(T('08:00')))}\n{oops\n`,
      'application/x-ndjson',
    );
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path: '/1', message: expect.any(String) }]);
  });

  it('400 names the item index and the field; the valid items of that request are not stored', async () => {
    const good = ev.started(T('09:00'));
    const bad = ev.raised(T('09:01'), DEADLINE, { severity: 'apocalyptic' });
    const missing = ev.raised(T('09:02'), DEADLINE);
    delete (missing as Record<string, unknown>).category;
    const res = await svc.post([good, bad, missing]);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_body');
    const paths = res.body.details.map((d: { path: string }) => d.path);
    expect(paths).toContain('/1/severity');
    expect(paths).toContain('/2/category');
    const retry = await svc.post(good);
    expect(retry.body.accepted).toBe(1);
  });

  it('400 when a deadline is not after occurredAt, or a failed revisit has no deadline', async () => {
    const res = await svc.post([
      ev.raised(T('09:00'), T('08:00')),
      ev.verified(T('09:00'), 'x-issue-1', 'failed'),
    ]);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['/0/deadline', '/1/deadline']),
    );
  });

  it('400 for ids outside 8–64 chars of [A-Za-z0-9_-] and for a time without offset', async () => {
    const res = await svc.post([
      ev.started(T('09:00'), { id: 'short' }),
      ev.started(T('09:00'), { id: 'has space in it' }),
      ev.started('2026-11-26T09:00:00'),
    ]);
    expect(res.status).toBe(400);
    const paths = res.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/0/id', '/1/id', '/2/occurredAt']));
  });

  it('401 without a key and with an unknown key', async () => {
    expect((await svc.post(ev.started(T('09:00')), null)).status).toBe(401);
    expect((await svc.post(ev.started(T('09:00')), 'dd_nope_nope')).status).toBe(401);
  });

  it('403 for a viewer key', async () => {
    const res = await svc.post(ev.started(T('09:00')), svc.keys.viewer);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('forbidden');
  });

  it('413 above 1000 events and above 1 MiB', async () => {
    const many = Array.from({ length: 1001 }, () => ev.started(T('09:00')));
    expect((await svc.post(many)).status).toBe(413);
    const huge = ev.rectified(T('09:00'), 'x-issue-2', { note: 'x'.repeat(1024 * 1024) });
    const res = await svc.post(huge);
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
  });

  it('415 for another content type', async () => {
    const res = await svc.postRaw(JSON.stringify(ev.started(T('09:00'))), 'text/plain');
    expect(res.status).toBe(415);
    expect(res.body.error).toBe('unsupported_media_type');
  });
});

describe('item codes', () => {
  const codeOf = async (event: unknown, token?: string) => {
    const res = await svc.post([event], token);
    expect(res.status).toBe(200);
    return res.body.rejected[0]?.code ?? 'accepted';
  };

  it('unknown_district, out_of_scope, future_timestamp', async () => {
    expect(await codeOf(ev.started(T('09:00'), { district: '110101' }))).toBe('unknown_district');
    expect(
      await codeOf(
        ev.started(T('09:00'), {
          district: HT,
          target: { kind: 'school', id: 'S-HT-1' },
          inspector: 'P-HT-1',
        }),
        svc.keys.ingestTY,
      ),
    ).toBe('out_of_scope');
    expect(await codeOf(ev.started('2026-11-26T10:05:01+08:00'))).toBe('future_timestamp');
    expect(await codeOf(ev.started('2026-11-26T10:04:59+08:00'))).toBe('accepted');
  });

  it('too_old: occurredAt more than MAX_EVENT_AGE_DAYS (730) days before now, like a sender’s default date', async () => {
    expect(await codeOf(ev.started('1900-01-01T00:00:00+08:00'))).toBe('too_old');
    expect(await codeOf(ev.started('2024-11-26T09:59:00+08:00'))).toBe('too_old');
    expect(await codeOf(ev.started('2024-11-26T10:01:00+08:00'))).toBe('accepted');
    const res = await svc.post([ev.started(T('09:10')), ev.complaint('1900-01-01T00:00:00+08:00')]);
    expect(res.body).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 1, id: expect.any(String), code: 'too_old', message: expect.stringContaining('730 days') },
      ],
    });
  });

  it('unknown_target: a school, institution or inspector not in the event’s district', async () => {
    expect(await codeOf(ev.started(T('09:00'), { target: { kind: 'school', id: 'S-HT-1' } }))).toBe(
      'unknown_target',
    );
    expect(await codeOf(ev.started(T('09:00'), { inspector: 'P-HT-1' }))).toBe('unknown_target');
    expect(await codeOf(ev.action(T('09:00'), 'warning', { institutionId: 'N-HT-1' }))).toBe(
      'unknown_target',
    );
    expect(await codeOf(ev.report(T('09:00'), { schoolId: 'nope-school' }))).toBe('unknown_target');
  });

  it('unknown_inspection / unknown_issue / unknown_complaint for ids never seen', async () => {
    expect(await codeOf(ev.completed(T('09:00'), 'never-started'))).toBe('unknown_inspection');
    expect(await codeOf(ev.raised(T('09:00'), DEADLINE, { inspectionId: 'never-started' }))).toBe(
      'unknown_inspection',
    );
    expect(await codeOf(ev.verified(T('09:00'), 'never-raised', 'passed'))).toBe('unknown_issue');
    expect(await codeOf(ev.resolved(T('09:00'), 'never-received'))).toBe('unknown_complaint');
  });

  it('invalid_transition for a known object in the wrong state', async () => {
    const start = ev.started(T('09:10'));
    const raise = ev.raised(T('09:11'), DEADLINE);
    const complaint = ev.complaint(T('09:12'));
    const issueId = raise.issueId as string;
    await svc.post([start, raise, complaint]);
    expect(await codeOf(ev.verified(T('09:13'), issueId, 'passed'))).toBe('invalid_transition'); // verify open
    expect(await codeOf(ev.started(T('09:13'), { inspectionId: start.inspectionId }))).toBe(
      'invalid_transition',
    );
    expect(await codeOf(ev.raised(T('09:13'), DEADLINE, { issueId }))).toBe('invalid_transition');
    expect(await codeOf(ev.complaint(T('09:13'), { complaintId: complaint.complaintId }))).toBe(
      'invalid_transition',
    );
    await svc.post([
      ev.completed(T('09:20'), start.inspectionId as string),
      ev.resolved(T('09:20'), complaint.complaintId as string),
    ]);
    expect(await codeOf(ev.completed(T('09:21'), start.inspectionId as string))).toBe('invalid_transition');
    expect(await codeOf(ev.resolved(T('09:21'), complaint.complaintId as string))).toBe('invalid_transition');
    await svc.post([ev.rectified(T('09:30'), issueId), ev.verified(T('09:40'), issueId, 'passed')]);
    expect(await codeOf(ev.rectified(T('09:41'), issueId))).toBe('invalid_transition'); // rectify closed
  });

  it('conflict: the same id with other content', async () => {
    const e = ev.started(T('09:50'));
    await svc.post(e);
    expect(await codeOf({ ...e, theme: 'homework' })).toBe('conflict');
  });
});

describe('idempotency', () => {
  it('the same event again is a duplicate and is not applied twice', async () => {
    const e = ev.started(T('09:55'), { target: { kind: 'school', id: 'S-TY-2' } });
    await svc.post(e);
    const before = await svc.metrics('430211');
    const again = await svc.post([e, { ...e }]);
    expect(again.body).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    const after = await svc.metrics('430211');
    expect(after.metrics.inspections.total).toBe(before.metrics.inspections.total);
  });

  it('key order does not make a duplicate a conflict', async () => {
    const e = ev.complaint(T('09:56'));
    await svc.post(e);
    const reordered = Object.fromEntries(Object.entries(e).reverse());
    expect((await svc.post(reordered)).body.duplicates).toBe(1);
  });

  it('the same id twice in one batch: the second is a duplicate', async () => {
    const e = ev.complaint(T('09:57'));
    expect((await svc.post([e, e])).body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
  });
});

describe('the issue lifecycle', () => {
  it('open → submitted → (failed) open with the new deadline, reopen counted → submitted → closed', async () => {
    const raise = ev.raised(T('07:00'), DEADLINE, { target: { kind: 'school', id: 'S-TY-3' } });
    const id = raise.issueId as string;
    const newDeadline = '2026-12-20T18:00:00+08:00';
    const res = await svc.post([
      raise,
      ev.rectified(T('07:30'), id),
      ev.verified(T('08:00'), id, 'failed', { deadline: newDeadline }),
    ]);
    expect(res.body.accepted).toBe(3);
    let ledger = await svc.get(`/api/v1/districts/430211/issues?status=open`);
    let row = ledger.body.items.find((i: { id: string }) => i.id === id);
    expect(row).toMatchObject({
      status: 'open',
      reopenCount: 1,
      deadline: new Date(newDeadline).toISOString(),
    });
    await svc.post([ev.rectified(T('08:30'), id), ev.verified(T('09:00'), id, 'passed')]);
    ledger = await svc.get(`/api/v1/districts/430211/issues?status=closed`);
    row = ledger.body.items.find((i: { id: string }) => i.id === id);
    expect(row).toMatchObject({
      status: 'closed',
      reopenCount: 1,
      closedAt: new Date(T('09:00')).toISOString(),
    });
  });
});
