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
  district: string;
  coord: [number, number];
}

export interface MapOptionInput {
  mapName: string;
  /** the small urban districts enlarged (null: the city needs no inset) */
  inset: { mapName: string; adcodes: Set<string> } | null;
  districts: DistrictValue[];
  rate: boolean;
  bad: boolean;
  format: (v: number) => string;
  /** false before the first snapshot: every district shows "—" */
  hasData: boolean;
  ripples: Ripple[];
  metricLabel: string;
}

/** Where the maps sit; each (hidden) geo for the ripples uses its map's layout so both align. */
const WHOLE = { layoutCenter: ['50%', '50%'], layoutSize: '94%' } as const;
const WHOLE_WITH_INSET = { layoutCenter: ['30%', '50%'], layoutSize: '94%' } as const;
const INSET = { layoutCenter: ['78%', '52%'], layoutSize: '82%' } as const;

const hiddenGeo = (id: string, map: string, layout: object) => ({
  id,
  map,
  ...layout,
  roam: false,
  silent: true,
  itemStyle: { areaColor: 'transparent', borderColor: 'transparent' },
  label: { show: false },
  emphasis: { disabled: true },
});

export function buildMapOption(d: MapOptionInput): EChartsCoreOption {
  const max = d.rate ? 1 : Math.max(1, ...d.districts.map((x) => x.value));
  const fmt = (v: unknown) => (d.hasData && typeof v === 'number' && Number.isFinite(v) ? d.format(v) : '—');
  const inInset = (adcode: string) => !!d.inset?.adcodes.has(adcode);
  const label = (fontSize: number) => ({
    show: true,
    color: colors.text,
    fontSize,
    lineHeight: fontSize + 6,
    textBorderColor: colors.bgDeep,
    textBorderWidth: 3,
    formatter: (p: { name: string; value: unknown }) => `${p.name}\n{v|${fmt(p.value)}}`,
    rich: { v: { color: colors.text, fontSize: fontSize + 3, fontWeight: 'bold', fontFamily: 'monospace' } },
  });
  const mapSeries = (id: string, map: string, layout: object, data: DistrictValue[], fontSize: number) => ({
    id,
    type: 'map',
    map,
    ...layout,
    roam: false,
    selectedMode: false,
    data: data.map((x) => ({
      name: x.name,
      value: d.hasData ? x.value : NaN,
      adcode: x.adcode,
      // enlarged in the inset: labelled there, not in the crowd
      ...(id === 'districts' && inInset(x.adcode) ? { label: { show: false } } : {}),
    })),
    itemStyle: { areaColor: colors.panelSolid, borderColor: colors.borderStrong, borderWidth: 1 },
    label: label(fontSize),
    emphasis: {
      label: { show: true, color: colors.bgDeep, textBorderWidth: 0 },
      itemStyle: { areaColor: colors.amber, borderColor: colors.text },
    },
  });
  const ripple = (id: string, geoIndex: number, list: Ripple[]) => ({
    id,
    type: 'effectScatter',
    coordinateSystem: 'geo',
    geoIndex,
    silent: true,
    zlevel: 1,
    symbolSize: 12,
    rippleEffect: { brushType: 'stroke', scale: 4, period: motion.rippleMs / 3000 },
    itemStyle: { color: colors.ripple, shadowBlur: 14, shadowColor: colors.ripple },
    data: list.map((r) => ({ name: r.id, value: r.coord })),
  });

  const wholeLayout = d.inset ? WHOLE_WITH_INSET : WHOLE;
  const series: object[] = [mapSeries('districts', d.mapName, wholeLayout, d.districts, 14)];
  const geo: object[] = [hiddenGeo('coords', d.mapName, wholeLayout)];
  if (d.inset) {
    series.push(
      mapSeries(
        'urban',
        d.inset.mapName,
        INSET,
        d.districts.filter((x) => inInset(x.adcode)),
        16,
      ),
    );
    geo.push(hiddenGeo('urban-coords', d.inset.mapName, INSET));
  }
  series.push(ripple('ripples', 0, d.inset ? d.ripples.filter((r) => !inInset(r.district)) : d.ripples));
  if (d.inset)
    series.push(
      ripple(
        'urban-ripples',
        1,
        d.ripples.filter((r) => inInset(r.district)),
      ),
    );

  return {
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { name: string; value: unknown; seriesType?: string }) =>
        p.seriesType === 'map' ? `<b>${p.name}</b><br/>${d.metricLabel}：${fmt(p.value)}` : '',
    },
    visualMap: {
      id: 'scale',
      type: 'continuous',
      seriesIndex: d.inset ? [0, 1] : 0,
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
    geo,
    series,
  };
}
