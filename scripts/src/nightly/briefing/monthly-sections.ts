/**
 * The 月报's numbered sections, each a piece of HTML built from the month's data. Figures are
 * numbered in the order they appear (a section with nothing to draw draws nothing).
 */
import {
  CATEGORY_ZH,
  COMPLAINT_CHANNEL_ZH,
  INSTITUTION_ACTION_FORMAL_ZH,
  INSTITUTION_ACTIONS,
  labelOf,
} from '@dudao/domain';
import type { MonthIssues } from '@dudao/db';
import { categoryOption, renderSvg } from './charts.ts';
import { escapeHtml, figure, formatChange, formatValue, para, table, type Kind } from './format.ts';
import type { MonthlyData } from './monthly-data.ts';
import { districtChart, overdueSection, planProgress, trendFigure, v } from './sections.ts';

/** Hands out the figures' numbers. */
export class FigureCounter {
  private n = 0;
  next(): number {
    return ++this.n;
  }
}

/** 销号率 of a month: closed in it / (not closed when it began + raised in it); null when both are 0. */
export const closureRate = (i: Pick<MonthIssues, 'carried' | 'raised' | 'closed'>): number | null =>
  i.carried + i.raised === 0 ? null : i.closed / (i.carried + i.raised);

/** The month's issues of every category together. */
export const issueTotals = (rows: MonthIssues[]): Omit<MonthIssues, 'category'> =>
  rows.reduce(
    (s, r) => ({
      carried: s.carried + r.carried,
      raised: s.raised + r.raised,
      closed: s.closed + r.closed,
      unclosed: s.unclosed + r.unclosed,
    }),
    { carried: 0, raised: 0, closed: 0, unclosed: 0 },
  );

const monthName = (d: MonthlyData) => `${Number(d.month.slice(5, 7))}月`;

/** 一、总体情况: the summary and the month-end figures against the month before's end. */
export function monthOverview(d: MonthlyData): string {
  const e = (m: string, k: Kind = 'count') => formatValue(v(d.end, m), k);
  const all = issueTotals(d.issues);
  const summary =
    `${d.month.slice(0, 4)}年${monthName(d)}，${d.area}开展督导检查${e('inspections.month')}次，` +
    `覆盖学校${e('coverage.schools.covered')}所（覆盖率${e('coverage.schools.rate', 'rate')}）、` +
    `校外培训机构${e('coverage.institutions.covered')}家（覆盖率${e('coverage.institutions.rate', 'rate')}）；` +
    `新发现问题${all.raised}个，整改销号${all.closed}个，当月销号率${formatValue(closureRate(all), 'rate')}。` +
    `截至月末，未销号问题${all.unclosed}个，其中待整改${e('issues.open')}个、待复查${e('issues.submitted')}个，` +
    `逾期未整改${e('issues.overdue')}个。`;
  const headline: [metric: string, name: string, kind: Kind][] = [
    ['inspections.month', '本月督导检查（次）', 'count'],
    ['coverage.schools.rate', '学校覆盖率', 'rate'],
    ['coverage.institutions.rate', '校外培训机构覆盖率', 'rate'],
    ['issues.open', '月末待整改问题（个）', 'count'],
    ['issues.submitted', '月末待复查问题（个）', 'count'],
    ['issues.overdue', '月末逾期未整改问题（个）', 'count'],
    ['issues.rectificationRate', '累计整改销号率', 'rate'],
    ['complaints.open', '月末待办结举报（件）', 'count'],
    ['institutions.subject.reductionRate', '学科类机构压减率', 'rate'],
  ];
  return `<h2>一、总体情况</h2>${para(summary)}
${table(
  [
    { head: '指标', cell: ([, name]) => name },
    { head: '本月', cell: ([m, , k]) => formatValue(v(d.end, m), k), num: true },
    { head: '较上月', cell: ([m, , k]) => formatChange(v(d.end, m), v(d.prevEnd, m), k) },
  ],
  headline,
)}`;
}

/** 二、督导覆盖情况: per district, schools and institutions visited at least once in the month. */
export function monthCoverage(d: MonthlyData, fig: FigureCounter): string {
  const rows = d.districts.map((x) => ({ name: x.name, values: d.byDistrict.get(x.adcode) ?? {} }));
  const columns: [string, string, Kind][] = [
    ['本月督导', 'inspections.month', 'count'],
    ['覆盖学校', 'coverage.schools.covered', 'count'],
    ['学校总数', 'coverage.schools.total', 'count'],
    ['学校覆盖率', 'coverage.schools.rate', 'rate'],
    ['覆盖机构', 'coverage.institutions.covered', 'count'],
    ['机构总数', 'coverage.institutions.total', 'count'],
    ['机构覆盖率', 'coverage.institutions.rate', 'rate'],
  ];
  return `<h2>二、督导覆盖情况</h2>
${table(
  [
    { head: '区县', cell: (r: (typeof rows)[number]) => escapeHtml(r.name) },
    ...columns.map(([head, m, k]) => ({
      head,
      cell: (r: (typeof rows)[number]) => formatValue(v(r.values, m) ?? 0, k),
      num: true,
    })),
  ],
  rows,
  [d.area, ...columns.map(([, m, k]) => formatValue(v(d.end, m) ?? 0, k))],
)}
${figure(districtChart(rows), fig.next(), `各区县${monthName(d)}督导次数与学校覆盖率`)}`;
}

