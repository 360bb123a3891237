import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Metrics } from '@dudao/domain';
import { buildCategoryOption } from '../../src/charts/categoryOption.ts';
import { buildFunnelOption } from '../../src/charts/funnelOption.ts';
import { buildHourlyOption } from '../../src/charts/hourlyOption.ts';
import { buildIndicatorsOption } from '../../src/charts/indicatorsOption.ts';
import { buildMapOption } from '../../src/charts/mapOption.ts';
import { buildRankingOption } from '../../src/charts/rankingOption.ts';
import { buildTrendOption, trendLines } from '../../src/charts/trendOption.ts';
import { buildKpis } from '../../src/lib/kpis.ts';
import { districtValues, rankDistricts } from '../../src/lib/mapMetrics.ts';
import { splitUrban, type GeoCollection } from '../../src/lib/mapGeometry.ts';
import { fitProjection } from '../../src/lib/mapLayout.ts';
import { addRipples, expireRipples } from '../../src/lib/ripples.ts';
import { describeFeedItem } from '../../src/lib/feedText.ts';
import { feedItem, metrics, snapshot } from './fixtures.ts';

type Series = { id: string; data: unknown[] }[];
const seriesOf = (o: object) => (o as { series: Series }).series;

describe('option builders: stable series ids, fixed-size data, "—" before data', () => {
  it('keeps the same series ids across updates (partial setOption merges in place)', () => {
    const a = seriesOf(buildHourlyOption({ hourly: null, currentHour: 3 })).map((s) => s.id);
    const b = seriesOf(buildHourlyOption({ hourly: Array(24).fill(2), currentHour: 4 })).map((s) => s.id);
    expect(a).toEqual(['hourly']);
    expect(b).toEqual(a);
    expect(seriesOf(buildHourlyOption({ hourly: Array(24).fill(2), currentHour: 4 }))[0]!.data).toHaveLength(
      24,
    );
  });

  it('draws the closed loop raised → rectified → closed from the snapshot', () => {
    const o = buildFunnelOption({
      issues: { raised: 10, submitted: 3, closed: 5 },
      labels: { raised: 'r', rectified: 's', closed: 'c' },
    });
    expect(seriesOf(o)[0]!.data.map((d) => (d as { value: number }).value)).toEqual([10, 8, 5]);
  });

  it('sorts categories by count and keeps all nine', () => {
    const m = metrics((x) => (x.issues.byCategory.fees = 4));
    const o = buildCategoryOption({
      counts: m.issues.byCategory,
      order: Object.keys(m.issues.byCategory),
      label: (k) => k,
    });
    expect((o as { yAxis: { data: string[] } }).yAxis.data[0]).toBe('fees');
    expect(seriesOf(o)[0]!.data).toHaveLength(9);
  });

  it('shows "—" in the rings while an indicator is undefined', () => {
    const o = buildIndicatorsOption([{ id: 'hw', label: 'x', value: null }]);
    // ECharts' series union types gauge's detail.formatter as a string or a function of a value
    const detail = (seriesOf(o)[0] as unknown as { detail: { formatter: () => string } }).detail;
    expect(detail.formatter()).toBe('—');
  });

  it('ranks districts best first, lowest first for bad news', () => {
    const s = snapshot(1);
    s.districts![0]!.metrics.issues.overdue = 5;
    const v = districtValues(s.districts, 'overdue');
    expect(rankDistricts(v, 'overdue').map((d) => d.adcode)).toEqual(['430211', '430202']);
    const o = buildRankingOption({
      ranked: rankDistricts(v, 'overdue'),
      rate: false,
      colorOf: (v) => (v > 0 ? '#000000' : '#ffffff'),
      format: String,
      hasData: true,
    });
    expect(seriesOf(o)[0]!.id).toBe('rank');
    // each bar in its value's colour on the shared scale (best on top: the category axis reversed)
    const bars = (seriesOf(o)[0] as unknown as { data: { itemStyle: { color: string } }[] }).data;
    expect(bars.map((b) => b.itemStyle.color)).toEqual(['#000000', '#ffffff']);
  });

  it('colours each district by the scale, draws the placed labels, and puts ripples on the right map', () => {
    const square: GeoCollection = {
      type: 'FeatureCollection',
      features: [
        {
          properties: { adcode: '430202', name: '荷塘区' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113, 27],
                [113.1, 27],
                [113.1, 27.1],
                [113, 27],
              ],
            ],
          },
        },
      ],
    };
    const projection = fitProjection(square, { x: 0, y: 0, width: 100, height: 100 });
    const o = buildMapOption({
      mapName: 'm',
      projection,
      inset: { mapName: 'u', adcodes: new Set(['430202']), projection },
      districts: [
        { adcode: '430202', name: '荷塘区', value: 0.5 },
        { adcode: '430223', name: '攸县', value: 0.2 },
      ],
      colorOf: (v) => (v > 0.3 ? '#00ff00' : '#ff0000'),
      format: String,
      hasData: true,
      labels: [
        {
          id: '430223',
          rect: { x: 10, y: 10, width: 40, height: 30 },
          anchor: { x: 30, y: 25 },
          leader: null,
        },
      ],
      ripples: [{ id: 'r', district: '430202', coord: [113, 27] }],
      metricLabel: 'x',
    });
    expect(seriesOf(o).map((s) => s.id)).toEqual(['districts', 'urban', 'ripples', 'urban-ripples']);
    const colours = seriesOf(o)[0]!.data.map(
      (d) => (d as { itemStyle: { areaColor: string } }).itemStyle.areaColor,
    );
    expect(colours).toEqual(['#00ff00', '#ff0000']);
    // the spotlight keeps each district's colour and outlines it in white (no amber fill)
    const spot = seriesOf(o)[0]!.data.map(
      (d) => (d as { emphasis: { itemStyle: Record<string, unknown> } }).emphasis.itemStyle,
    );
    expect(spot).toEqual([
      { areaColor: '#00ff00', borderColor: '#ffffff', borderWidth: 3 },
      { areaColor: '#ff0000', borderColor: '#ffffff', borderWidth: 3 },
    ]);
    expect(seriesOf(o)[1]!.data).toHaveLength(1);
    expect(seriesOf(o)[2]!.data).toHaveLength(0);
    expect(seriesOf(o)[3]!.data).toHaveLength(1);
    const elements = (o as { graphic: { elements: { id: string; invisible?: boolean; x?: number }[] } })
      .graphic.elements;
    expect(elements.map((e) => e.id)).toEqual(['leader-430223', 'dot-430223', 'label-430223']);
    expect(elements[0]!.invisible).toBe(true); // on its anchor's spot: no leader line
    expect(elements[2]!.x).toBe(30);
  });

  it('draws no trend until two days have data', () => {
    expect(
      trendLines({ scope: 'city', days: ['a', 'b'], series: { 'inspections.today': [null, 3] } }).lines,
    ).toEqual([]);
    const t = { scope: 'city', days: ['2026-11-25', '2026-11-26'], series: { 'inspections.today': [2, 3] } };
    expect(trendLines(t).lines.map((l) => l.key)).toEqual(['inspections']);
    expect(seriesOf(buildTrendOption(t, (k) => k)).map((s) => s.id)).toEqual(['trend-inspections']);
  });
});

