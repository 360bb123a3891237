/** The briefing's numbered sections (一、二、…), each a piece of HTML built from the day's data. */
import {
  CATEGORY_ZH,
  COMPLAINT_CHANNEL_ZH,
  INSTITUTION_ACTION_FORMAL_ZH,
  INSTITUTION_ACTIONS,
  labelOf,
  localTime,
  planRate,
  planView,
  SEVERITY_ZH,
  THEME_FORMAL_ZH,
  type PlanTally,
  type PlanView,
} from '@dudao/domain';
import {
  daysOverdue,
  districtOption,
  INK,
  overdueByAge,
  overdueOption,
  renderSvg,
  themeOption,
  trendOption,
} from './charts.ts';
import type { BriefingData, Values } from './data.ts';
import {
  chineseDate,
  escapeHtml,
  figure,
  formatChange,
  formatValue,
  para,
  table,
  type Kind,
} from './format.ts';

/** The longest-overdue issues listed by name; the chart counts them all. */
const OVERDUE_LISTED = 15;

export const v = (values: Values | null | undefined, metric: string) => values?.[metric];

/** 一、总体情况: the summary and the headline figures against the day before and a month before. */
export function overview(d: BriefingData): string {
  const { today, prevDay, prevMonth, prevMonthDay } = d.cityValues;
  const t = (m: string, k: Kind = 'count') => formatValue(v(today, m), k);
  const added = (m: string) =>
    prevDay ? formatValue((v(today, m) ?? 0) - (v(prevDay, m) ?? 0), 'count') : null;
  const news =
    prevDay !== null
      ? `当日新发现问题${added('issues.raised')}个，整改销号${added('issues.closed')}个。`
      : '';
  const summary =
    `${chineseDate(d.day)}，${d.area}开展督导检查${t('inspections.today')}次（较上日` +
    `${formatChange(v(today, 'inspections.today'), v(prevDay, 'inspections.today'), 'count')}），` +
    `本月累计${t('inspections.month')}次，覆盖学校${t('coverage.schools.covered')}所，` +
    `学校覆盖率${t('coverage.schools.rate', 'rate')}。${news}截至当日24时，${d.area}待整改问题` +
    `${t('issues.open')}个、待复查${t('issues.submitted')}个，其中逾期未整改${t('issues.overdue')}个；` +
    `累计发现问题${t('issues.raised')}个，整改销号率${t('issues.rectificationRate', 'rate')}。`;
  const headline: [metric: string, name: string, kind: Kind][] = [
    ['inspections.today', '当日督导检查（次）', 'count'],
    ['inspections.month', '本月累计督导（次）', 'count'],
    ['coverage.schools.rate', '本月学校覆盖率', 'rate'],
    ['issues.open', '待整改问题（个）', 'count'],
    ['issues.submitted', '待复查问题（个）', 'count'],
    ['issues.overdue', '逾期未整改问题（个）', 'count'],
    ['issues.rectificationRate', '问题整改销号率', 'rate'],
    ['complaints.open', '待办结举报（件）', 'count'],
    ['institutions.subject.reductionRate', '学科类机构压减率', 'rate'],
    ['reports.afterSchoolCoverage', '课后服务覆盖率', 'rate'],
  ];
  const prevLabel = `较上月同期（${Number(prevMonthDay.slice(5, 7))}月${Number(prevMonthDay.slice(8))}日）`;
  return `<h2>一、总体情况</h2>${para(summary)}
${table(
  [
    { head: '指标', cell: ([, name]) => name },
    { head: '当日', cell: ([m, , k]) => formatValue(v(today, m), k), num: true },
    { head: '较上日', cell: ([m, , k]) => formatChange(v(today, m), v(prevDay, m), k) },
    { head: prevLabel, cell: ([m, , k]) => formatChange(v(today, m), v(prevMonth, m), k) },
  ],
  headline,
)}`;
}

