import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { categoryPalette, colors } from '../theme/tokens.ts';

export const categoryExtensions = [BarChart, GridComponent, TooltipComponent, CanvasRenderer];

export interface CategoryInput {
  /** category key → raised count; null before data */
  counts: Record<string, number> | null;
  /** category keys in their canonical order (fixes each one's colour) */
  order: readonly string[];
  label: (key: string) => string;
}

export function buildCategoryOption(d: CategoryInput): EChartsCoreOption {
  const rows = d.order
    .map((key, i) => ({
      key,
      value: d.counts?.[key] ?? 0,
      color: categoryPalette[i % categoryPalette.length]!,
    }))
    .sort((a, b) => b.value - a.value || d.order.indexOf(a.key) - d.order.indexOf(b.key));
  return {
    grid: { left: 8, right: 48, top: 4, bottom: 4 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', show: false, max: Math.max(1, ...rows.map((r) => r.value)) },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => d.label(r.key)),
      axisLabel: { color: colors.text, fontSize: 13 },
      axisLine: { show: false },
    },
    series: [
      {
        id: 'categories',
        type: 'bar',
        barWidth: '56%',
        showBackground: true,
        backgroundStyle: { color: 'rgba(58, 212, 255, 0.05)' },
        data: rows.map((r) => ({
          value: r.value,
          itemStyle: { color: r.color, borderRadius: [0, 3, 3, 0] },
        })),
        label: {
          show: true,
          position: 'right',
          color: colors.text,
          fontFamily: 'monospace',
          formatter: (p: { value: number }) => (d.counts ? String(p.value) : '—'),
        },
      },
    ],
  };
}
