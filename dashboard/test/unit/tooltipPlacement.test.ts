import { describe, expect, it } from 'vitest';
import { overlaps, type Rect } from '../../src/lib/labelPlacement.ts';
import { placeTooltip, TOOLTIP_OFFSET_PX } from '../../src/lib/tooltipPlacement.ts';

const bounds: Rect = { x: 0, y: 0, width: 400, height: 300 };
const size = { width: 100, height: 40 };
const boxAt = (p: { x: number; y: number }): Rect => ({ ...p, ...size });

describe("the spotlight's tooltip covers no district label (issue 11)", () => {
  it('sits below right of the point when that is free', () => {
    const p = placeTooltip({ point: { x: 100, y: 100 }, size, bounds, obstacles: [] });
    expect(p).toEqual({ x: 100 + TOOLTIP_OFFSET_PX, y: 100 + TOOLTIP_OFFSET_PX });
  });

  it('takes another side when a label is below right, and never the legend', () => {
    const label = { x: 110, y: 110, width: 60, height: 40 };
    const legend = { x: 0, y: 120, width: 100, height: 80 };
    const p = placeTooltip({ point: { x: 100, y: 100 }, size, bounds, obstacles: [label, legend] });
    expect(p).toEqual({ x: 100 + TOOLTIP_OFFSET_PX, y: 100 - TOOLTIP_OFFSET_PX - size.height });
    for (const o of [label, legend]) expect(overlaps(boxAt(p), o)).toBe(false);
  });

  it('goes further out when every side is taken, staying inside the chart and off its point', () => {
    const point = { x: 200, y: 150 };
    // a crowded inset: labels all round the point
    const labels: Rect[] = [];
    for (let x = 80; x < 320; x += 64)
      for (let y = 90; y < 210; y += 44) labels.push({ x, y, width: 56, height: 36 });
    const p = placeTooltip({ point, size, bounds, obstacles: labels });
    const box = boxAt(p);
    for (const l of labels) expect(overlaps(box, l), JSON.stringify(l)).toBe(false);
    expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= 400 && box.y + box.height <= 300).toBe(true);
    expect(
      point.x >= box.x && point.x <= box.x + box.width && point.y >= box.y && point.y <= box.y + box.height,
    ).toBe(false);
  });

  it('stays inside the chart near its edge', () => {
    const p = placeTooltip({ point: { x: 390, y: 290 }, size, bounds, obstacles: [] });
    expect(p).toEqual({ x: 390 - TOOLTIP_OFFSET_PX - size.width, y: 290 - TOOLTIP_OFFSET_PX - size.height });
  });
});