/** Each district's inspections in the month with its school coverage, from its rollups. */
export const districtChart = (rows: { name: string; values: Values }[]): string =>
  renderSvg(
    districtOption(
      rows.map((r) => ({
        name: r.name,
        inspections: v(r.values, 'inspections.month') ?? 0,
        coverageRate: v(r.values, 'coverage.schools.rate') ?? 0,
      })),
    ),
  );

/** 二、各区县督导情况 */
export function districts(d: BriefingData): string {
  const rows = d.districts.map((x) => ({ ...x, values: d.byDistrict.get(x.adcode) ?? {} }));
  const cell =
    (m: string, k: Kind = 'count') =>
    (r: { values: Values }) =>
      formatValue(v(r.values, m), k);
  const city = d.cityValues.today;
  const columns: [string, string, Kind][] = [
    ['当日督导', 'inspections.today', 'count'],
    ['本月督导', 'inspections.month', 'count'],
    ['学校覆盖率', 'coverage.schools.rate', 'rate'],
    ['待整改', 'issues.open', 'count'],
    ['逾期', 'issues.overdue', 'count'],
    ['销号率', 'issues.rectificationRate', 'rate'],
    ['待办举报', 'complaints.open', 'count'],
  ];
  const chart = districtChart(rows);
  return `<h2>二、各区县督导情况</h2>
${table(
  [
    { head: '区县', cell: (r) => escapeHtml(r.name) },
    ...columns.map(([head, m, k]) => ({ head, cell: cell(m, k), num: true })),
  ],
  rows,
  [d.area, ...columns.map(([, m, k]) => formatValue(v(city, m), k))],
)}
${figure(chart, 1, '各区县本月督导次数与学校覆盖率')}`;
}

/** What the overdue section reads: a day's briefing or a month's report. */
export type OverdueInput = Pick<BriefingData, 'facts' | 'districts' | 'endMs' | 'area' | 'city'>;

/**
 * The overdue issues at `endMs` by district and age, the longest-overdue by name, under `heading`;
 * `asOf` says when (截至当日24时, 截至月末), `fig` is the chart's number.
 */
export function overdueSection(d: OverdueInput, heading: string, asOf: string, fig: number): string {
  const issues = d.facts.overdue;
  if (issues.length === 0) return `<h2>${heading}</h2><p>${asOf}，${d.area}无逾期未整改问题。</p>`;
  const counts = overdueByAge(d.districts, issues, d.endMs);
  const withAny = d.districts.map((x, i) => ({ x, i })).filter(({ i }) => counts.some((c) => c[i]! > 0));
  const chart = renderSvg(
    overdueOption(
      withAny.map(({ x }) => x.name),
      counts.map((c) => withAny.map(({ i }) => c[i]!)),
    ),
    Math.max(140, 60 + withAny.length * 26),
  );
  const oldest = issues.slice(0, OVERDUE_LISTED);
  const name = (adcode: string) => d.districts.find((x) => x.adcode === adcode)?.name ?? adcode;
  const over30 = issues.filter((i) => daysOverdue(i.deadline, d.endMs) > 30).length;
  return `<h2>${heading}</h2>
${para(
  `${asOf}，${d.area}逾期未整改问题${issues.length}个，涉及${withAny.length}个区县，其中逾期30天以上${over30}个。`,
  '请相关区县督促责任学校（机构）限期整改到位，逾期问题纳入督导问责。',
)}
${figure(chart, fig, '各区县逾期未整改问题（按逾期时长）')}
${table(
  [
    { head: '序号', cell: (r) => String(oldest.indexOf(r) + 1) },
    { head: '区县', cell: (r) => escapeHtml(name(r.district)) },
    { head: '整改对象', cell: (r) => escapeHtml(r.targetName) },
    { head: '问题类别', cell: (r) => labelOf(CATEGORY_ZH, r.category) },
    { head: '严重程度', cell: (r) => labelOf(SEVERITY_ZH, r.severity) },
    { head: '整改期限', cell: (r) => localTime(Date.parse(r.deadline), d.city.timezone).day },
    { head: '逾期天数', cell: (r) => String(daysOverdue(r.deadline, d.endMs)), num: true },
  ],
  oldest,
)}${issues.length > OVERDUE_LISTED ? `<p class="note">（仅列逾期时间最长的${OVERDUE_LISTED}个问题）</p>` : ''}`;
}

