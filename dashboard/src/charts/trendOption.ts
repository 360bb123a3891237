import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import type { TrendsResponse } from '@dudao/domain';
import { colors } from '../theme/tokens.ts';

export const trendExtensions = [LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer];

/** Which daily series we draw, in the service's names (first match wins), and their colours. */
export const TREND_LINES = [
  { key: 'inspections', names: ['inspections.today'], color: colors.cyan },
  { key: 'open', names: ['issues.open'], color: colors.amber },
  { key: 'overdue', names: ['issues.overdue'], color: colors.red },
  { key: 'complaints', names: ['complaints.open'], color: colors.violet },
] as const;

export interface TrendLine {
  key: string;
  color: string;
  data: (number | null)[];
}

/** Picks the lines the service provides; none while it has fewer than two days with data. */
export function trendLines(t: TrendsResponse | null): { days: string[]; lines: TrendLine[] } {
  if (!t || t.days.length < 2) return { days: [], lines: [] };
  const lines: TrendLine[] = [];
  for (const l of TREND_LINES) {
    const name = l.names.find((n) => Array.isArray(t.series[n]));
    if (name) lines.push({ key: l.key, color: l.color, data: t.series[name]! });
  }
  const daysWithData = t.days.filter((_, i) =>
    lines.some((l) => l.data[i] !== null && l.data[i] !== undefined),
  );
  return daysWithData.length >= 2 ? { days: t.days, lines } : { days: [], lines: [] };
}

export function buildTrendOption(
  t: TrendsResponse | null,
  label: (key: string) => string,
  opts: { compact?: boolean } = {},
): EChartsCoreOption {
  const { days, lines } = trendLines(t);
  return {
    grid: { left: 4, right: 12, top: opts.compact ? 28 : 36, bottom: 4 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 8, data: lines.map((l) => label(l.key)) },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: days.map((d) => d.slice(5)),
      axisLabel: { color: colors.textDim },
    },
    yAxis: { type: 'value', minInterval: 1, splitNumber: 3 },
    series: lines.map((l) => ({
      id: `trend-${l.key}`,
      name: label(l.key),
      type: 'line',
      smooth: true,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 2, color: l.color },
      itemStyle: { color: l.color },
      areaStyle: l.key === 'inspections' ? { color: 'rgba(58, 212, 255, 0.12)' } : undefined,
      data: l.data,
    })),
  };
}
