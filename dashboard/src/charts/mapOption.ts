import { EffectScatterChart, MapChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { colors, mapScale, mapScaleBad, motion } from '../theme/tokens.ts';
import type { DistrictValue } from '../lib/mapMetrics.ts';

export const mapExtensions = [
  MapChart,
  EffectScatterChart,
  GeoComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
];

export interface Ripple {
  id: string;
  coord: [number, number];
}

export interface MapOptionInput {
  mapName: string;
  districts: DistrictValue[];
  rate: boolean;
  bad: boolean;
  format: (v: number) => string;
  /** false before the first snapshot: every district shows "—" */
  hasData: boolean;
  ripples: Ripple[];
  metricLabel: string;
}

/** Where the map sits in its box; the (hidden) geo for the ripples uses the same so both align. */
const LAYOUT = { layoutCenter: ['50%', '50%'], layoutSize: '92%' } as const;

export function buildMapOption(d: MapOptionInput): EChartsCoreOption {
  const max = d.rate ? 1 : Math.max(1, ...d.districts.map((x) => x.value));
  const fmt = (v: unknown) => (d.hasData && typeof v === 'number' && Number.isFinite(v) ? d.format(v) : '—');
  return {
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { name: string; value: unknown; seriesId?: string }) =>
        p.seriesId === 'districts' ? `<b>${p.name}</b><br/>${d.metricLabel}：${fmt(p.value)}` : '',
    },
    visualMap: {
      id: 'scale',
      type: 'continuous',
      seriesIndex: 0,
      min: 0,
      max,
      left: 8,
      bottom: 8,
      itemWidth: 12,
      itemHeight: 110,
      calculable: false,
      text: [d.format(max), d.format(0)],
      textStyle: { color: colors.textDim },
      inRange: { color: [...(d.bad ? mapScaleBad : mapScale)] },
      outOfRange: { color: colors.panelSolid },
    },
    geo: {
      id: 'coords',
      map: d.mapName,
      ...LAYOUT,
      roam: false,
      silent: true,
      itemStyle: { areaColor: 'transparent', borderColor: 'transparent' },
      label: { show: false },
      emphasis: { disabled: true },
    },
    series: [
      {
        id: 'districts',
        type: 'map',
        map: d.mapName,
        ...LAYOUT,
        roam: false,
        selectedMode: false,
        data: d.districts.map((x) => ({ name: x.name, value: d.hasData ? x.value : NaN, adcode: x.adcode })),
        itemStyle: { areaColor: colors.panelSolid, borderColor: colors.borderStrong, borderWidth: 1 },
        label: {
          show: true,
          color: colors.text,
          fontSize: 14,
          lineHeight: 20,
          textBorderColor: colors.bgDeep,
          textBorderWidth: 3,
          formatter: (p: { name: string; value: unknown }) => `${p.name}\n{v|${fmt(p.value)}}`,
          rich: { v: { color: colors.text, fontSize: 17, fontWeight: 'bold', fontFamily: 'monospace' } },
        },
        emphasis: {
          label: { show: true, color: colors.bgDeep, textBorderWidth: 0 },
          itemStyle: { areaColor: colors.amber, borderColor: colors.text },
        },
      },
      {
        id: 'ripples',
        type: 'effectScatter',
        coordinateSystem: 'geo',
        geoIndex: 0,
        silent: true,
        zlevel: 1,
        symbolSize: 12,
        rippleEffect: { brushType: 'stroke', scale: 5, period: motion.rippleMs / 2000 },
        itemStyle: { color: colors.cyan, shadowBlur: 12, shadowColor: colors.cyan },
        data: d.ripples.map((r) => ({ name: r.id, value: r.coord })),
      },
    ],
  };
}
