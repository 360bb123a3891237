import { describe, expect, it } from 'vitest';
import {
  AlertConfigError,
  DAY_MS,
  DEFAULT_ALERT_RULES,
  evaluateAlerts,
  parseAlertRules,
  unfired,
  type AlertRules,
  type AlertState,
  type ComplaintState,
  type DistrictCoverage,
  type IssueState,
} from '../src/index.ts';
import { COMPLAINT, ISSUE } from './core/fixtures.ts';

const TZ = 'Asia/Shanghai';
const TY = '430211';
const NOW = Date.parse('2026-11-25T10:00:00+08:00'); // the 25th of the month
const H = 3_600_000;

const issue = (over: Partial<IssueState> = {}): IssueState => ({
  ...ISSUE,
  id: 'I1',
  deadline: NOW + DAY_MS,
  raisedAt: NOW - H,
  ...over,
});
const complaint = (over: Partial<ComplaintState> = {}): ComplaintState => ({
  ...COMPLAINT,
  receivedAt: NOW - H,
  ...over,
});
const coverage = (covered: number, total = 100): DistrictCoverage => ({ district: TY, covered, total });

const state = (over: Partial<AlertState>): AlertState => ({
  now: NOW,
  timezone: TZ,
  rules: DEFAULT_ALERT_RULES,
  issues: [],
  complaints: [],
  coverage: [],
  ...over,
});
const keys = (s: AlertState) => evaluateAlerts(s).map((f) => f.dedupeKey);

describe('SPEC §15 alert rules: each fires for what it names and nothing else', () => {
  const cases: { name: string; state: Partial<AlertState>; fires: string[] }[] = [
    {
      name: 'a critical issue just raised',
      state: { issues: [issue({ severity: 'critical' })] },
      fires: ['critical_issue:I1'],
    },
    { name: 'a major issue raised', state: { issues: [issue({ severity: 'major' })] }, fires: [] },
    {
      name: 'a critical issue raised more than a day ago (history, not news)',
      state: { issues: [issue({ severity: 'critical', raisedAt: NOW - DAY_MS - 1 })] },
      fires: [],
    },
    {
      name: 'a critical issue closed at once still fired when raised',
      state: { issues: [issue({ severity: 'critical', status: 'closed' })] },
      fires: ['critical_issue:I1'],
    },
    {
      name: 'an open issue exactly 7 days past its deadline',
      state: { issues: [issue({ deadline: NOW - 7 * DAY_MS })] },
      fires: ['issue_overdue:I1'],
    },
    {
      name: 'an open issue 7 days less a minute past its deadline',
      state: { issues: [issue({ deadline: NOW - 7 * DAY_MS + 60_000 })] },
      fires: [],
    },
    {
      name: 'a submitted issue long overdue (not closed yet)',
      state: { issues: [issue({ status: 'submitted', deadline: NOW - 30 * DAY_MS })] },
      fires: ['issue_overdue:I1'],
    },
    {
      name: 'a closed issue long past its deadline',
      state: { issues: [issue({ status: 'closed', deadline: NOW - 30 * DAY_MS })] },
      fires: [],
    },
    { name: 'an issue reopened once', state: { issues: [issue({ reopenCount: 1 })] }, fires: [] },
    {
      name: 'an issue reopened twice',
      state: { issues: [issue({ reopenCount: 2 })] },
      fires: ['issue_reopened:I1'],
    },
    {
      name: 'a closed issue reopened three times',
      state: { issues: [issue({ reopenCount: 3, status: 'closed' })] },
      fires: [],
    },
    {
      name: 'a complaint open 7 days',
      state: { complaints: [complaint({ receivedAt: NOW - 7 * DAY_MS })] },
      fires: ['complaint_open:C1'],
    },
    {
      name: 'a complaint open 6 days',
      state: { complaints: [complaint({ receivedAt: NOW - 6 * DAY_MS })] },
      fires: [],
    },
    {
      name: 'a resolved complaint received long ago',
      state: { complaints: [complaint({ status: 'resolved', receivedAt: NOW - 30 * DAY_MS })] },
      fires: [],
    },
    {
      name: 'an issue that crossed 7 days overdue before `since` (a backfilled backlog)',
      state: { since: NOW - H, issues: [issue({ deadline: NOW - 7 * DAY_MS - H - 1 })] },
      fires: [],
    },
    {
      name: 'an issue that crossed 7 days overdue at `since`',
      state: { since: NOW - H, issues: [issue({ deadline: NOW - 7 * DAY_MS - H })] },
      fires: ['issue_overdue:I1'],
    },
    {
      name: 'issues reopened twice before `since` (a backfilled backlog; one from before reopenedAt was kept), one at it',
      state: {
        since: NOW - H,
        issues: [
          issue({ id: 'I0', reopenCount: 2, reopenedAt: NOW - H - 1 }),
          issue({ id: 'I2', reopenCount: 3, reopenedAt: null }),
          issue({ reopenCount: 2, reopenedAt: NOW - H }),
        ],
      },
      fires: ['issue_reopened:I1'],
    },
    {
      name: 'a complaint 7 days open before `since`, one at it',
      state: {
        since: NOW - H,
        complaints: [
          complaint({ id: 'C0', receivedAt: NOW - 7 * DAY_MS - H - 1 }),
          complaint({ receivedAt: NOW - 7 * DAY_MS - H }),
        ],
      },
      fires: ['complaint_open:C1'],
    },
    {
      name: 'a district at 59 % on the 25th (rule: below 60 % from the 20th)',
      state: { coverage: [coverage(59)] },
      fires: [`coverage_low:${TY}:2026-11`],
    },
    { name: 'a district at exactly 60 %', state: { coverage: [coverage(60)] }, fires: [] },
    { name: 'a district without schools', state: { coverage: [coverage(0, 0)] }, fires: [] },
    {
      name: 'a district at 10 % on the 19th',
      state: { now: Date.parse('2026-11-19T23:59:00+08:00'), coverage: [coverage(10)] },
      fires: [],
    },
    {
      name: 'one issue breaking three rules fires three times, once per rule',
      state: { issues: [issue({ severity: 'critical', reopenCount: 2, deadline: NOW - 8 * DAY_MS })] },
      fires: ['critical_issue:I1', 'issue_overdue:I1', 'issue_reopened:I1'],
    },
  ];
  it.each(cases)('$name', ({ state: over, fires }) => {
    expect(keys(state(over))).toEqual(fires);
  });

  it('a disabled rule fires nothing', () => {
    const rules: AlertRules = structuredClone(DEFAULT_ALERT_RULES);
    for (const rule of Object.values(rules)) rule.enabled = false;
    const everything = state({
      rules,
      issues: [issue({ severity: 'critical', reopenCount: 5, deadline: NOW - 30 * DAY_MS })],
      complaints: [complaint({ receivedAt: NOW - 30 * DAY_MS })],
      coverage: [coverage(0)],
    });
    expect(keys(everything)).toEqual([]);
  });

  it('thresholds come from the rules: overdue ≥ 3 days, reopened once, below 90 % from the 1st', () => {
    const rules = parseAlertRules(
      {
        issue_overdue: { days: 3 },
        issue_reopened: { times: 1 },
        coverage_low: { belowPercent: 90, dayOfMonth: 1 },
      },
      'test',
    );
    const now = Date.parse('2026-11-01T09:00:00+08:00');
    expect(
      keys(
        state({
          now,
          rules,
          issues: [issue({ id: 'A', deadline: now - 3 * DAY_MS }), issue({ id: 'B', reopenCount: 1 })],
          coverage: [coverage(89)],
        }),
      ),
    ).toEqual(['issue_overdue:A', 'issue_reopened:B', `coverage_low:${TY}:2026-11`]);
  });
});