describe('KPIs come from the snapshot only', () => {
  it('are null ("—") before the first snapshot, never 0', () => {
    expect(buildKpis(null).every((k) => k.value === null && k.sub === null)).toBe(true);
  });
  it('read the metrics, overdue in red when there is any', () => {
    const k = buildKpis(metrics((m) => (m.issues.overdue = 2)));
    expect(k.find((x) => x.key === 'overdue')).toMatchObject({ value: 2, tone: 'bad' });
  });
  it('say under the open issues how many of them are urged (督办中), marked when any', () => {
    const open = (m: Metrics) => buildKpis(m).find((x) => x.key === 'open')!;
    expect(open(metrics((m) => ((m.issues.open = 9), (m.issues.urged = 3)))).note).toEqual({
      key: 'kpiSub.urged',
      params: { n: 3 },
      alert: true,
    });
    expect(open(metrics()).note).toMatchObject({ params: { n: 0 }, alert: false });
    expect(buildKpis(null).find((x) => x.key === 'open')!.note).toBeNull();
  });
});

describe('map helpers', () => {
  it('puts the four small urban districts of 株洲市 into the inset', () => {
    const geo = JSON.parse(
      readFileSync(new URL('../../../domain/cities/zhuzhou.geojson', import.meta.url), 'utf8'),
    ) as GeoCollection;
    const names = geo.features
      .filter((f) => splitUrban(geo).small.has(f.properties.adcode))
      .map((f) => f.properties.name);
    expect(names.sort()).toEqual(['天元区', '石峰区', '芦淞区', '荷塘区'].sort());
  });

  it('keeps at most a dozen ripples, only for inspections that start, and lets them expire', () => {
    let r = addRipples([], [feedItem('x', 'issue.raised')], () => [113, 27], 0);
    expect(r).toEqual([]);
    for (let i = 0; i < 50; i++) r = addRipples(r, [feedItem(`i${i}`)], () => [113, 27], i);
    expect(r).toHaveLength(12);
    expect(expireRipples(r, 10_000, 6_000)).toEqual([]);
  });

  it('describes feed lines with the colour of their news', () => {
    expect(
      describeFeedItem({ ...feedItem('a', 'issue.verified'), detail: { result: 'failed' } }),
    ).toMatchObject({
      tone: 'red',
      verb: 'verified.failed',
    });
    expect(describeFeedItem(feedItem('b')).verb).toBe('event.inspection_started');
  });
});
