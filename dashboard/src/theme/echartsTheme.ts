/** The ECharts theme built from the tokens, registered once as `dudao`. */
import { colors, fonts, sizes } from './tokens.ts';

export const ECHARTS_THEME_NAME = 'dudao';

export const echartsTheme = {
  color: [colors.cyan, colors.green, colors.amber, colors.red, colors.violet, colors.blue],
  backgroundColor: 'transparent',
  textStyle: { fontFamily: fonts.sans, color: colors.textDim, fontSize: sizes.fontAxisPx },
  categoryAxis: {
    axisLine: { lineStyle: { color: colors.grid } },
    axisTick: { show: false },
    axisLabel: { color: colors.textDim },
    splitLine: { show: false },
  },
  valueAxis: {
    axisLine: { show: false },
    axisLabel: { color: colors.textMute },
    splitLine: { lineStyle: { color: colors.grid } },
  },
  tooltip: {
    backgroundColor: 'rgba(5, 18, 43, 0.92)',
    borderColor: colors.borderStrong,
    textStyle: { color: colors.text, fontFamily: fonts.sans },
  },
  legend: { textStyle: { color: colors.textDim } },
};
