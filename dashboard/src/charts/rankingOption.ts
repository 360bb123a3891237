import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { colors } from '../theme/tokens.ts';
import type { DistrictValue } from '../lib/mapMetrics.ts';

export const rankingExtensions = [BarChart, GridComponent, TooltipComponent, CanvasRenderer];

export interface RankingInput {
  /** best first */
  ranked: DistrictValue[];
  rate: boolean;
  /** a value's colour on the wall's scale (the map's), so a district's bar is its area's colour */
  colorOf: ((v: number) => string) | null;
  format: (v: number) => string;
  hasData: boolean;
  /** a vertical line where the metric's target lies, labelled (null: no target) */
  target?: { value: number; label: string } | null;
  /** many rows (the 责任区): smaller type */
  compact?: boolean;
}

/** Room above the bars for the target line's label. */
const TARGET_LABEL_PX = 22;

export function buildRankingOption(d: RankingInput): EChartsCoreOption {
  // the category axis draws bottom-up: reverse so the best sits on top
  const rows = [...d.ranked].reverse();
  const max = d.rate ? 1 : Math.max(1, d.target?.value ?? 0, ...rows.map((r) => r.value));
  const fontSize = d.compact ? 12 : 14;
  const target = d.hasData ? (d.target ?? null) : null;
  return {
    grid: { left: 8, right: 64, top: target ? TARGET_LABEL_PX : 4, bottom: 4 },
    xAxis: { type: 'value', max, show: false },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisLabel: { color: colors.text, fontSize },
      axisLine: { show: false },
    },
    series: [
      {
        id: 'rank',
        type: 'bar',
        barWidth: '52%',
        showBackground: true,
        backgroundStyle: { color: 'rgba(58, 212, 255, 0.06)' },
        data: rows.map((r) => ({
          value: d.hasData ? r.value : 0,
          adcode: r.adcode,
          itemStyle: { color: d.hasData && d.colorOf ? d.colorOf(r.value) : colors.panelSolid },
        })),
        // a faint edge: the weakest district's bar is the ramp's darkest, close to the ground
        itemStyle: { borderRadius: [0, 3, 3, 0], borderColor: 'rgba(230, 241, 255, 0.3)', borderWidth: 1 },
        label: {
          show: true,
          position: 'right',
          color: colors.text,
          fontFamily: 'monospace',
          fontSize,
          formatter: (p: { value: number }) => (d.hasData ? d.format(p.value) : '—'),
        },
        // always present, so a merge removes the line when the metric has no target
        markLine: {
          silent: true,
          symbol: 'none',
          animation: false,
          lineStyle: { color: colors.amber, type: 'dashed', width: 2 },
          label: {
            show: true,
            position: 'end',
            color: colors.amber,
            fontSize: 13,
            formatter: target?.label ?? '',
          },
          data: target ? [{ xAxis: target.value }] : [],
        },
      },
    ],
  };
}
