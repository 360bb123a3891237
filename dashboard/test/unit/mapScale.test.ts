import { describe, expect, it } from 'vitest';
import {
  chooseScale,
  colorAt,
  cssGradient,
  luminance,
  rampColor,
  strength,
  type ScaleInput,
} from '../../src/lib/mapScale.ts';
import { MAP_METRICS, weakEnd } from '../../src/lib/mapMetrics.ts';
import { mapRamp } from '../../src/theme/tokens.ts';

const ramp = ['#000000', '#808080', '#ffffff'];
const scale = (d: Partial<ScaleInput>) => {
  const s = chooseScale({ values: [], target: null, weakEnd: 'low', ramp, ...d });
  if (!s) throw new Error('no scale');
  return s;
};

/** The hue of a #rrggbb colour, in degrees. */
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return h * 60;
}

describe("the wall's colour scale: the weakest district is the darkest (issue 11)", () => {
  it("spans the districts' own range, not 0–100 %: 14.8 % and 20.8 % are the two ends", () => {
    const s = scale({ values: [0.148, 0.208, 0.171] });
    expect([s.min, s.max]).toEqual([0.148, 0.208]);
    expect(colorAt(s, 0.148)).toBe(ramp[0]);
    expect(colorAt(s, 0.208)).toBe(ramp[2]);
    expect(strength(s, 0.171)).toBeCloseTo(0.023 / 0.06, 9);
  });

  it('gives the weakest the darkest colour and every stronger district a brighter one', () => {
    const values = [0.148, 0.208, 0.171, 0.15, 0.2];
    const s = scale({ values, ramp: mapRamp });
    const darkest = luminance(colorAt(s, 0.148));
    for (const v of values.filter((x) => x !== 0.148))
      expect(luminance(colorAt(s, v))).toBeGreaterThan(darkest);
    // brighter all the way up
    const sorted = [...values].sort((a, b) => a - b).map((v) => luminance(colorAt(s, v)));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!).toBeGreaterThan(sorted[i - 1]!);
  });

  it('turns round for bad news: the most overdue district is the darkest', () => {
    const s = scale({ values: [2, 9, 5], weakEnd: 'high', ramp: mapRamp });
    expect([s.min, s.max]).toEqual([2, 9]);
    expect(colorAt(s, 9)).toBe(mapRamp[0]);
    expect(colorAt(s, 2)).toBe(mapRamp[mapRamp.length - 1]);
    expect(luminance(colorAt(s, 9))).toBeLessThan(luminance(colorAt(s, 5)));
    // the legend keeps min on the left: the gradient runs bright → dark
    expect(cssGradient(s).startsWith(`linear-gradient(to right, ${mapRamp[4]} 0.0%`)).toBe(true);
    expect(cssGradient(s).endsWith(`${mapRamp[0]} 100.0%)`)).toBe(true);
  });

  it('gives every map metric its weak end: low coverage, 销号率 and activity; many overdue issues', () => {
    expect(Object.fromEntries(MAP_METRICS.map((m) => [m, weakEnd(m)]))).toEqual({
      coverage: 'low',
      overdue: 'high',
      rectification: 'low',
      today: 'low',
    });
  });

  it('marks the target only when it falls within the range (ends included)', () => {
    const values = [0.148, 0.208];
    expect(scale({ values, target: 0.333 }).target).toBeNull();
    expect(scale({ values, target: 0.1 }).target).toBeNull();
    expect(scale({ values, target: 0.17 }).target).toBe(0.17);
    expect(scale({ values, target: 0.148 }).target).toBe(0.148);
    expect(scale({ values, target: 0.208 }).target).toBe(0.208);
    // a target never stretches the range
    expect(scale({ values, target: 0.9 })).toMatchObject({ min: 0.148, max: 0.208 });
    expect(scale({ values, target: NaN }).target).toBeNull();
  });

  it('colours equal values alike, in the middle of the ramp: with no weakest, none is dark', () => {
    const s = scale({ values: [0.5, 0.5, 0.5], target: 0.5, ramp: mapRamp });
    expect([s.min, s.max, s.target]).toEqual([0.5, 0.5, 0.5]);
    const mid = rampColor(mapRamp, 0.5);
    expect(colorAt(s, 0.5)).toBe(mid);
    expect(mid).not.toBe(mapRamp[0]);
    expect(cssGradient(s)).toBe(mid);
    expect(scale({ values: [3, 3], target: 4, weakEnd: 'high' }).target).toBeNull();
  });

  it('uses one green hue, dark and muted to bright, and the legend mixes as the map does', () => {
    for (const c of mapRamp) expect(Math.abs(hue(c) - 150)).toBeLessThan(12);
    for (let i = 1; i < mapRamp.length; i++)
      expect(luminance(mapRamp[i]!)).toBeGreaterThan(luminance(mapRamp[i - 1]!) * 1.4);
    const s = scale({ values: [0, 1], ramp: mapRamp });
    // the gradient's stops are the ramp's, evenly spaced: the colour at a stop is the stop
    expect(cssGradient(s)).toBe(
      `linear-gradient(to right, ${mapRamp.map((c, i) => `${c} ${(i * 25).toFixed(1)}%`).join(', ')})`,
    );
    expect(colorAt(s, 0.25)).toBe(mapRamp[1]);
    expect(rampColor(['#000000', '#ffffff'], 0.5)).toBe('#808080');
  });

  it('ignores values that are not numbers, and has nothing to say without any', () => {
    expect(scale({ values: [NaN, 0.2, 0.4] })).toMatchObject({ min: 0.2, max: 0.4 });
    expect(chooseScale({ values: [], target: 0.5, weakEnd: 'low', ramp })).toBeNull();
    expect(chooseScale({ values: [NaN], target: null, weakEnd: 'low', ramp })).toBeNull();
  });
});
