import { describe, expect, it } from 'vitest';
import { MAX_PLAN_DAYS, planProblems, type PlanInput } from '../src/index.ts';

const PLAN: PlanInput = {
  id: 'plan-1',
  kind: 'campaign',
  title: '秋季开学专项督导',
  scope: 'city',
  from: '2026-09-01',
  to: '2026-09-30',
  targets: { kind: 'school' },
};
const problems = (p: Partial<PlanInput>) => planProblems({ ...PLAN, ...p }, new Set(['430211']));

describe('SPEC §14 a plan’s days', () => {
  it.each([
    ['2026-02-30', 'not a calendar day'],
    ['2026-13-01', 'a month that does not exist'],
    ['2026-9-01', 'not written YYYY-MM-DD'],
  ])('from %s is refused at /from (%s)', (from) => {
    expect(problems({ from })).toEqual([
      { path: '/from', message: 'must be a day YYYY-MM-DD', code: 'day_format' },
    ]);
  });

  it('a leap day is a day', () => {
    expect(problems({ from: '2028-02-29', to: '2028-03-01' })).toEqual([]);
  });

  it(`a plan spans at most ${MAX_PLAN_DAYS} calendar days, both ends included`, () => {
    expect(problems({ from: '2026-01-01', to: '2027-02-04' })).toEqual([]);
    expect(problems({ from: '2026-01-01', to: '2027-02-05' })).toEqual([
      {
        path: '/to',
        message: `a plan spans at most ${MAX_PLAN_DAYS} days`,
        code: 'window_too_long',
        params: { max: MAX_PLAN_DAYS },
      },
    ]);
  });

  it('a phase whose day does not exist is refused at the phase', () => {
    expect(problems({ phases: [{ name: '摸底', from: '2026-09-31', to: '2026-09-30' }] })).toEqual([
      { path: '/phases/0', message: 'from and to must be days YYYY-MM-DD', code: 'phase_days' },
    ]);
  });
});
