/** SPEC §14: the simulator's monthly themes and campaign are plans that pass the plan rules. */
import { describe, expect, it } from 'vitest';
import { planProblems } from '@dudao/domain';
import { cityPackById } from '@dudao/domain/cities';
import { demoPlans } from '../src/simulator/plans.ts';

const zhuzhou = cityPackById('zhuzhou').districts.map((d) => d.adcode);

describe('demo plans', () => {
  it('makes one theme per month of the history and this month’s campaign, all valid', () => {
    const plans = demoPlans(
      Date.parse('2026-10-28T00:00:00+08:00'),
      Date.parse('2026-11-26T10:00:00+08:00'),
      zhuzhou,
    );
    expect(plans.map((p) => p.id)).toEqual([
      'theme-2026-10',
      'theme-2026-11',
      'campaign-2026-11-430203-training',
    ]);
    for (const p of plans) expect(planProblems(p, new Set(zhuzhou)), p.id).toEqual([]);
    expect(plans[1]).toMatchObject({
      title: '11月主题：“五项管理”',
      from: '2026-11-01',
      to: '2026-11-30',
      theme: 'five_managements',
      targets: { kind: 'school', stages: ['primary', 'junior', 'nine_year'] },
    });
    expect(plans[2]!.phases!.map((p) => [p.from, p.to])).toEqual([
      ['2026-10-01', '2026-10-31'],
      ['2026-11-01', '2026-11-30'],
      ['2026-12-01', '2026-12-31'],
    ]);
  });

  it('is the same on every start within a month (made again: a harmless 200)', () => {
    const a = demoPlans(Date.parse('2026-11-02T00:00:00Z'), Date.parse('2026-11-03T00:00:00Z'), zhuzhou);
    const b = demoPlans(Date.parse('2026-11-20T00:00:00Z'), Date.parse('2026-11-29T00:00:00Z'), zhuzhou);
    expect(a).toEqual(b);
  });
});
