/**
 * Where the map is drawn, in the chart's own pixels, computed here rather than left to ECharts:
 * the frames (whole city, urban inset, legend), a projection that fits each map into its frame
 * (ECharts is given the same projection, so its drawing and these coordinates agree), and each
 * district's label anchor — the pole of inaccessibility of its largest polygon, the point inside
 * it farthest from its edges.
 */
import polylabel from 'polylabel';
import type { GeoCollection, GeoFeature, UrbanSplit } from './mapGeometry.ts';
import { placeLabels, type PlacedLabel, type Point, type Rect } from './labelPlacement.ts';

export type { Point, Rect };

type Ring = [number, number][];
type Polygon = Ring[];

function polygonsOf(f: GeoFeature): Polygon[] {
  const g = f.geometry;
  if (g.type === 'Polygon') return [g.coordinates as Polygon];
  if (g.type === 'MultiPolygon') return g.coordinates as Polygon[];
  return [];
}

export interface Projection {
  project(lngLat: number[]): [number, number];
  unproject(point: number[]): [number, number];
  /** the map's box inside its frame */
  rect: Rect;
}

/**
 * An equirectangular projection (longitude shrunk by the cosine of the mid-latitude, so the
 * city keeps its shape) fitted into `frame`, centred.
 */
export function fitProjection(geo: GeoCollection, frame: Rect): Projection {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of geo.features)
    for (const poly of polygonsOf(f))
      for (const ring of poly)
        for (const [lng, lat] of ring) {
          x0 = Math.min(x0, lng);
          x1 = Math.max(x1, lng);
          y0 = Math.min(y0, lat);
          y1 = Math.max(y1, lat);
        }
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const w = Math.max(1e-9, (x1 - x0) * k);
  const h = Math.max(1e-9, y1 - y0);
  const s = Math.min(frame.width / w, frame.height / h);
  const left = frame.x + (frame.width - w * s) / 2;
  const top = frame.y + (frame.height - h * s) / 2;
  return {
    project: ([lng, lat]) => [left + (lng! - x0) * k * s, top + (y1 - lat!) * s],
    unproject: ([x, y]) => [x0 + (x! - left) / (k * s), y1 - (y! - top) / s],
    rect: { x: left, y: top, width: w * s, height: h * s },
  };
}

/** Twice the signed area of a ring (shoelace). */
function ringArea2(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return a;
}

export interface Anchor {
  adcode: string;
  point: Point;
  /** projected area of the district in px², to place the large ones' labels first */
  area: number;
}

/** Each district's label anchor, in the projection's pixels. */
export function labelAnchors(geo: GeoCollection, projection: Projection): Anchor[] {
  return geo.features.map((f) => {
    const polys = polygonsOf(f).map((poly) => poly.map((ring) => ring.map((c) => projection.project(c))));
    const areas = polys.map((p) => Math.abs(ringArea2(p[0] ?? [])) / 2);
    const largest = polys[areas.indexOf(Math.max(...areas))] ?? [];
    const [x, y] = polylabel(largest, 0.5);
    return {
      adcode: f.properties.adcode,
      point: { x, y },
      area: areas.reduce((a, b) => a + b, 0),
    };
  });
}

/** The legend's box, bottom-left of the chart (design px). */
export const LEGEND_SIZE = { width: 248, height: 80 } as const;
/** The inset's caption ("城区放大") at its top-left. */
export const INSET_CAPTION_PX = 28;
/** The share of the chart the whole city takes when there is an inset. */
export const WHOLE_SHARE_WITH_INSET = 0.56;
const PAD = 8;

export interface MapFrames {
  /** where the whole city is fitted */
  whole: Rect;
  /** the area its labels may use */
  wholeLabels: Rect;
  /** the inset's dashed frame, the map inside it and the area its labels may use */
  inset: { frame: Rect; map: Rect; labels: Rect } | null;
  legend: Rect;
}

/** The chart's areas at a given size, with or without an urban inset. */
export function mapFrames(width: number, height: number, withInset: boolean): MapFrames {
  const legend = {
    x: 0,
    y: height - LEGEND_SIZE.height,
    width: LEGEND_SIZE.width,
    height: LEGEND_SIZE.height,
  };
  if (!withInset) {
    const all = { x: 0, y: 0, width, height };
    return { whole: inset(all, PAD), wholeLabels: all, inset: null, legend };
  }
  const split = Math.round(width * WHOLE_SHARE_WITH_INSET);
  const left = { x: 0, y: 0, width: split, height };
  const frame = { x: split, y: 0, width: width - split, height };
  const below = { x: frame.x, y: INSET_CAPTION_PX, width: frame.width, height: height - INSET_CAPTION_PX };
  return {
    whole: inset(left, PAD),
    wholeLabels: inset(left, 2),
    inset: { frame, map: inset(below, PAD * 2), labels: inset(below, 2) },
    legend,
  };
}

/** A box as CSS, for what is laid over the chart (the inset's frame, the legend). */
export const rectStyle = (r: Rect): Record<string, string> => ({
  left: `${r.x}px`,
  top: `${r.y}px`,
  width: `${r.width}px`,
  height: `${r.height}px`,
});

const inset = (r: Rect, d: number): Rect => ({
  x: r.x + d,
  y: r.y + d,
  width: Math.max(0, r.width - 2 * d),
  height: Math.max(0, r.height - 2 * d),
});

export interface MapGeometryLayout {
  frames: MapFrames;
  projection: Projection;
  /** null: the city needs no inset */
  insetProjection: Projection | null;
  wholeAnchors: Anchor[];
  insetAnchors: Anchor[];
}

/** Everything about the map that depends on the chart's size alone. */
export function layoutMapGeometry(
  geo: GeoCollection,
  split: UrbanSplit,
  width: number,
  height: number,
): MapGeometryLayout {
  const frames = mapFrames(width, height, !!split.inset);
  const projection = fitProjection(geo, frames.whole);
  const insetProjection = split.inset && frames.inset ? fitProjection(split.inset, frames.inset.map) : null;
  return {
    frames,
    projection,
    insetProjection,
    wholeAnchors: labelAnchors(geo, projection),
    insetAnchors: split.inset && insetProjection ? labelAnchors(split.inset, insetProjection) : [],
  };
}

/**
 * Every district's label, placed: those of the inset in the inset, the others on the whole map
 * (whose anchors, the inset's districts' too, they keep clear); none on the legend.
 */
export function placeMapLabels(
  layout: MapGeometryLayout,
  split: UrbanSplit,
  sizeOf: (adcode: string) => { width: number; height: number } | null,
): PlacedLabel[] {
  const boxes = (anchors: Anchor[]) =>
    anchors.flatMap((a) => {
      const size = sizeOf(a.adcode);
      return size ? [{ id: a.adcode, anchor: a.point, priority: a.area, ...size }] : [];
    });
  const obstacles = [layout.frames.legend];
  const whole = placeLabels(boxes(layout.wholeAnchors.filter((a) => !split.small.has(a.adcode))), {
    bounds: layout.frames.wholeLabels,
    obstacles,
    keepClear: layout.wholeAnchors.map((a) => a.point),
  });
  const inset = layout.frames.inset;
  const urban = inset
    ? placeLabels(boxes(layout.insetAnchors), {
        bounds: inset.labels,
        obstacles,
        keepClear: layout.insetAnchors.map((a) => a.point),
      })
    : [];
  return [...whole, ...urban];
}
