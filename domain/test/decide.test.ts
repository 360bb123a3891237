import { describe, expect, it } from 'vitest';
import { checkEnvelope, decide, type World } from '../src/index.ts';
import type { DudaoEvent, IssueState } from '../src/index.ts';

const TZ = 'Asia/Shanghai';
function world(overrides: Partial<World> = {}): World {
  return {
    timezone: TZ,
    isDistrict: (a) => a === '430211',
    hasSchool: (d, id) => d === '430211' && id === 'S1',
    hasInspector: (d, id) => d === '430211' && id === 'P1',
    institution: () => undefined,
    inspection: () => undefined,
    issue: () => undefined,
    complaint: () => undefined,
    report: () => undefined,
    ...overrides,
  };
}
const base = { district: '430211', occurredAt: '2026-11-26T10:00:00+08:00' };

describe('envelope', () => {
  it('refuses a district outside the city, a district outside the key scope, a future time', () => {
    const now = Date.parse('2026-11-26T10:00:00+08:00');
    expect(checkEnvelope({ ...base, district: '110101' }, world(), null, now)?.code).toBe('unknown_district');
    expect(checkEnvelope(base, world(), '430202', now)?.code).toBe('out_of_scope');
    expect(
      checkEnvelope({ ...base, occurredAt: '2026-11-26T10:06:00+08:00' }, world(), null, now)?.code,
    ).toBe('future_timestamp');
    expect(
      checkEnvelope({ ...base, occurredAt: '2026-11-26T10:04:00+08:00' }, world(), '430211', now),
    ).toBeNull();
  });

  it('refuses an occurredAt older than the age limit (default 730 days; 0 = no limit)', () => {
    const now = Date.parse('2026-11-26T10:00:00+08:00');
    const at = (occurredAt: string, maxAgeDays?: number) =>
      checkEnvelope({ ...base, occurredAt }, world(), null, now, maxAgeDays)?.code ?? 'accepted';
    expect(at('1900-01-01T00:00:00+08:00')).toBe('too_old');
    expect(at('2024-11-26T09:59:59+08:00')).toBe('too_old');
    expect(at('2024-11-26T10:00:00+08:00')).toBe('accepted');
    expect(at('2026-10-26T09:00:00+08:00', 30)).toBe('too_old');
    expect(at('2026-10-27T11:00:00+08:00', 30)).toBe('accepted');
    expect(at('1900-01-01T00:00:00+08:00', 0)).toBe('accepted');
  });
});

/** An issue of 天元区's school S1, raised at 09:00 on the 26th. */
const ISSUE: IssueState = {
  id: 'I1',
  district: '430211',
  inspectionId: null,
  target: { kind: 'school', id: 'S1' },
  category: 'homework',
  severity: 'minor',
  status: 'submitted',
  deadline: Date.parse('2026-11-20T00:00:00Z'),
  reopenCount: 0,
  reopenedAt: null,
  urgeCount: 0,
  raisedAt: Date.parse('2026-11-26T09:00:00+08:00'),
  submittedAt: null,
  closedAt: null,
};

describe('issue transitions', () => {
  const issue = ISSUE;
  it('a failed revisit reopens with the new deadline and counts a reopen', () => {
    const e = {
      ...base,
      id: 'ev-verify-1',
      type: 'issue.verified',
      issueId: 'I1',
      result: 'failed',
      deadline: '2026-12-10T00:00:00+08:00',
    } as DudaoEvent;
    const out = decide(e, world({ issue: () => issue }));
    expect(out.ok).toBe(true);
    if (!out.ok || out.change.kind !== 'issue') throw new Error('expected an issue change');
    expect(out.change.state.status).toBe('open');
    expect(out.change.state.reopenCount).toBe(1);
    expect(out.change.state.deadline).toBe(Date.parse('2026-12-10T00:00:00+08:00'));
    expect(out.deltas).toContainEqual({
      op: 'incr',
      district: '430211',
      bucket: 'total',
      field: 'issues.reopened',
      by: 1,
    });
  });
  it('a passed revisit closes and adds the hours to close', () => {
    const e = {
      ...base,
      id: 'ev-verify-2',
      type: 'issue.verified',
      issueId: 'I1',
      result: 'passed',
    } as DudaoEvent;
    const out = decide(e, world({ issue: () => issue }));
    if (!out.ok) throw new Error(out.message);
    expect(out.deltas).toContainEqual({
      op: 'incr',
      district: '430211',
      bucket: 'total',
      field: 'issues.closeMsSum',
      by: 3_600_000,
    });
  });
  it('verifying an open issue is an invalid transition; an unknown one is unknown_issue', () => {
    const e = {
      ...base,
      id: 'ev-verify-3',
      type: 'issue.verified',
      issueId: 'I1',
      result: 'passed',
    } as DudaoEvent;
    const open = decide(e, world({ issue: () => ({ ...issue, status: 'open' }) }));
    expect(open.ok ? null : open.code).toBe('invalid_transition');
    const unknown = decide(e, world());
    expect(unknown.ok ? null : unknown.code).toBe('unknown_issue');
  });
});