/** 三、问题整改与逾期情况: overdue issues by district and age, the longest-overdue by name. */
export const overdue = (d: BriefingData): string =>
  overdueSection(d, '三、问题整改与逾期情况', '截至当日24时', 2);

/** 四、本月主题督导进展 */
export function themes(d: BriefingData): string {
  const list = d.facts.themes;
  const month = `${Number(d.day.slice(5, 7))}月`;
  if (list.length === 0) return `<h2>四、本月主题督导进展</h2><p>${month}尚无督导检查记录。</p>`;
  const top = list[0]!;
  const total = list.reduce((n, t) => n + t.started, 0);
  return `<h2>四、本月主题督导进展</h2>
${para(
  `按照“一月一主题”安排，${month}以来${d.area}共开展督导检查${total}次，`,
  `其中${labelOf(THEME_FORMAL_ZH, top.theme)}主题${top.started}次，占${formatValue(top.started / total, 'rate')}，`,
  `已完成${top.completed}次，覆盖学校（机构）${top.targets}所。`,
)}
${figure(renderSvg(themeOption(list), Math.max(140, 60 + list.length * 24)), 3, `${month}督导主题进展`)}`;
}

/** 五、校外培训机构治理 */
export function institutions(d: BriefingData): string {
  const t = d.cityValues.today;
  const byAction = new Map(d.facts.actions.map((a) => [a.key, a]));
  const dayTotal = d.facts.actions.reduce((n, a) => n + a.day, 0);
  const monthTotal = d.facts.actions.reduce((n, a) => n + a.month, 0);
  const fines =
    d.facts.finesYuanMonth > 0 ? `，本月罚款${formatValue(d.facts.finesYuanMonth, 'count')}元` : '';
  return `<h2>五、校外培训机构治理</h2>
${para(
  `${d.area}学科类校外培训机构基数${formatValue(v(t, 'institutions.subject.baseline'), 'count')}家，`,
  `已压减${formatValue(v(t, 'institutions.subject.closed'), 'count')}家，`,
  `压减率${formatValue(v(t, 'institutions.subject.reductionRate'), 'rate')}。`,
  `当日依法处置${dayTotal}起，本月累计${monthTotal}起${fines}。`,
)}
${table(
  [
    { head: '处置方式', cell: (a) => labelOf(INSTITUTION_ACTION_FORMAL_ZH, a) },
    { head: '当日（起）', cell: (a) => String(byAction.get(a)?.day ?? 0), num: true },
    { head: '本月累计（起）', cell: (a) => String(byAction.get(a)?.month ?? 0), num: true },
  ],
  [...INSTITUTION_ACTIONS],
)}`;
}

/** 六、群众举报办理 */
export function complaints(d: BriefingData): string {
  const { complaintChannels, complaintCategories, complaintsResolved } = d.facts;
  const received = complaintChannels.reduce((s, c) => ({ day: s.day + c.day, month: s.month + c.month }), {
    day: 0,
    month: 0,
  });
  const rows = [
    ...complaintChannels.map((c) => ({ kind: '受理渠道', name: labelOf(COMPLAINT_CHANNEL_ZH, c.key), ...c })),
    ...complaintCategories.map((c) => ({ kind: '反映问题', name: labelOf(CATEGORY_ZH, c.key), ...c })),
  ];
  return `<h2>六、群众举报办理</h2>
${para(
  `当日受理群众举报${received.day}件、办结${complaintsResolved.day}件；`,
  `本月累计受理${received.month}件、办结${complaintsResolved.month}件；`,
  `截至当日24时待办结${formatValue(v(d.cityValues.today, 'complaints.open'), 'count')}件。`,
)}
${
  rows.length === 0
    ? ''
    : table(
        [
          { head: '分类', cell: (r) => r.kind },
          { head: '项目', cell: (r) => r.name },
          { head: '当日（件）', cell: (r) => String(r.day), num: true },
          { head: '本月累计（件）', cell: (r) => String(r.month), num: true },
        ],
        rows,
      )
}`;
}

