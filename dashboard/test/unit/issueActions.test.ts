import { describe, expect, it } from 'vitest';
import {
  ISSUE_BUTTONS,
  actionBody,
  buttonAllowed,
  deadlineOfDay,
  formComplete,
  newActionId,
  suggestedDay,
} from '../../src/lib/issueActions.ts';

const TZ = 'Asia/Shanghai';
const form = (p: Partial<{ day: string; reason: string; note: string }> = {}) => ({
  day: '2026-12-10',
  reason: '',
  note: '',
  ...p,
});

describe('SPEC §13 which buttons an issue state allows', () => {
  it('a revisit needs a submitted fix; extend and urge an open issue; a remark goes anywhere', () => {
    const allowed = (status: 'open' | 'submitted' | 'closed') =>
      ISSUE_BUTTONS.filter((b) => buttonAllowed(b, status));
    expect(allowed('open')).toEqual(['extend', 'urge', 'comment']);
    expect(allowed('submitted')).toEqual(['verifyPassed', 'verifyFailed', 'comment']);
    expect(allowed('closed')).toEqual(['comment']);
  });
});

describe('SPEC §13 the action a confirmed button sends', () => {
  it('a picked day is a deadline at the end of that day in the city', () => {
    expect(deadlineOfDay('2026-12-10', TZ)).toBe('2026-12-10T15:59:59.000Z');
  });

  it('each button becomes its action with only its fields', () => {
    const f = form({ reason: ' 学校申请 ', note: ' 请尽快整改 ' });
    const deadline = '2026-12-10T15:59:59.000Z';
    const bodies = {
      verifyPassed: { type: 'verify', result: 'passed' },
      verifyFailed: { type: 'verify', result: 'failed', deadline },
      extend: { type: 'extend', deadline, reason: '学校申请' },
      urge: { type: 'urge', note: '请尽快整改' },
      comment: { type: 'comment', note: '请尽快整改' },
    } satisfies Record<(typeof ISSUE_BUTTONS)[number], object>;
    for (const button of ISSUE_BUTTONS) {
      expect(actionBody(button, 'a1b2c3d4', f, TZ)).toEqual({ id: 'a1b2c3d4', ...bodies[button] });
    }
  });

  it('the confirm button waits for what the action needs', () => {
    expect(formComplete('verifyPassed', form())).toBe(true);
    expect(formComplete('extend', form())).toBe(false);
    expect(formComplete('extend', form({ reason: '原因' }))).toBe(true);
    expect(formComplete('urge', form({ note: '  ' }))).toBe(false);
    expect(formComplete('verifyFailed', form({ day: '' }))).toBe(false);
  });

  it('the picker starts a week after the later of today and the current deadline', () => {
    const now = Date.parse('2026-12-03T02:00:00Z');
    expect(suggestedDay('2026-11-30T15:59:59Z', now, TZ)).toBe('2026-12-10');
    expect(suggestedDay('2026-12-20T15:59:59Z', now, TZ)).toBe('2026-12-27');
  });

  it('action ids fit the route and never repeat', () => {
    const ids = new Set(Array.from({ length: 100 }, newActionId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});
