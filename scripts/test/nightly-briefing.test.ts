/**
 * SPEC §10 briefing: the nightly job over a scripted city — the day's 督导简报 is one self-contained
 * HTML page (no script, nothing fetched, charts as inline SVG, A4 print CSS) holding the day's
 * figures, stored in the database and in DATA_DIR/reports.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBriefings, readBriefing } from '@dudao/db';
import { SCENARIO_END } from '@dudao/testkit/nightly-scenario';
import type { TestService } from '@dudao/ingest-service/testing';
import { testClock, TY } from '@dudao/testkit';
import { runNightly, type NightlyResult } from '../src/nightly/job.ts';
import { nightlyContext, scenarioService, tableRow, themePlan } from './helpers/nightly.ts';

const DAY = '2026-11-26';
const RUNNING_PLAN = themePlan('briefing-theme', '十一月主题督导', '2026-11-01', '2026-11-30');
const ENDED_PLAN = themePlan('briefing-ended', '十月主题督导', '2026-10-01', '2026-10-31');
const clock = testClock(new Date(SCENARIO_END).toISOString());
/**
 * The nightly of two days renders the city's briefing and each district's (2 × 10 pages, each with
 * its own queries and SVG charts): over a minute on the loaded 2-core machine.
 */
const NIGHTLY_HOOK_MS = 240_000;
let svc: TestService;
let dataDir: string;
let close: () => Promise<void>;
let result: NightlyResult;
let html: string;
const log: string[] = [];

beforeAll(async () => {
  ({ svc, dataDir, close } = await scenarioService(clock, [], [RUNNING_PLAN, ENDED_PLAN]));
  // The briefing is made the next morning.
  clock.set(Date.parse('2026-11-27T01:30:00+08:00'));
  result = await runNightly(nightlyContext(svc, dataDir, log, clock.now), {
    fromDay: '2026-11-25',
    toDay: DAY,
    onlyMissing: false,
  });
  html = await readFile(join(dataDir, 'reports', `${DAY}.html`), 'utf8');
}, NIGHTLY_HOOK_MS);
afterAll(() => close());

/** The text of the table row whose first cell is `first`. */
const row = (first: string) => tableRow(html, first);

describe('SPEC §10 the daily briefing (督导简报)', () => {
  it('one file per day in DATA_DIR/reports, the same page stored in the database', async () => {
    expect(result.briefings).toEqual(
      expect.arrayContaining(['2026-11-25', DAY].map((d) => join(dataDir, 'reports', `${d}.html`))),
    );
    expect(await readBriefing(svc.database, DAY)).toBe(html);
    expect((await listBriefings(svc.database)).map((b) => b.day)).toEqual([DAY, '2026-11-25']);
  });

  it('looks like an official report: masthead, issue number by day of year, issuer, date', () => {
    expect(html).toContain('<h1>督导简报</h1>');
    expect(html).toContain('第330期');
    expect(html).toContain('株洲市教育督导办公室');
    expect(html).toContain('2026年11月26日');
    expect(html).toContain('2026年11月27日印发');
  });

  it('holds the day figures against the day before', () => {
    // The city on 11-26: 1 inspection started (11-25: 2), 1 overdue (11-25: 2; X4's deadline was
    // extended), 2 open (11-25: 3).
    expect(row('当日督导检查（次）')).toBe('|1|减少1|—|');
    expect(row('逾期未整改问题（个）')).toBe('|1|减少1|—|');
    expect(row('待整改问题（个）')).toBe('|2|减少1|—|');
    expect(html).toContain('当日新发现问题0个，整改销号0个');
  });

  it('has the per-district table with the city total', () => {
    // 天元区: today 1, month 3, coverage 2/3, open 1, overdue 1, rectification 1/3, complaints open 1
    expect(row('天元区')).toBe('|1|3|66.7%|1|1|33.3%|1|');
    expect(row('荷塘区')).toBe('|0|1|100.0%|1|0|0.0%|0|');
    expect(row('全市')).toBe('|1|4|75.0%|2|1|25.0%|1|');
  });

  it('lists the overdue issues with their ages', () => {
    expect(html).toContain('全市逾期未整改问题1个，涉及1个区县');
    // X2 (天元区, 11-26 12:00): 1 day at the end of 11-26; X4 (荷塘区) is no longer overdue, its
    // deadline extended to 11-28 on 11-26
    expect(row('1')).toBe('|天元区|天元区泰山学校|违规收费|较重|2026-11-26|1|');
    expect(html).not.toContain('荷塘区建设小学');
  });

  it('has the month theme progress, institution actions and complaints', () => {
    expect(html).toContain('全市共开展督导检查4次');
    expect(row('依法取缔')).toBe('|0|1|');
    expect(row('警告')).toBe('|1|1|');
    expect(html).toContain('当日受理群众举报1件、办结1件；本月累计受理2件、办结1件');
  });

  it('lists the plans running on the day with their progress, as the API counts it (SPEC §14)', async () => {
    const { body } = await svc.get('/api/v1/plans?scope=city');
    const p = body.plans.find((x: { id: string }) => x.id === RUNNING_PLAN.id).progress;
    expect(html).toContain('七、督导计划进展');
    expect(row(RUNNING_PLAN.title)).toBe(
      `|全市|2026-11-01至2026-11-30|—|${p.targets}|${p.visited}|${((p.visited / p.targets) * 100).toFixed(1)}%|${p.issuesRaised}|${p.issuesClosed}|`,
    );
    expect(p.visited).toBeGreaterThan(0);
    expect(html).not.toContain(ENDED_PLAN.title);
  });

  it('is self-contained: charts are inline SVG, no script, nothing fetched; prints on A4', () => {
    expect(html.match(/<svg/g)?.length).toBe(4);
    expect(html).toContain('<figcaption>图4\u3000全市近30日主要指标走势</figcaption>');
    // url(#id) is an SVG clip path inside the page, not a fetch
    expect(html).not.toMatch(/<script|<link|<img|src=|url\((?!#)/i);
    expect(html).toContain('@page { size: A4');
  });

  it('reconciled the live store on the way (no drift on an untouched store)', () => {
    expect(result.drift).toBe(0);
    expect(log).toContain('live store rebuilt from the database: 0 metric(s) had drifted');
  });
});

describe('SPEC §15 a district briefing from the same nightly', () => {
  let ty: string;
  beforeAll(async () => {
    ty = await readFile(join(dataDir, 'reports', TY, `${DAY}.html`), 'utf8');
  });

  it('is stored beside the city one and written under reports/<adcode>/', async () => {
    expect(await readBriefing(svc.database, DAY, TY)).toBe(ty);
    expect((await listBriefings(svc.database, { scope: TY })).map((b) => b.day)).toEqual([DAY, '2026-11-25']);
    expect(result.briefings).toContain(join(dataDir, 'reports', TY, `${DAY}.html`));
  });

  it("holds the district's own figures and issues only", () => {
    expect(ty).toContain('天元区“双减”督导工作情况');
    expect(ty).toContain('天元区逾期未整改问题1个，涉及1个区县');
    expect(ty).toContain('天元区泰山学校');
    // 荷塘区's overdue issue is not in 天元区's briefing
    expect(ty).not.toContain('荷塘区建设小学');
    // 天元区 on 11-26: 1 inspection started, 1 open, 1 overdue (as worked out in nightly-scenario.ts)
    const m = /<tr><td[^>]*>逾期未整改问题（个）<\/td>(.*?)<\/tr>/.exec(ty);
    expect(m?.[1]?.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|')).toBe('|1|持平|—|');
  });
});
