import { FunnelChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { colors } from '../theme/tokens.ts';

export const funnelExtensions = [FunnelChart, TooltipComponent, CanvasRenderer];

export interface FunnelInput {
  /** null before the first snapshot */
  issues: { raised: number; submitted: number; closed: number } | null;
  labels: { raised: string; rectified: string; closed: string };
}

/** 发现 → 已整改 (submitted or beyond) → 已销号; widths relative to raised. */
export function buildFunnelOption(d: FunnelInput): EChartsCoreOption {
  const i = d.issues;
  const stages = [
    { key: 'raised', name: d.labels.raised, value: i ? i.raised : 0, color: colors.cyan },
    { key: 'rectified', name: d.labels.rectified, value: i ? i.submitted + i.closed : 0, color: colors.blue },
    { key: 'closed', name: d.labels.closed, value: i ? i.closed : 0, color: colors.green },
  ];
  const max = Math.max(1, stages[0]!.value);
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number }) => `${p.name}：${i ? p.value : '—'}`,
    },
    series: [
      {
        id: 'loop',
        type: 'funnel',
        left: 8,
        right: 8,
        top: 8,
        bottom: 8,
        min: 0,
        max,
        minSize: '28%',
        maxSize: '100%',
        sort: 'none',
        gap: 4,
        funnelAlign: 'center',
        data: stages.map((s) => ({
          name: s.name,
          value: s.value,
          itemStyle: { color: s.color, opacity: 0.85, borderWidth: 0 },
        })),
        label: {
          show: true,
          position: 'inside',
          color: colors.bgDeep,
          fontSize: 15,
          fontWeight: 'bold',
          formatter: (p: { name: string; value: number }) =>
            `${p.name}  ${i ? p.value.toLocaleString() : '—'}`,
        },
        labelLine: { show: false },
      },
    ],
  };
}
