import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { colors } from '../theme/tokens.ts';

export const actionsExtensions = [BarChart, GridComponent, TooltipComponent, CanvasRenderer];

/** Severe actions in warmer colours: closure and suspension are the reduction itself. */
const ACTION_COLORS: Record<string, string> = {
  warning: colors.cyan,
  rectification_order: colors.blue,
  fine: colors.amber,
  suspension: colors.violet,
  closure: colors.red,
};

export interface ActionsInput {
  counts: Record<string, number> | null;
  order: readonly string[];
  label: (key: string) => string;
}

export function buildActionsOption(d: ActionsInput): EChartsCoreOption {
  return {
    grid: { left: 4, right: 4, top: 22, bottom: 4 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'category',
      data: d.order.map(d.label),
      axisLabel: { color: colors.textDim, fontSize: 12, interval: 0 },
    },
    yAxis: { type: 'value', show: false, max: (v: { max: number }) => Math.max(1, v.max) },
    series: [
      {
        id: 'actions',
        type: 'bar',
        barWidth: '46%',
        data: d.order.map((k) => ({
          value: d.counts?.[k] ?? 0,
          itemStyle: { color: ACTION_COLORS[k] ?? colors.cyan, borderRadius: [3, 3, 0, 0] },
        })),
        label: {
          show: true,
          position: 'top',
          color: colors.text,
          fontFamily: 'monospace',
          formatter: (p: { value: number }) => (d.counts ? String(p.value) : '—'),
        },
      },
    ],
  };
}
