import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { colors } from '../theme/tokens.ts';

export const hourlyExtensions = [BarChart, GridComponent, TooltipComponent, CanvasRenderer];

export interface HourlyInput {
  /** 24 numbers, null before data */
  hourly: number[] | null;
  /** the city's current hour, highlighted; later hours are still to come */
  currentHour: number;
}

export function buildHourlyOption(d: HourlyInput): EChartsCoreOption {
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return {
    grid: { left: 4, right: 8, top: 16, bottom: 4 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: hours.map((h) => String(h).padStart(2, '0')),
      axisLabel: { interval: 2, color: colors.textDim },
    },
    yAxis: { type: 'value', minInterval: 1, splitNumber: 3 },
    series: [
      {
        id: 'hourly',
        type: 'bar',
        barWidth: '60%',
        data: hours.map((h) => ({
          value: d.hourly ? (d.hourly[h] ?? 0) : 0,
          itemStyle: {
            color:
              h === d.currentHour
                ? colors.amber
                : h < d.currentHour
                  ? colors.cyan
                  : 'rgba(58, 212, 255, 0.25)',
            borderRadius: [2, 2, 0, 0],
          },
        })),
      },
    ],
  };
}