/**
 * The plans' progress as of the end of `day` (SPEC §14): how many of each kind, the sentence naming
 * each city-wide plan's lagging district, and the table of targets visited and issues closed.
 */
export function planProgress(
  tallies: PlanTally[],
  districts: { adcode: string; name: string }[],
  day: string,
): { count: string; lagging: string; table: string } {
  const name = (adcode: string) => districts.find((x) => x.adcode === adcode)?.name ?? adcode;
  const views = tallies.map((t) => planView(t, 'city', day, name));
  const lagging = views
    .filter((p) => p.districts && p.progress.targets > 0)
    .map((p) => {
      const worst = [...p.districts!]
        .filter((x) => x.progress.targets > 0)
        .sort((a, b) => planRate(a.progress) - planRate(b.progress))[0];
      return worst
        ? `“${escapeHtml(p.title)}”完成率最低的是${escapeHtml(worst.name)}（${formatValue(planRate(worst.progress), 'rate')}）`
        : '';
    })
    .filter((s) => s !== '');
  const phase = (p: PlanView) => p.phaseProgress?.find((ph) => ph.from <= day && day <= ph.to)?.name ?? '—';
  const ofKind = (kind: string) => views.filter((p) => p.kind === kind).length;
  return {
    count: `${views.length}项（一月一主题${ofKind('theme')}项、专项督导${ofKind('campaign')}项）`,
    lagging: lagging.length > 0 ? `${lagging.join('；')}，请加快推进。` : '',
    table: table(
      [
        { head: '计划', cell: (p) => escapeHtml(p.title) },
        { head: '范围', cell: (p) => (p.scope === 'city' ? '全市' : escapeHtml(name(p.scope))) },
        { head: '期限', cell: (p) => `${p.from}至${p.to}` },
        { head: '当前阶段', cell: phase },
        { head: '督导对象', cell: (p) => formatValue(p.progress.targets, 'count'), num: true },
        { head: '已督导', cell: (p) => formatValue(p.progress.visited, 'count'), num: true },
        { head: '完成率', cell: (p) => formatValue(planRate(p.progress), 'rate'), num: true },
        { head: '发现问题', cell: (p) => formatValue(p.progress.issuesRaised, 'count'), num: true },
        { head: '已销号', cell: (p) => formatValue(p.progress.issuesClosed, 'count'), num: true },
      ],
      views,
    ),
  };
}

/** 七、督导计划进展: each plan running on the day, its targets visited and issues closed (SPEC §14). */
export function plans(d: BriefingData): string {
  if (d.plans.length === 0) return '';
  const p = planProgress(d.plans, d.districts, d.day);
  return `<h2>七、督导计划进展</h2>
${para(`截至当日24时，正在实施的督导计划${p.count}。`, p.lagging)}
${p.table}`;
}

/** The headline series of `t` (inspections, open, overdue, open complaints) as one numbered line chart. */
export function trendFigure(
  t: { days: string[]; series: Map<string, (number | null)[]> },
  fig: number,
  caption: string,
): string {
  const line = (name: string, metric: string, color: string) => ({
    name,
    color,
    data: t.series.get(metric) ?? t.days.map(() => null),
  });
  const option = trendOption(t.days, [
    line('当日督导', 'inspections.today', INK.blue),
    line('待整改', 'issues.open', INK.amber),
    line('逾期', 'issues.overdue', INK.red),
    line('待办举报', 'complaints.open', INK.green),
  ]);
  return figure(renderSvg(option), fig, caption);
}

/** 附：近30日趋势 */
export const trend = (d: BriefingData): string =>
  `<h2>附：近30日主要指标走势</h2>${trendFigure(d.trend, 4, `${d.area}近30日主要指标走势`)}`;
