import { describe, expect, it } from 'vitest';
import { planProblems, type PlanProgress, type PlansMessage, type PlanView } from '@dudao/domain';
import { mergePlans, planPace, wallPlans } from '../../src/lib/plans.ts';
import {
  draftToPlan,
  emptyDraft,
  problemsAt,
  problemText,
  unplacedProblems,
} from '../../src/lib/planForm.ts';

const progress = (targets: number, visited: number): PlanProgress => ({
  targets,
  visited,
  issuesRaised: 0,
  issuesClosed: 0,
});

const plan = (p: Partial<PlanView> & Pick<PlanView, 'id'>): PlanView => ({
  kind: 'campaign',
  title: p.id,
  scope: 'city',
  from: '2026-12-01',
  to: '2026-12-31',
  targets: { kind: 'school' },
  createdAt: '2026-11-30T00:00:00.000Z',
  status: 'running',
  progress: progress(10, 0),
  ...p,
});

const msg = (asOf: string, plans: PlanView[]): PlansMessage => ({ scope: 'city', asOf, plans });
// 2026-12-10 10:00 in Beijing
const TEN_DECEMBER = '2026-12-10T02:00:00.000Z';

describe('SPEC §14 plans on screen: the read, then the live pushes', () => {
  it('a push replaces the plans it carries and leaves old plans it no longer lists', () => {
    const read = msg('2026-12-10T01:00:00.000Z', [
      plan({ id: 'theme-2026-12', progress: progress(10, 2) }),
      plan({ id: 'theme-2026-09', from: '2026-09-01', to: '2026-09-30', status: 'ended' }),
    ]);
    const push = msg('2026-12-10T01:00:05.000Z', [plan({ id: 'theme-2026-12', progress: progress(10, 3) })]);
    const held = mergePlans(read, push);
    expect(held.asOf).toBe(push.asOf);
    expect(held.plans.map((p) => [p.id, p.progress.visited])).toEqual([
      ['theme-2026-12', 3],
      ['theme-2026-09', 0],
    ]);
  });

  it('a read answered after a newer push does not take its figures back', () => {
    const push = msg('2026-12-10T01:00:05.000Z', [plan({ id: 'a-plan', progress: progress(10, 3) })]);
    const lateRead = msg('2026-12-10T01:00:00.000Z', [plan({ id: 'a-plan', progress: progress(10, 2) })]);
    expect(mergePlans(push, lateRead).plans[0]!.progress.visited).toBe(3);
  });

  it('another scope’s message replaces what was held', () => {
    const other = { ...msg(TEN_DECEMBER, []), scope: '430211' };
    expect(mergePlans(msg(TEN_DECEMBER, [plan({ id: 'a-plan' })]), other)).toBe(other);
  });
});

describe('SPEC §14 the wall’s plan panel', () => {
  it('the pace is the share of the window passed by the end of today', () => {
    expect(planPace({ from: '2026-12-01', to: '2026-12-31' }, '2026-12-01')).toBeCloseTo(1 / 31, 9);
    expect(planPace({ from: '2026-12-01', to: '2026-12-31' }, '2026-12-10')).toBeCloseTo(10 / 31, 9);
    expect(planPace({ from: '2026-12-01', to: '2026-12-31' }, '2027-01-05')).toBe(1);
    expect(planPace({ from: '2026-12-01', to: '2026-12-31' }, '2026-11-20')).toBe(0);
  });

  it('shows the city’s running theme per district, weakest first, amber behind the pace', () => {
    const board = wallPlans(
      msg(TEN_DECEMBER, [
        plan({
          id: 'theme-2026-12',
          kind: 'theme',
          theme: 'dropout_control',
          progress: progress(60, 25),
          districts: [
            { adcode: '430211', name: '天元区', progress: progress(20, 10) },
            { adcode: '430202', name: '荷塘区', progress: progress(30, 3) },
            { adcode: '430203', name: '芦淞区', progress: progress(10, 10) },
          ],
        }),
        plan({ id: 'theme-2026-11', kind: 'theme', status: 'ended', from: '2026-11-01', to: '2026-11-30' }),
      ]),
      'Asia/Shanghai',
    );
    expect(board.theme?.id).toBe('theme-2026-12');
    expect(board.theme?.pace).toBeCloseTo(10 / 31, 9);
    expect(board.theme?.districts.map((d) => [d.name, d.rate, d.tone])).toEqual([
      ['荷塘区', 0.1, 'behind'],
      ['天元区', 0.5, 'good'],
      ['芦淞区', 1, 'good'],
    ]);
    expect(board.others).toEqual([]);
  });

  it('counts a campaign in its current phase, against that phase’s pace', () => {
    const board = wallPlans(
      msg(TEN_DECEMBER, [
        plan({
          id: 'campaign-430203',
          scope: '430203',
          from: '2026-11-01',
          to: '2027-01-31',
          progress: progress(34, 30),
          phaseProgress: [
            { name: '摸底数', from: '2026-11-01', to: '2026-11-30', visited: 29 },
            { name: '督落实', from: '2026-12-01', to: '2026-12-31', visited: 4 },
            { name: '督整改', from: '2027-01-01', to: '2027-01-31', visited: 0 },
          ],
        }),
      ]),
      'Asia/Shanghai',
    );
    expect(board.theme).toBeNull();
    const [c] = board.others;
    expect(c).toMatchObject({ district: '430203', rate: 30 / 34, tone: 'good' });
    expect(c?.phase).toMatchObject({ name: '督落实', index: 2, count: 3 });
    expect(c?.phase?.pace).toBeCloseTo(10 / 31, 9);
    expect(c?.phase?.figure).toMatchObject({ rate: 4 / 34, tone: 'behind' });
  });
});

