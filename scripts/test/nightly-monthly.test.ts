/**
 * SPEC §15 the monthly report (月报): the nightly of a month's last day writes one for the city and
 * one per district over the scripted November (testkit's nightly scenario, plus an issue carried in
 * from October and closed in November); every figure below is worked out by hand from the events.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBriefings, readBriefing } from '@dudao/db';
import { D, SCENARIO_END } from '@dudao/testkit/nightly-scenario';
import type { TestService } from '@dudao/ingest-service/testing';
import { ev, testClock, TY } from '@dudao/testkit';
import { runNightly, type NightlyPhase, type NightlyResult } from '../src/nightly/job.ts';
import { nightlyContext, scenarioService, tableRow, themePlan } from './helpers/nightly.ts';

const MONTH = '2026-11';
const PLAN = themePlan('monthly-theme', '十一月双减主题督导', '2026-11-01', '2026-11-30');
const OCTOBER_PLAN = themePlan('monthly-october', '十月主题督导', '2026-10-01', '2026-10-31');
/**
 * X0 (天元区泰山学校, homework): raised in October, rectified there, closed on 11-05 — carried into
 * November (月初未销号) and closed (销号) in it.
 */
const CARRIED = [
  ev.raised(D('10-20', '10:00'), D('10-30', '18:00'), { issueId: 'X0-issue' }),
  ev.rectified(D('10-25', '10:00'), 'X0-issue'),
  ev.verified(D('11-05', '10:00'), 'X0-issue', 'passed'),
];
const clock = testClock(new Date(SCENARIO_END).toISOString());
/** 2 × 10 pages (the 11-30 briefing and the 月报, city and 9 districts) on the loaded 2-core machine. */
const NIGHTLY_HOOK_MS = 300_000;
let svc: TestService;
let dataDir: string;
let close: () => Promise<void>;
let result: NightlyResult;
let city: string;
let ty: string;
const log: string[] = [];
const progress: [NightlyPhase, number, number][] = [];

beforeAll(async () => {
  ({ svc, dataDir, close } = await scenarioService(clock, CARRIED, [PLAN, OCTOBER_PLAN]));
  // The nightly of the month's last day, the next morning.
  clock.set(Date.parse('2026-12-01T01:30:00+08:00'));
  result = await runNightly(
    nightlyContext(svc, dataDir, log, clock.now),
    { fromDay: '2026-11-30', toDay: '2026-11-30', onlyMissing: false },
    (phase, done, total) => progress.push([phase, done, total]),
  );
  city = await readFile(join(dataDir, 'reports', `${MONTH}.html`), 'utf8');
  ty = await readFile(join(dataDir, 'reports', TY, `${MONTH}.html`), 'utf8');
}, NIGHTLY_HOOK_MS);
afterAll(() => close());

