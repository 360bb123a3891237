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

describe('issue transitions', () => {
  const issue: IssueState = {
    id: 'I1',
    district: '430211',
    inspectionId: null,
    target: { kind: 'school', id: 'S1' },
    category: 'homework',
    severity: 'minor',
    status: 'submitted',
    deadline: Date.parse('2026-11-20T00:00:00Z'),
    reopenCount: 0,
    raisedAt: Date.parse('2026-11-26T09:00:00+08:00'),
    submittedAt: null,
    closedAt: null,
  };
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
