import { GaugeChart } from 'echarts/charts';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { colors } from '../theme/tokens.ts';

export const indicatorsExtensions = [GaugeChart, CanvasRenderer];

export interface Indicator {
  id: string;
  label: string;
  /** 0..1, null when undefined ("—") */
  value: number | null;
}

/** A ratio's colour: green when met, amber when lagging, red when far off. */
export function indicatorColor(v: number | null): string {
  if (v === null) return colors.textMute;
  if (v >= 0.9) return colors.green;
  if (v >= 0.7) return colors.amber;
  return colors.red;
}

export function buildIndicatorsOption(items: Indicator[]): EChartsCoreOption {
  const n = Math.max(1, items.length);
  return {
    series: items.map((it, i) => ({
      id: `ring-${it.id}`,
      type: 'gauge',
      center: [`${((i + 0.5) / n) * 100}%`, '42%'],
      radius: '64%',
      startAngle: 90,
      endAngle: -270,
      min: 0,
      max: 1,
      pointer: { show: false },
      // always shown: toggling `progress.show` on a live gauge breaks ECharts' update
      progress: {
        show: true,
        roundCap: true,
        width: 10,
        itemStyle: { color: it.value === null ? 'transparent' : indicatorColor(it.value) },
      },
      axisLine: { lineStyle: { width: 10, color: [[1, 'rgba(58, 212, 255, 0.12)']] } },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { show: false },
      anchor: { show: false },
      title: { show: true, offsetCenter: [0, '142%'], color: colors.textDim, fontSize: 14 },
      detail: {
        offsetCenter: [0, 0],
        fontSize: 19,
        fontWeight: 'bold',
        fontFamily: 'monospace',
        color: it.value === null ? colors.textMute : colors.text,
        formatter: () => (it.value === null ? '—' : `${(it.value * 100).toFixed(1)}%`),
      },
      data: [{ name: it.label, value: it.value ?? 0 }],
    })),
  };
}