describe('SPEC §15 the 月报 from the nightly of a month end', () => {
  it('is written for the city and each district, in the database and in reports/[<adcode>/]YYYY-MM.html', async () => {
    expect(result.months).toEqual([MONTH]);
    expect(result.monthly).toHaveLength(10);
    expect(result.monthly).toEqual(
      expect.arrayContaining([
        join(dataDir, 'reports', `${MONTH}.html`),
        join(dataDir, 'reports', TY, `${MONTH}.html`),
      ]),
    );
    expect(await readBriefing(svc.database, `${MONTH}-01`, 'city', 'monthly')).toBe(city);
    expect(await readBriefing(svc.database, `${MONTH}-01`, TY, 'monthly')).toBe(ty);
    expect((await listBriefings(svc.database, { kind: 'monthly', scope: TY })).map((b) => b.day)).toEqual([
      `${MONTH}-01`,
    ]);
    // the day's briefing is still there, beside it
    expect((await listBriefings(svc.database)).map((b) => b.day)).toEqual(['2026-11-30']);
  });

  it('shows its progress like the daily part: rollups, briefings, then the 月报 pages', () => {
    expect(progress.at(-1)).toEqual(['monthly', 10, 10]);
    expect(progress.filter(([p]) => p === 'briefing').at(-1)).toEqual(['briefing', 10, 10]);
    // the whole month (and the day before it) rolled up: 10-31..11-30
    expect(progress.filter(([p]) => p === 'rollup').at(-1)).toEqual(['rollup', 31, 31]);
  });

  it('looks like the briefing: masthead 督导月报, issue number by month, period, printed on', () => {
    expect(city).toContain('<h1>督导月报</h1>');
    expect(city).toContain('第11期');
    expect(city).toContain('全市“双减”督导工作月报<br>（2026年11月）');
    expect(city).toContain('2026年12月1日印发');
    expect(city).toContain(`data-month="${MONTH}" data-scope="city"`);
  });

  it("has the month's coverage per district: schools and institutions visited at least once / registered", () => {
    // Inspections started in November: I2 (S-TY-2), I5 (S-HT-1), I3 (S-TY-1), I4 (N-TY-1); I1 began 10-31.
    // 天元区 3 schools, 2 institutions; 荷塘区 1 school, 1 institution.
    const row = (first: string) => tableRow(city, first);
    expect(row('天元区')).toBe('|3|2|3|66.7%|1|2|50.0%|');
    expect(row('荷塘区')).toBe('|1|1|1|100.0%|0|1|0.0%|');
    expect(row('全市')).toBe('|4|3|4|75.0%|1|3|33.3%|');
  });

  it('has issues raised, closed (销号), the closure rate, still open and overdue at month end, by category', () => {
    const row = (first: string) => tableRow(city, first);
    // columns: carried in, raised, closed, rate = closed / (carried + raised), not closed, overdue
    expect(row('作业管理')).toBe('|1|1|1|50.0%|1|0|'); // X0 carried and closed; X1 raised, submitted
    expect(row('违规收费')).toBe('|0|1|0|0.0%|1|1|'); // X2: failed revisit, overdue since 11-26 12:00
    expect(row('食品安全')).toBe('|0|1|0|0.0%|1|1|'); // X4 (荷塘区): extended to 11-28, overdue since
    expect(row('其他')).toBe('|0|1|1|100.0%|0|0|'); // X3: raised 11-20, closed 11-25
    expect(row('合计')).toBe('|1|4|2|40.0%|3|2|');
    expect(city).toContain(
      '2026年11月，全市开展督导检查4次，覆盖学校3所（覆盖率75.0%）、校外培训机构1家（覆盖率33.3%）；' +
        '新发现问题4个，整改销号2个，当月销号率40.0%。截至月末，未销号问题3个，其中待整改2个、待复查1个，逾期未整改2个。',
    );
  });

  it('compares the month end with the month before (from the rollups of 10-31)', () => {
    // 10-31: I1 only in October
    expect(tableRow(city, '本月督导检查（次）')).toBe('|4|增加3|');
    expect(tableRow(city, '月末逾期未整改问题（个）')?.startsWith('|2|')).toBe(true);
    // closed / raised of all time: X0, X3 of 5
    expect(tableRow(city, '累计整改销号率')?.startsWith('|40.0%|')).toBe(true);
  });

  it('lists the overdue issues at month end with their ages', () => {
    const row = (first: string) => tableRow(city, first);
    // at 12-01 00:00: X2 4.5 days past 11-26 12:00 → 5; X4 2.25 days past 11-28 18:00 → 3
    expect(row('1')).toBe('|天元区|天元区泰山学校|违规收费|较重|2026-11-26|5|');
    expect(row('2')).toBe('|荷塘区|荷塘区建设小学|食品安全|较重|2026-11-28|3|');
  });

  it("has the plans active in the month with their progress at its end; not October's", () => {
    // 4 schools; visited in November with the theme: S-TY-2, S-HT-1, S-TY-1; issues raised in
    // November on them: X3, X1, X2, X4, of which X3 is closed
    expect(tableRow(city, PLAN.title)).toBe('|全市|2026-11-01至2026-11-30|—|4|3|75.0%|4|1|');
    expect(city).toContain('完成率最低的是天元区（66.7%）');
    expect(city).not.toContain(OCTOBER_PLAN.title);
  });

  it('has complaints received and handled, institutions inspected and acted on', () => {
    expect(city).toContain('11月受理群众举报2件、办结1件；截至月末待办结1件。');
    expect(city).toContain(
      '11月督导检查校外培训机构1家（共3家），依法处置2起。学科类机构基数2家，已压减1家，压减率50.0%。',
    );
    expect(tableRow(city, '依法取缔')).toBe('|1|');
    expect(tableRow(city, '警告')).toBe('|1|');
  });

  it('has its charts inline as SVG, numbered in order, and nothing fetched', () => {
    expect(city.match(/<svg/g)?.length).toBe(4);
    expect(city).toContain('<figcaption>图2\u300011月各类问题发现与销号</figcaption>');
    expect(city).toContain('<figcaption>图4\u3000全市11月每日主要指标走势</figcaption>');
    expect(city).not.toMatch(/<script|<link|<img|src=|url\((?!#)/i);
  });
});

describe("SPEC §15 a district's 月报", () => {
  it("holds the district's own figures only", () => {
    const row = (first: string) => tableRow(ty, first);
    expect(ty).toContain('天元区“双减”督导工作月报');
    // X0, X3, X1, X2: carried 1, raised 3, closed 2 → 2 / 4; X1 and X2 not closed, X2 overdue
    expect(row('合计')).toBe('|1|3|2|50.0%|2|1|');
    expect(row('天元区')).toBe('|3|2|3|66.7%|1|2|50.0%|');
    expect(ty).not.toContain('荷塘区建设小学');
    // the city's plan counted in 天元区 alone: S-TY-1, S-TY-2 of 3; X3, X1, X2 raised, X3 closed
    expect(tableRow(ty, PLAN.title)).toBe('|全市|2026-11-01至2026-11-30|—|3|2|66.7%|3|1|');
  });
});

describe('SPEC §15 a finished month without a 月报 is caught up', () => {
  it(
    'a run with nothing new writes none; once the 月报 is gone, the next run writes it again',
    async () => {
      const ctx = { ...nightlyContext(svc, dataDir, log, clock.now), districts: [] };
      const request = { fromDay: '2026-11-30', toDay: '2026-11-30', onlyMissing: true };
      expect((await runNightly(ctx, request)).months).toEqual([]);
      await svc.database.query(`delete from briefings where kind = 'monthly'`);
      const again = await runNightly(ctx, request);
      expect(again.days).toEqual([]);
      expect(again.months).toEqual([MONTH]);
      const html = await readBriefing(svc.database, `${MONTH}-01`, 'city', 'monthly');
      expect(tableRow(html ?? '', '合计')).toBe('|1|4|2|40.0%|3|2|');
    },
    NIGHTLY_HOOK_MS,
  );
});