describe('SPEC §14 the admin’s plan form', () => {
  it('makes the plan the fields say, leaving out what is empty', () => {
    const draft = { ...emptyDraft('430211'), id: ' c-1 ', kind: 'campaign' as const, title: '专项 ' };
    expect(draftToPlan({ ...draft, from: '2026-12-01', to: '2026-12-31' })).toEqual({
      id: 'c-1',
      kind: 'campaign',
      title: '专项',
      scope: '430211',
      from: '2026-12-01',
      to: '2026-12-31',
      targets: { kind: 'school' },
    });
    const full = draftToPlan({
      ...draft,
      theme: 'homework',
      stages: ['primary'],
      ids: 's-1\ns-2, s-3，s-4',
      phases: [{ name: ' 摸底 ', from: '2026-12-01', to: '2026-12-10' }],
    });
    expect(full.theme).toBe('homework');
    expect(full.targets).toEqual({ kind: 'school', stages: ['primary'], ids: ['s-1', 's-2', 's-3', 's-4'] });
    expect(full.phases).toEqual([{ name: '摸底', from: '2026-12-01', to: '2026-12-10' }]);
  });

  it('puts each problem under its field: the domain’s rules and the service’s name the same pointers', () => {
    const plan = draftToPlan({
      ...emptyDraft('city'),
      id: 'x',
      from: '2026-12-10',
      to: '2026-12-01',
      phases: [{ name: '', from: '2026-12-01', to: '2026-12-02' }],
    });
    const problems = [
      ...planProblems(plan, new Set(['430211'])),
      { path: '/targets/ids/3', message: 'no school s-9 in city' },
      { path: '/', message: 'body must be an object' },
    ];
    const messages = (pointer: string, within = false) =>
      problemsAt(problems, pointer, within).map((p) => p.message);
    expect(messages('/id')).toHaveLength(1);
    expect(messages('/to')).toEqual(['must not be before from']);
    expect(messages('/theme')).toHaveLength(1);
    expect(messages('/phases/0', true).length).toBeGreaterThan(0);
    expect(messages('/targets', true)).toEqual(['no school s-9 in city']);
    expect(unplacedProblems(problems)).toEqual([{ path: '/', message: 'body must be an object' }]);
  });

  it('names each rule broken by a code with its figures, so the form says it in its language', () => {
    const plan = draftToPlan({
      ...emptyDraft('city'),
      id: 'theme-x',
      title: 't',
      from: '2026-12-01',
      to: '2026-12-31',
      theme: 'homework',
      phases: [
        { name: 'a', from: '2026-12-01', to: '2026-12-10' },
        { name: 'b', from: '2026-12-10', to: '2027-01-05' },
      ],
    });
    expect(planProblems(plan, new Set())).toEqual([
      {
        path: '/phases/1',
        message: 'must lie within the plan (2026-12-01 – 2026-12-31)',
        code: 'phase_outside',
        params: { from: '2026-12-01', to: '2026-12-31' },
      },
      {
        path: '/phases/1/from',
        message: 'must come after phase 0 ends (2026-12-10)',
        code: 'phase_overlap',
        params: { phase: 1, end: '2026-12-10' },
      },
    ]);
    // an empty draft breaks one rule per field, each named by its code
    const empty = planProblems(draftToPlan(emptyDraft('999999')), new Set());
    expect(empty.map((p) => p.code)).toEqual([
      'id_format',
      'title_length',
      'scope_unknown',
      'day_format',
      'day_format',
      'theme_missing',
    ]);
  });

  it('says a problem through its code, naming kinds and scopes as the screen does; the English without one', () => {
    const t = (key: string, params: Record<string, string | number>) => `${key}${JSON.stringify(params)}`;
    const scopeName = (s: string) => (s === '430211' ? '天元区' : s);
    expect(
      problemText(
        {
          path: '/targets/ids/0',
          message: 'no school s-9 in 430211',
          code: 'target_unknown',
          params: { kind: 'school', id: 's-9', scope: '430211' },
        },
        t,
        scopeName,
      ),
    ).toBe('plans.problem.target_unknown{"kind":"plans.targetKind.school{}","id":"s-9","scope":"天元区"}');
    expect(problemText({ path: '/', message: 'body must be an object' }, t, scopeName)).toBe(
      'body must be an object',
    );
  });
});
