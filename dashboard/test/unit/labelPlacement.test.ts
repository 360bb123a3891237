import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labelBoxSize } from '../../src/charts/mapOption.ts';
import { overlaps, placeLabels, segmentHitsRect, type Rect } from '../../src/lib/labelPlacement.ts';
import { splitUrban, type GeoCollection } from '../../src/lib/mapGeometry.ts';
import { fitProjection, layoutMapGeometry, placeMapLabels } from '../../src/lib/mapLayout.ts';

const city = (id: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../domain/cities/${id}.geojson`, import.meta.url), 'utf8'),
  ) as GeoCollection;
const inside = (r: Rect, b: Rect) =>
  r.x >= b.x - 1e-9 &&
  r.y >= b.y - 1e-9 &&
  r.x + r.width <= b.x + b.width + 1e-9 &&
  r.y + r.height <= b.y + b.height + 1e-9;

describe('label placement (pure)', () => {
  const box = (id: string, x: number, y: number, priority = 1) => ({
    id,
    anchor: { x, y },
    width: 60,
    height: 40,
    priority,
  });
  const bounds = { x: 0, y: 0, width: 400, height: 300 };

  it('keeps a label on its anchor when there is room', () => {
    const [a] = placeLabels([box('a', 200, 150)], { bounds });
    expect(a!.rect).toEqual({ x: 170, y: 130, width: 60, height: 40 });
    expect(a!.leader).toBeNull();
  });

  it('moves the smaller district off a shared spot, with a leader line back to its anchor', () => {
    const placed = placeLabels([box('small', 200, 150, 1), box('big', 205, 150, 9)], { bounds });
    const big = placed.find((p) => p.id === 'big')!;
    const small = placed.find((p) => p.id === 'small')!;
    expect(big.leader).toBeNull(); // the larger district placed first keeps its spot
    expect(overlaps(big.rect, small.rect)).toBe(false);
    expect(small.leader?.from).toEqual({ x: 200, y: 150 });
    const to = small.leader!.to;
    expect(to.x >= small.rect.x && to.x <= small.rect.x + small.rect.width).toBe(true);
    expect(to.y >= small.rect.y && to.y <= small.rect.y + small.rect.height).toBe(true);
  });

  it('stays inside its bounds and off the obstacles, and is the same every time', () => {
    const legend = { x: 0, y: 240, width: 150, height: 60 };
    const labels = [box('corner', 10, 290), box('a', 100, 260, 3), box('b', 110, 262, 2)];
    const once = placeLabels(labels, { bounds, obstacles: [legend] });
    for (const p of once) {
      expect(inside(p.rect, bounds)).toBe(true);
      expect(overlaps(p.rect, legend)).toBe(false);
    }
    expect(placeLabels([...labels].reverse(), { bounds, obstacles: [legend] })).toEqual(once);
  });

  it("keeps other districts' anchors clear while it can", () => {
    const placed = placeLabels([box('a', 200, 150)], {
      bounds,
      keepClear: [
        { x: 200, y: 150 },
        { x: 210, y: 150 },
      ],
    });
    const r = placed[0]!.rect;
    expect(210 >= r.x && 210 <= r.x + r.width && 150 >= r.y && 150 <= r.y + r.height).toBe(false);
  });

  it('knows when a segment passes through a box', () => {
    const r = { x: 10, y: 10, width: 10, height: 10 };
    expect(segmentHitsRect({ x: 0, y: 15 }, { x: 30, y: 15 }, r)).toBe(true);
    expect(segmentHitsRect({ x: 0, y: 0 }, { x: 30, y: 5 }, r)).toBe(false);
    expect(segmentHitsRect({ x: 15, y: 15 }, { x: 16, y: 16 }, r)).toBe(true);
  });
});

describe('the real cities: every district labelled, no two labels overlap, none leaves the chart', () => {
  // text measured as the wall's fonts roughly are: a CJK character is as wide as its size
  const measured = (name: string, value: string) => labelBoxSize(name.length * 14, value.length * 16 * 0.62);
  // the map chart's size at 1920×1080, in 32:9 wide mode (5120×1440 → a 3840-wide canvas), and small
  const SIZES = [
    [906, 527],
    [2826, 527],
    [640, 420],
  ] as const;

  for (const id of ['zhuzhou', 'guiyang'])
    for (const [width, height] of SIZES)
      it(`${id} at ${width}×${height}`, () => {
        const geo = city(id);
        const split = splitUrban(geo);
        const layout = layoutMapGeometry(geo, split, width, height);
        const names = new Map(geo.features.map((f) => [f.properties.adcode, f.properties.name]));
        const labels = placeMapLabels(layout, split, (adcode) => measured(names.get(adcode)!, '100.0%'));
        expect(labels.map((l) => l.id).sort()).toEqual([...names.keys()].sort());
        const chart = { x: 0, y: 0, width, height };
        for (const [i, a] of labels.entries()) {
          expect(inside(a.rect, chart), `${names.get(a.id)} inside`).toBe(true);
          expect(overlaps(a.rect, layout.frames.legend), `${names.get(a.id)} off the legend`).toBe(false);
          if (layout.frames.inset) {
            const inInset = split.small.has(a.id);
            expect(overlaps(a.rect, layout.frames.inset.frame), `${names.get(a.id)} on its side`).toBe(
              inInset,
            );
          }
          for (const b of labels.slice(i + 1))
            expect(overlaps(a.rect, b.rect), `${names.get(a.id)} / ${names.get(b.id)}`).toBe(false);
        }
        // 贵阳市 has no inset; 株洲市's four urban districts are labelled in theirs
        expect(!!layout.frames.inset).toBe(id === 'zhuzhou');
      });
});

describe('the projection', () => {
  it('fits the city into its frame, keeps its shape, and inverts', () => {
    const geo = city('guiyang');
    const frame = { x: 10, y: 20, width: 800, height: 400 };
    const p = fitProjection(geo, frame);
    expect(inside(p.rect, frame)).toBe(true);
    expect(p.rect.height).toBeCloseTo(400, 6); // taller than wide: it fills the height
    const [x, y] = p.project([106.7, 26.6]);
    const [lng, lat] = p.unproject([x, y]);
    expect(lng).toBeCloseTo(106.7, 9);
    expect(lat).toBeCloseTo(26.6, 9);
    // north is up
    expect(p.project([106.7, 27])[1]).toBeLessThan(y);
  });
});