/** 三、问题发现与整改销号: per category, carried in, raised, closed, the rate, left at month end. */
export function monthIssues(d: MonthlyData, fig: FigureCounter): string {
  const all = issueTotals(d.issues);
  if (all.carried + all.raised === 0)
    return `<h2>三、问题发现与整改销号</h2><p>${monthName(d)}${d.area}无新发现问题，亦无待销号问题。</p>`;
  const overdue = new Map<string, number>();
  for (const i of d.facts.overdue) overdue.set(i.category, (overdue.get(i.category) ?? 0) + 1);
  const count = (n: number) => formatValue(n, 'count');
  const rows = d.issues.map((r) => ({ ...r, name: labelOf(CATEGORY_ZH, r.category) }));
  const chart = renderSvg(categoryOption(rows), Math.max(140, 60 + rows.length * 30));
  return `<h2>三、问题发现与整改销号</h2>
${para(
  `${monthName(d)}${d.area}新发现问题${all.raised}个，月初未销号问题${all.carried}个，`,
  `本月整改销号${all.closed}个，当月销号率${formatValue(closureRate(all), 'rate')}（销号数÷（月初未销号数＋新发现数））；`,
  `月末未销号${all.unclosed}个，其中逾期未整改${d.facts.overdue.length}个。`,
)}
${table(
  [
    { head: '问题类别', cell: (r: (typeof rows)[number]) => r.name },
    { head: '月初未销号', cell: (r) => count(r.carried), num: true },
    { head: '本月新发现', cell: (r) => count(r.raised), num: true },
    { head: '本月销号', cell: (r) => count(r.closed), num: true },
    { head: '销号率', cell: (r) => formatValue(closureRate(r), 'rate'), num: true },
    { head: '月末未销号', cell: (r) => count(r.unclosed), num: true },
    { head: '月末逾期', cell: (r) => count(overdue.get(r.category) ?? 0), num: true },
  ],
  rows,
  [
    '合计',
    ...[all.carried, all.raised, all.closed].map(count),
    formatValue(closureRate(all), 'rate'),
    count(all.unclosed),
    count(d.facts.overdue.length),
  ],
)}
${figure(chart, fig.next(), `${monthName(d)}各类问题发现与销号`)}`;
}

/** 四、逾期未整改问题 (at the month's end) */
export const monthOverdue = (d: MonthlyData, fig: FigureCounter): string =>
  overdueSection(d, '四、逾期未整改问题', '截至月末', d.facts.overdue.length > 0 ? fig.next() : 0);

/** 五、督导计划进展: the plans running in the month, counted up to its end (SPEC §14). */
export function monthPlans(d: MonthlyData): string {
  if (d.plans.length === 0) return `<h2>五、督导计划进展</h2><p>${monthName(d)}无实施中的督导计划。</p>`;
  const p = planProgress(d.plans, d.districts, d.lastDay);
  return `<h2>五、督导计划进展</h2>
${para(`${monthName(d)}实施的督导计划${p.count}，以下为截至月末的进展。`, p.lagging)}
${p.table}`;
}

/** 六、群众举报办理 */
export function monthComplaints(d: MonthlyData): string {
  const { complaintChannels, complaintCategories, complaintsResolved } = d.facts;
  const received = complaintChannels.reduce((n, c) => n + c.month, 0);
  const rows = [
    ...complaintChannels.map((c) => ['受理渠道', labelOf(COMPLAINT_CHANNEL_ZH, c.key), c.month] as const),
    ...complaintCategories.map((c) => ['反映问题', labelOf(CATEGORY_ZH, c.key), c.month] as const),
  ];
  return `<h2>六、群众举报办理</h2>
${para(
  `${monthName(d)}受理群众举报${received}件、办结${complaintsResolved.month}件；`,
  `截至月末待办结${formatValue(v(d.end, 'complaints.open') ?? 0, 'count')}件。`,
)}
${
  rows.length === 0
    ? ''
    : table(
        [
          { head: '分类', cell: (r: (typeof rows)[number]) => r[0] },
          { head: '项目', cell: (r) => r[1] },
          { head: '本月（件）', cell: (r) => String(r[2]), num: true },
        ],
        rows,
      )
}`;
}

/** 七、校外培训机构治理: institutions inspected in the month, actions taken, the subject ones reduced. */
export function monthInstitutions(d: MonthlyData): string {
  const e = (m: string, k: Kind = 'count') => formatValue(v(d.end, m) ?? 0, k);
  const byAction = new Map(d.facts.actions.map((a) => [a.key, a.month]));
  const total = d.facts.actions.reduce((n, a) => n + a.month, 0);
  const fines = d.facts.finesYuanMonth > 0 ? `，罚款${formatValue(d.facts.finesYuanMonth, 'count')}元` : '';
  return `<h2>七、校外培训机构治理</h2>
${para(
  `${monthName(d)}督导检查校外培训机构${e('coverage.institutions.covered')}家（共${e('coverage.institutions.total')}家），`,
  `依法处置${total}起${fines}。学科类机构基数${e('institutions.subject.baseline')}家，`,
  `已压减${e('institutions.subject.closed')}家，压减率${e('institutions.subject.reductionRate', 'rate')}。`,
)}
${table(
  [
    { head: '处置方式', cell: (a: string) => labelOf(INSTITUTION_ACTION_FORMAL_ZH, a) },
    { head: '本月（起）', cell: (a) => String(byAction.get(a) ?? 0), num: true },
  ],
  [...INSTITUTION_ACTIONS],
)}`;
}

/** 附：本月每日走势 */
export const monthTrend = (d: MonthlyData, fig: FigureCounter): string =>
  `<h2>附：本月每日主要指标走势</h2>${trendFigure(d.trend, fig.next(), `${d.area}${monthName(d)}每日主要指标走势`)}`;