describe('SPEC §15 each firing once and only once', () => {
  it('keeps its key while the object moves on, so a store that keeps keys fires it once', () => {
    // An issue raised critical, later 7, 8, 9 … days overdue, reopened again: across a timeline of
    // evaluations the store adds each rule's firing exactly once.
    const fired = new Set<string>();
    const added: string[] = [];
    const timeline: [number, IssueState][] = [
      [NOW, issue({ severity: 'critical', deadline: NOW + DAY_MS })],
      [NOW + 1000, issue({ severity: 'critical', deadline: NOW + DAY_MS })],
      [NOW + 8 * DAY_MS, issue({ severity: 'critical', deadline: NOW + DAY_MS })],
      [NOW + 9 * DAY_MS, issue({ severity: 'critical', deadline: NOW + DAY_MS, reopenCount: 2 })],
      [NOW + 10 * DAY_MS, issue({ severity: 'critical', deadline: NOW + DAY_MS, reopenCount: 3 })],
    ];
    for (const [now, i] of timeline)
      for (const f of unfired(evaluateAlerts(state({ now, issues: [i] })), fired)) {
        fired.add(f.dedupeKey);
        added.push(f.dedupeKey);
      }
    expect(added).toEqual(['critical_issue:I1', 'issue_overdue:I1', 'issue_reopened:I1']);
  });

  it('coverage fires once per district per month, again the next month', () => {
    const fired = new Set<string>();
    const added: string[] = [];
    for (const now of [
      NOW,
      NOW + DAY_MS,
      Date.parse('2026-12-20T08:00:00+08:00'),
      Date.parse('2026-12-21T08:00:00+08:00'),
    ])
      for (const f of unfired(evaluateAlerts(state({ now, coverage: [coverage(10)] })), fired)) {
        fired.add(f.dedupeKey);
        added.push(f.dedupeKey);
      }
    expect(added).toEqual([`coverage_low:${TY}:2026-11`, `coverage_low:${TY}:2026-12`]);
  });

  it('the same object listed twice yields one firing', () => {
    expect(
      keys(state({ issues: [issue({ severity: 'critical' }), issue({ severity: 'critical' })] })),
    ).toEqual(['critical_issue:I1']);
  });
});

describe('SPEC §15 thresholds in configuration: a wrong value is named', () => {
  it('fills left-out rules and fields with the defaults', () => {
    expect(parseAlertRules({}, 'f')).toEqual(DEFAULT_ALERT_RULES);
    expect(parseAlertRules({ issue_overdue: { enabled: false } }, 'f').issue_overdue).toEqual({
      enabled: false,
      days: 7,
    });
  });

  it('names every wrong field with its path', () => {
    let error: unknown;
    try {
      parseAlertRules(
        {
          issue_overdue: { days: 0 },
          coverage_low: { dayOfMonth: 31, percent: 5 },
          late_reports: {},
          critical_issue: { enabled: 'yes' },
        },
        'ALERTS_FILE alerts.json',
        '/rules',
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AlertConfigError);
    const problems = (error as AlertConfigError).problems;
    expect(problems.map((p) => p.path)).toEqual([
      '/rules/late_reports',
      '/rules/critical_issue/enabled',
      '/rules/issue_overdue/days',
      '/rules/coverage_low/dayOfMonth',
      '/rules/coverage_low/percent',
    ]);
    expect((error as Error).message).toMatch(
      /^ALERTS_FILE alerts\.json: \/rules\/late_reports is not a rule/,
    );
    expect((error as Error).message).toContain(
      '/rules/issue_overdue/days must be a whole number from 1 to 365',
    );
  });

  it('refuses rules that are not an object', () => {
    expect(() => parseAlertRules([], 'body')).toThrow('body: / must be an object');
  });
});
