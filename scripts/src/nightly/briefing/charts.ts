/**
 * The briefing's charts, rendered on the server by ECharts SSR to SVG strings that are inlined in
 * the HTML: no script, no canvas, nothing fetched, and vector output that prints sharply. Option
 * builders are pure functions of the briefing's data; `renderSvg` draws one.
 */
import { labelOf, THEME_FORMAL_ZH } from '@dudao/domain';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import type { OverdueIssue, ThemeProgress } from '@dudao/db';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

/** A4 portrait's text width at 96 dpi (210 mm − 2 × 18 mm margins ≈ 658 px). */
export const CHART_WIDTH_PX = 640;
export const CHART_HEIGHT_PX = 250;
/** Serif CJK first: an official report is set in Song/FangSong, not in a UI sans. */
export const REPORT_FONT =
  '"FangSong", "STFangsong", "Songti SC", "SimSun", "Noto Serif CJK SC", "Noto Sans CJK SC", serif';
/** Sober print colours: ink blue, official red, amber, grey-green. */
export const INK = { blue: '#1f3a68', red: '#b5121b', amber: '#b86e00', green: '#4f7a5a', grey: '#8c8c8c' };
const MS_PER_DAY = 86_400_000;
/** Overdue ages in days: upper bound (inclusive) and label. */
export const AGE_BUCKETS: [maxDays: number, label: string][] = [
  [3, '3天以内'],
  [7, '4—7天'],
  [15, '8—15天'],
  [30, '16—30天'],
  [Infinity, '30天以上'],
];

export function renderSvg(option: EChartsCoreOption, height = CHART_HEIGHT_PX): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH_PX, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: REPORT_FONT, color: '#222' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const legend = { top: 0, right: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 12 } };
const axisLabel = { color: '#333', fontSize: 11 };

export interface TrendLine {
  name: string;
  color: string;
  data: (number | null)[];
}

export function trendOption(days: string[], lines: TrendLine[]): EChartsCoreOption {
  return {
    grid: {
      left: 8,
      right: 12,
      top: 30,
      bottom: 4,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    legend: { ...legend, data: lines.map((l) => l.name) },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: days.map((d) => `${Number(d.slice(5, 7))}/${Number(d.slice(8))}`),
      axisLabel: { ...axisLabel, interval: 4 },
    },
    yAxis: { type: 'value', minInterval: 1, splitNumber: 4, axisLabel },
    series: lines.map((l) => ({
      name: l.name,
      type: 'line',
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 1.6, color: l.color },
      itemStyle: { color: l.color },
      data: l.data,
    })),
  };
}

export interface DistrictBar {
  name: string;
  inspections: number;
  coverageRate: number;
}

export function districtOption(rows: DistrictBar[]): EChartsCoreOption {
  return {
    grid: { left: 8, right: 8, top: 30, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    legend: { ...legend, data: ['本月督导（次）', '学校覆盖率'] },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { ...axisLabel, interval: 0 } },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel },
      {
        type: 'value',
        min: 0,
        max: 100,
        axisLabel: { ...axisLabel, formatter: '{value}%' },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: '本月督导（次）',
        type: 'bar',
        barMaxWidth: 26,
        itemStyle: { color: INK.blue },
        label: { show: true, position: 'top', fontSize: 10, color: '#333' },
        data: rows.map((r) => r.inspections),
      },
      {
        name: '学校覆盖率',
        type: 'line',
        yAxisIndex: 1,
        symbolSize: 5,
        lineStyle: { color: INK.red, width: 1.5 },
        itemStyle: { color: INK.red },
        data: rows.map((r) => Math.round(r.coverageRate * 1000) / 10),
      },
    ],
  };
}

/** Whole days an issue is overdue at `endMs` (a part of a day counts as one). */
export const daysOverdue = (deadline: string, endMs: number): number =>
  Math.max(1, Math.ceil((endMs - Date.parse(deadline)) / MS_PER_DAY));

/** Overdue issues per district and age bucket: `counts[bucket][district index]`. */
export function overdueByAge(
  districts: { adcode: string }[],
  overdue: OverdueIssue[],
  endMs: number,
): number[][] {
  const counts = AGE_BUCKETS.map(() => districts.map(() => 0));
  const index = new Map(districts.map((d, i) => [d.adcode, i]));
  for (const issue of overdue) {
    const age = daysOverdue(issue.deadline, endMs);
    const bucket = AGE_BUCKETS.findIndex(([max]) => age <= max);
    const i = index.get(issue.district);
    if (i !== undefined) counts[bucket]![i]! += 1;
  }
  return counts;
}

const AGE_COLORS = ['#e8b4b0', '#d98a84', '#c65a52', '#b5121b', '#6e0b10'];

export interface BarSeries {
  name: string;
  color: string;
  data: number[];
  /** the bar's value label, when shown */
  label?: Record<string, unknown>;
}

/** Horizontal bars, one row per name; the series stack when `stack` names a stack. */
export function barRowsOption(names: string[], series: BarSeries[], stack?: string): EChartsCoreOption {
  return {
    grid: {
      left: 8,
      right: 24,
      top: 30,
      bottom: 4,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    legend: { ...legend, data: series.map((s) => s.name) },
    xAxis: { type: 'value', minInterval: 1, axisLabel },
    yAxis: { type: 'category', inverse: true, data: names, axisLabel },
    series: series.map((s) => ({
      name: s.name,
      type: 'bar',
      ...(stack === undefined ? {} : { stack }),
      barMaxWidth: 16,
      itemStyle: { color: s.color },
      ...(s.label ? { label: s.label } : {}),
      data: s.data,
    })),
  };
}

/** A value label at the bar's end. */
const endLabel = (formatter?: (p: { dataIndex: number }) => string) => ({
  show: true,
  position: 'right',
  fontSize: 10,
  color: '#333',
  ...(formatter ? { formatter } : {}),
});

export function overdueOption(names: string[], counts: number[][]): EChartsCoreOption {
  return barRowsOption(
    names,
    AGE_BUCKETS.map(([, l], b) => ({ name: l, color: AGE_COLORS[b]!, data: counts[b]! })),
    'age',
  );
}

export function themeOption(themes: ThemeProgress[]): EChartsCoreOption {
  return barRowsOption(
    themes.map((t) => labelOf(THEME_FORMAL_ZH, t.theme)),
    [
      { name: '已完成', color: INK.blue, data: themes.map((t) => t.completed) },
      {
        name: '进行中',
        color: INK.amber,
        label: endLabel((p) => String(themes[p.dataIndex]?.started ?? '')),
        data: themes.map((t) => t.started - t.completed),
      },
    ],
    'theme',
  );
}

/** The 月报's issues per category: raised in the month beside closed (销号) in it. */
export function categoryOption(rows: { name: string; raised: number; closed: number }[]): EChartsCoreOption {
  return barRowsOption(
    rows.map((r) => r.name),
    [
      { name: '本月新发现', color: INK.amber, label: endLabel(), data: rows.map((r) => r.raised) },
      { name: '本月销号', color: INK.green, label: endLabel(), data: rows.map((r) => r.closed) },
    ],
  );
}