describe('acting on the loop (SPEC §13)', () => {
  const open: IssueState = {
    ...ISSUE,
    id: 'I2',
    status: 'open',
    deadline: Date.parse('2026-11-20T18:00:00+08:00'),
  };
  /** `null`: no such issue */
  const act = (type: string, fields: Record<string, unknown>, state: IssueState | null = open) =>
    decide(
      { ...base, id: `ev-${type}`, type, issueId: 'I2', ...fields } as DudaoEvent,
      world({ issue: () => state ?? undefined }),
    );
  const urged = (by: number) => ({
    op: 'incr',
    district: '430211',
    bucket: 'total',
    field: 'issues.urged',
    by,
  });

  it('an extension moves an open issue’s deadline later, and only later', () => {
    const later = act('issue.deadline_extended', { deadline: '2026-12-05T18:00:00+08:00', reason: '施工' });
    if (!later.ok || later.change.kind !== 'issue') throw new Error('expected an issue change');
    expect(later.change.state.deadline).toBe(Date.parse('2026-12-05T18:00:00+08:00'));
    expect(later.deltas).toContainEqual({
      op: 'setDeadline',
      district: '430211',
      issueId: 'I2',
      deadlineMs: Date.parse('2026-12-05T18:00:00+08:00'),
    });
    const earlier = act('issue.deadline_extended', { deadline: '2026-11-20T18:00:00+08:00', reason: 'x' });
    expect(earlier.ok ? null : earlier.code).toBe('invalid_transition');
    const closed = act(
      'issue.deadline_extended',
      { deadline: '2026-12-05T18:00:00+08:00', reason: 'x' },
      {
        ...open,
        status: 'submitted',
      },
    );
    expect(closed.ok ? null : closed.code).toBe('invalid_transition');
    const unknown = act(
      'issue.deadline_extended',
      { deadline: '2026-12-05T18:00:00+08:00', reason: 'x' },
      null,
    );
    expect(unknown.ok ? null : unknown.code).toBe('unknown_issue');
  });

  it('the first urge of an open issue counts in issues.urged, later ones do not; a closed issue is not urged', () => {
    const first = act('issue.urged', { note: '请尽快整改' });
    if (!first.ok || first.change.kind !== 'issue') throw new Error('expected an issue change');
    expect(first.change.state.urgeCount).toBe(1);
    expect(first.deltas).toContainEqual(urged(1));
    const again = act('issue.urged', { note: '再次督办' }, first.change.state);
    if (!again.ok) throw new Error(again.message);
    expect(again.deltas.filter((d) => d.op === 'incr')).toEqual([]);
    const closed = act('issue.urged', { note: 'x' }, { ...open, status: 'closed' });
    expect(closed.ok ? null : closed.code).toBe('invalid_transition');
  });

  it('an urged issue leaves issues.urged when rectified and comes back when the revisit fails', () => {
    const state = { ...open, urgeCount: 2 };
    const rectified = act('issue.rectified', {}, state);
    if (!rectified.ok || rectified.change.kind !== 'issue') throw new Error('expected an issue change');
    expect(rectified.deltas).toContainEqual(urged(-1));
    const failed = act(
      'issue.verified',
      { result: 'failed', deadline: '2026-12-20T00:00:00+08:00' },
      rectified.change.state,
    );
    if (!failed.ok) throw new Error(failed.message);
    expect(failed.deltas).toContainEqual(urged(1));
    const plain = act('issue.rectified', {});
    if (!plain.ok) throw new Error(plain.message);
    expect(plain.deltas).not.toContainEqual(urged(-1));
  });

  it('a comment fits any issue and moves no counter; an unknown issue is unknown_issue', () => {
    for (const status of ['open', 'submitted', 'closed'] as const) {
      const out = act('issue.commented', { note: '已电话沟通' }, { ...open, status });
      if (!out.ok) throw new Error(out.message);
      expect(out.deltas.filter((d) => d.op === 'incr' || d.op === 'setDeadline')).toEqual([]);
    }
    const unknown = act('issue.commented', { note: 'x' }, null);
    expect(unknown.ok ? null : unknown.code).toBe('unknown_issue');
  });
});
