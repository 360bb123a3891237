/**
 * What a chart has drawn, read back from its own elements — for browser tests, which compare the
 * colours the wall shows (a district's area, its ranking bar) rather than the options it was given.
 * ECharts' model is not in its public types: the few members used are typed here.
 */
import type { EChartsType } from 'echarts/core';

interface DrawnEl {
  isGroup?: boolean;
  style?: { fill?: unknown; stroke?: unknown; lineWidth?: unknown };
  currentStates?: string[];
  childCount?: () => number;
  childAt?: (i: number) => DrawnEl | null;
}
interface SeriesLike {
  id: string;
  getRawValue(i: number): unknown;
  getData(): {
    count(): number;
    getName(i: number): string;
    getRawDataItem(i: number): unknown;
    getItemGraphicEl(i: number): DrawnEl | null | undefined;
  };
}

export interface DrawnItem {
  /** the series' id */
  series: string;
  name: string;
  adcode: string | null;
  /** the item's value as given, when it is a number */
  value: number | null;
  fill: string;
  stroke: string;
  lineWidth: number;
  /** 'emphasis' while highlighted (the map's spotlight) */
  states: string[];
}

/** The first shape that paints (a map region is a group of paths). */
function firstShape(el: DrawnEl | null | undefined): DrawnEl | null {
  if (!el) return null;
  if (!el.isGroup) return el;
  for (let i = 0; i < (el.childCount?.() ?? 0); i++) {
    const found = firstShape(el.childAt?.(i));
    if (found) return found;
  }
  return null;
}

/** Every item of a series (by id) as drawn: its fill and outline. */
export function drawnItems(chart: EChartsType, seriesId: string): DrawnItem[] {
  const model = (chart as unknown as { getModel(): { getSeries(): SeriesLike[] } | null }).getModel();
  const series = model?.getSeries().find((s) => s.id === seriesId);
  if (!series) return [];
  const data = series.getData();
  const out: DrawnItem[] = [];
  for (let i = 0; i < data.count(); i++) {
    const el = firstShape(data.getItemGraphicEl(i));
    const raw = data.getRawDataItem(i) as { adcode?: unknown } | null;
    const value = series.getRawValue(i);
    out.push({
      series: seriesId,
      name: data.getName(i),
      adcode: typeof raw?.adcode === 'string' ? raw.adcode : null,
      value: typeof value === 'number' ? value : null,
      fill: String(el?.style?.fill ?? ''),
      stroke: String(el?.style?.stroke ?? ''),
      lineWidth: Number(el?.style?.lineWidth ?? 0),
      states: [...(el?.currentStates ?? [])],
    });
  }
  return out;
}
