/**
 * District labels that never overlap, placed deterministically from measured text boxes: each
 * label sits on its anchor if it can; if not, at the nearest free spot (rings of growing radius
 * around the anchor), with a leader line back to the anchor. Larger districts are placed first;
 * a label never leaves its bounds, never covers an obstacle (the legend) or another label, and —
 * while there is room — never covers another district's anchor or crosses a leader line.
 */
export interface Point {
  x: number;
  y: number;
}
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelBox {
  id: string;
  anchor: Point;
  width: number;
  height: number;
  /** placed first when larger (the district's area) */
  priority: number;
}

export interface PlacedLabel {
  id: string;
  rect: Rect;
  anchor: Point;
  /** from the anchor to the label's nearest edge, when the label had to leave its anchor */
  leader: { from: Point; to: Point } | null;
}

export interface PlacementOptions {
  bounds: Rect;
  /** boxes no label may cover */
  obstacles?: readonly Rect[];
  /** points no label covers while there is room elsewhere: the other districts' anchors */
  keepClear?: readonly Point[];
}

/** Space kept between two labels, or a label and an obstacle. */
export const LABEL_GAP_PX = 4;
/** How far around a point another label keeps clear. */
export const KEEP_CLEAR_PX = 6;
const RING_STEP_PX = 4;
const DIRECTIONS = 24;

const grow = (r: Rect, d: number): Rect => ({
  x: r.x - d,
  y: r.y - d,
  width: r.width + 2 * d,
  height: r.height + 2 * d,
});
export const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (r: Rect, b: Rect): boolean =>
  r.x >= b.x && r.y >= b.y && r.x + r.width <= b.x + b.width && r.y + r.height <= b.y + b.height;
const containsPoint = (r: Rect, p: Point): boolean =>
  p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height;

/** Whether the segment a→b passes through the rectangle (Liang–Barsky clipping). */
export function segmentHitsRect(a: Point, b: Point, r: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const edges: [number, number][] = [
    [-dx, a.x - r.x],
    [dx, r.x + r.width - a.x],
    [-dy, a.y - r.y],
    [dy, r.y + r.height - a.y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

/** The point of the rectangle nearest to p (p itself when inside). */
const nearestOnRect = (r: Rect, p: Point): Point => ({
  x: Math.min(Math.max(p.x, r.x), r.x + r.width),
  y: Math.min(Math.max(p.y, r.y), r.y + r.height),
});

const leaderOf = (rect: Rect, anchor: Point): PlacedLabel['leader'] =>
  containsPoint(rect, anchor) ? null : { from: anchor, to: nearestOnRect(rect, anchor) };

/** Candidate centres: the anchor, then rings of growing radius, in a fixed order of directions. */
function* candidates(anchor: Point, maxRadius: number): Generator<Point> {
  yield anchor;
  for (let r = RING_STEP_PX; r <= maxRadius; r += RING_STEP_PX) {
    for (let i = 0; i < DIRECTIONS; i++) {
      const a = (2 * Math.PI * i) / DIRECTIONS;
      yield { x: anchor.x + r * Math.cos(a), y: anchor.y + r * Math.sin(a) };
    }
  }
}

export function placeLabels(labels: readonly LabelBox[], opts: PlacementOptions): PlacedLabel[] {
  const obstacles = (opts.obstacles ?? []).map((o) => grow(o, LABEL_GAP_PX));
  const keepClear = opts.keepClear ?? [];
  const maxRadius = Math.hypot(opts.bounds.width, opts.bounds.height);
  const order = [...labels].sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id));
  const placed: PlacedLabel[] = [];

  const fits = (l: LabelBox, rect: Rect, strict: boolean): boolean => {
    if (!inside(rect, opts.bounds)) return false;
    const padded = grow(rect, LABEL_GAP_PX);
    if (obstacles.some((o) => overlaps(rect, o))) return false;
    if (placed.some((p) => overlaps(padded, p.rect))) return false;
    if (!strict) return true;
    const clear = (p: Point) =>
      (p.x === l.anchor.x && p.y === l.anchor.y) ||
      !overlaps(rect, grow({ ...p, width: 0, height: 0 }, KEEP_CLEAR_PX));
    if (!keepClear.every(clear)) return false;
    if (placed.some((p) => p.leader && segmentHitsRect(p.leader.from, p.leader.to, padded))) return false;
    const leader = leaderOf(rect, l.anchor);
    if (!leader) return true;
    const crosses = (r: Rect) => segmentHitsRect(leader.from, leader.to, r);
    return !obstacles.some(crosses) && !placed.some((p) => crosses(grow(p.rect, LABEL_GAP_PX)));
  };

  for (const l of order) {
    const rectAt = (c: Point): Rect => ({
      x: c.x - l.width / 2,
      y: c.y - l.height / 2,
      width: l.width,
      height: l.height,
    });
    let rect: Rect | null = null;
    for (const strict of [true, false]) {
      for (const c of candidates(l.anchor, maxRadius)) {
        const r = rectAt(c);
        if (fits(l, r, strict)) {
          rect = r;
          break;
        }
      }
      if (rect) break;
    }
    // no room at all (a chart far too small): on the anchor, kept inside the bounds
    rect ??= clampInto(rectAt(l.anchor), opts.bounds);
    placed.push({ id: l.id, rect, anchor: l.anchor, leader: leaderOf(rect, l.anchor) });
  }
  return placed;
}

function clampInto(r: Rect, b: Rect): Rect {
  return {
    ...r,
    x: Math.min(Math.max(r.x, b.x), b.x + b.width - r.width),
    y: Math.min(Math.max(r.y, b.y), b.y + b.height - r.height),
  };
}
