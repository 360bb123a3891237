import { EffectScatterChart, MapChart } from 'echarts/charts';
import { GeoComponent, GraphicComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { colors, fonts, mapSpotlight, motion } from '../theme/tokens.ts';
import type { DistrictValue } from '../lib/mapMetrics.ts';
import type { Projection } from '../lib/mapLayout.ts';
import type { PlacedLabel } from '../lib/labelPlacement.ts';

export const mapExtensions = [
  MapChart,
  EffectScatterChart,
  GeoComponent,
  GraphicComponent,
  TooltipComponent,
  CanvasRenderer,
];

export interface Ripple {
  id: string;
  district: string;
  coord: [number, number];
}

/** The district labels' type: the name over the value, on a dark chip. */
export const MAP_LABEL_STYLE = {
  name: { fontSize: 14, lineHeight: 18, fontFamily: fonts.sans, fontWeight: 'normal' },
  value: { fontSize: 16, lineHeight: 20, fontFamily: fonts.mono, fontWeight: 'bold' },
  padding: [2, 6] as [number, number],
} as const;

/** The canvas font string of a label line (what zrender draws with, so measuring it is exact). */
export const labelFont = (s: { fontSize: number; fontFamily: string; fontWeight: string }) =>
  `${s.fontWeight === 'bold' ? 'bold ' : ''}${s.fontSize}px ${s.fontFamily}`;

/** A label's box from its lines' measured widths. */
export function labelBoxSize(nameWidth: number, valueWidth: number): { width: number; height: number } {
  const [py, px] = MAP_LABEL_STYLE.padding;
  return {
    width: Math.ceil(Math.max(nameWidth, valueWidth)) + 2 * px,
    height: MAP_LABEL_STYLE.name.lineHeight + MAP_LABEL_STYLE.value.lineHeight + 2 * py,
  };
}

export interface MapOptionInput {
  mapName: string;
  projection: Projection;
  /** the small urban districts enlarged (null: the city needs no inset) */
  inset: { mapName: string; adcodes: Set<string>; projection: Projection } | null;
  districts: DistrictValue[];
  /** a value's colour on the scale the metric chose */
  colorOf: (v: number) => string;
  format: (v: number) => string;
  /** false before the first snapshot: every district shows "—" */
  hasData: boolean;
  /** placed labels, by adcode (none until the chart's size is known) */
  labels: PlacedLabel[];
  ripples: Ripple[];
  metricLabel: string;
  /** the tooltip's top-left corner, from the point it speaks of and its size (lib/tooltipPlacement.ts) */
  tooltipAt?: (point: [number, number], size: { width: number; height: number }) => [number, number];
}

/** The class of the tooltip's element, for tests that read its box. */
export const MAP_TOOLTIP_CLASS = 'map-tooltip';

/** ECharts fits a projected map into layoutCenter/layoutSize: given the projection's own box, it draws it there. */
const placement = (p: Projection) => ({
  projection: { project: p.project, unproject: p.unproject },
  layoutCenter: [p.rect.x + p.rect.width / 2, p.rect.y + p.rect.height / 2],
  layoutSize: Math.max(p.rect.width, p.rect.height),
});

const hiddenGeo = (id: string, map: string, p: Projection) => ({
  id,
  map,
  ...placement(p),
  roam: false,
  silent: true,
  itemStyle: { areaColor: 'transparent', borderColor: 'transparent' },
  label: { show: false },
  emphasis: { disabled: true },
});

export function buildMapOption(d: MapOptionInput): EChartsCoreOption {
  const fmt = (v: unknown) => (d.hasData && typeof v === 'number' && Number.isFinite(v) ? d.format(v) : '—');
  const inInset = (adcode: string) => !!d.inset?.adcodes.has(adcode);
  const mapSeries = (id: string, map: string, p: Projection, data: DistrictValue[]) => ({
    id,
    type: 'map',
    map,
    ...placement(p),
    roam: false,
    selectedMode: false,
    data: data.map((x) => {
      const areaColor = d.hasData ? d.colorOf(x.value) : colors.panelSolid;
      // the spotlight keeps the district's own colour and outlines it: an amber fill would read as a value
      return {
        name: x.name,
        value: d.hasData ? x.value : NaN,
        adcode: x.adcode,
        itemStyle: { areaColor },
        emphasis: { itemStyle: { areaColor, ...mapSpotlight } },
      };
    }),
    itemStyle: { borderColor: colors.bgDeep, borderWidth: 1.5 },
    label: { show: false },
    emphasis: { label: { show: false }, itemStyle: { ...mapSpotlight } },
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

  const series: object[] = [mapSeries('districts', d.mapName, d.projection, d.districts)];
  const geo: object[] = [hiddenGeo('coords', d.mapName, d.projection)];
  if (d.inset) {
    series.push(
      mapSeries(
        'urban',
        d.inset.mapName,
        d.inset.projection,
        d.districts.filter((x) => inInset(x.adcode)),
      ),
    );
    geo.push(hiddenGeo('urban-coords', d.inset.mapName, d.inset.projection));
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

  const byCode = new Map(d.districts.map((x) => [x.adcode, x]));
  const elements = d.labels.flatMap((l) => {
    const v = byCode.get(l.id);
    const leader = l.leader ?? { from: l.anchor, to: l.anchor };
    return [
      {
        id: `leader-${l.id}`,
        type: 'polyline',
        silent: true,
        invisible: !l.leader,
        z: 90,
        shape: {
          points: [
            [leader.from.x, leader.from.y],
            [leader.to.x, leader.to.y],
          ],
        },
        style: { stroke: colors.text, lineWidth: 1, opacity: 0.7 },
      },
      {
        id: `dot-${l.id}`,
        type: 'circle',
        silent: true,
        invisible: !l.leader,
        z: 90,
        shape: { cx: l.anchor.x, cy: l.anchor.y, r: 2.5 },
        style: { fill: colors.text },
      },
      {
        id: `label-${l.id}`,
        name: 'map-label',
        type: 'text',
        silent: true,
        z: 100,
        x: l.rect.x + l.rect.width / 2,
        y: l.rect.y + l.rect.height / 2,
        style: {
          text: `{n|${v?.name ?? l.id}}\n{v|${fmt(v?.value)}}`,
          align: 'center',
          verticalAlign: 'middle',
          backgroundColor: 'rgba(5, 18, 43, 0.72)',
          borderRadius: 3,
          padding: [...MAP_LABEL_STYLE.padding],
          rich: {
            n: { ...MAP_LABEL_STYLE.name, fill: colors.text },
            v: { ...MAP_LABEL_STYLE.value, fill: colors.text },
          },
        },
      },
    ];
  });

  return {
    tooltip: {
      trigger: 'item',
      confine: true,
      className: MAP_TOOLTIP_CLASS,
      ...(d.tooltipAt
        ? {
            position: (
              point: [number, number],
              _p: unknown,
              _el: unknown,
              _r: unknown,
              size: { contentSize: [number, number] },
            ) => d.tooltipAt!(point, { width: size.contentSize[0], height: size.contentSize[1] }),
          }
        : {}),
      formatter: (p: { name: string; value: unknown; seriesType?: string }) =>
        p.seriesType === 'map' ? `<b>${p.name}</b><br/>${d.metricLabel}：${fmt(p.value)}` : '',
    },
    geo,
    series,
    graphic: { elements },
  };
}
