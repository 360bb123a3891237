/**
 * Where the map's tooltip goes (the spotlight's, or the hovered district's): beside the district's
 * point, on the first side where it covers no label and not the legend; if every side is taken, the
 * nearest free spot further out. It never covers the point it speaks of.
 */
import { LABEL_GAP_PX, overlaps, type Point, type Rect } from './labelPlacement.ts';

/** How far the tooltip's nearest corner keeps from the point. */
export const TOOLTIP_OFFSET_PX = 14;
const RING_STEP_PX = 8;
const DIRECTIONS = 16;

export interface TooltipPlacementInput {
  point: Point;
  size: { width: number; height: number };
  bounds: Rect;
  /** boxes the tooltip may not cover: the labels, the legend */
  obstacles: readonly Rect[];
}

const contains = (r: Rect, p: Point) =>
  p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height;
const within = (r: Rect, b: Rect) =>
  r.x >= b.x && r.y >= b.y && r.x + r.width <= b.x + b.width && r.y + r.height <= b.y + b.height;

function* candidates({ point: p, size: { width: w, height: h }, bounds }: TooltipPlacementInput) {
  const o = TOOLTIP_OFFSET_PX;
  // beside the point: below right, above right, below left, above left
  yield { x: p.x + o, y: p.y + o };
  yield { x: p.x + o, y: p.y - o - h };
  yield { x: p.x - o - w, y: p.y + o };
  yield { x: p.x - o - w, y: p.y - o - h };
  const maxRadius = Math.hypot(bounds.width, bounds.height);
  for (let r = RING_STEP_PX; r <= maxRadius; r += RING_STEP_PX)
    for (let i = 0; i < DIRECTIONS; i++) {
      const a = (2 * Math.PI * i) / DIRECTIONS;
      yield { x: p.x + r * Math.cos(a) - w / 2, y: p.y + r * Math.sin(a) - h / 2 };
    }
}

/** The tooltip's top-left corner. */
export function placeTooltip(d: TooltipPlacementInput): Point {
  const padded = d.obstacles.map((o) => ({
    x: o.x - LABEL_GAP_PX,
    y: o.y - LABEL_GAP_PX,
    width: o.width + 2 * LABEL_GAP_PX,
    height: o.height + 2 * LABEL_GAP_PX,
  }));
  for (const c of candidates(d)) {
    const r = { ...c, ...d.size };
    if (within(r, d.bounds) && !contains(r, d.point) && !padded.some((o) => overlaps(r, o))) return c;
  }
  // no free spot (a chart far too small): below right, kept inside
  const { bounds: b, size: s } = d;
  return {
    x: Math.min(Math.max(d.point.x + TOOLTIP_OFFSET_PX, b.x), b.x + b.width - s.width),
    y: Math.min(Math.max(d.point.y + TOOLTIP_OFFSET_PX, b.y), b.y + b.height - s.height),
  };
}
