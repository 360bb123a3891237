import { describe, expect, it } from 'vitest';
import {
  chooseScale,
  colorAt,
  cssGradient,
  MIN_COUNT_SPAN,
  MIN_RATE_SPAN,
  type ScaleInput,
} from '../../src/lib/mapScale.ts';
import { MAP_METRIC_DEFS } from '../../src/lib/mapMetrics.ts';

const palette = {
  bad: '#ff0000',
  warn: '#ffaa00',
  goodDim: '#006600',
  good: '#00ff00',
  neutral: ['#000033', '#0000ff'],
};
const scale = (d: Partial<ScaleInput>) =>
  chooseScale({ tone: 'lowBad', rate: true, values: [], target: null, palette, ...d });

describe('the map scale is chosen from the data, so differences show', () => {
  it("spans the districts' range, not 0–100 %: 14.8 % and 20.8 % get different colours", () => {
    const s = scale({ values: [0.148, 0.208, 0.171] });
    expect([s.min, s.max]).toEqual([0.14, 0.21]);
    expect(colorAt(s, 0.148)).not.toBe(colorAt(s, 0.208));
    expect(colorAt(s, 0.14)).toBe(palette.bad);
    expect(colorAt(s, 0.21)).toBe(palette.good);
  });

  it('widens to a minimum span, so two equal or close values do not look like extremes', () => {
    const s = scale({ values: [0.5, 0.5] });
    expect(s.max - s.min).toBeGreaterThanOrEqual(MIN_RATE_SPAN);
    expect((s.min + s.max) / 2).toBeCloseTo(0.5, 9);
    expect(colorAt(s, 0.5)).not.toBe(palette.bad);
    expect(colorAt(s, 0.5)).not.toBe(palette.good);
    // at the ends of the range it stays within 0..100 %
    expect(scale({ values: [0.99, 1] })).toMatchObject({ min: 0.95, max: 1 });
    expect(scale({ values: [0, 0.01] })).toMatchObject({ min: 0, max: 0.05 });
    const counts = chooseScale({ tone: 'neutral', rate: false, values: [3, 3], target: null, palette });
    expect(counts.max - counts.min).toBe(MIN_COUNT_SPAN);
  });

  it('takes in the target and breaks there: behind it red → amber, on or past it green', () => {
    const s = scale({ values: [0.148, 0.208], target: 0.333 });
    expect([s.min, s.max, s.target]).toEqual([0.14, 0.34, 0.333]);
    expect(colorAt(s, 0.148)).toMatch(/^#(f|e|d)/); // red side
    expect(colorAt(s, 0.333)).toBe(palette.goodDim);
    expect(colorAt(s, 0.3329)).not.toBe(palette.goodDim);
    // a target below every district: all on the green side
    const ahead = scale({ values: [0.2, 0.3], target: 0.1 });
    expect(ahead.min).toBe(0.1);
    for (const v of [0.2, 0.25, 0.3]) expect(colorAt(ahead, v)).toMatch(/^#[0-3]/);
  });

  it('puts red at the high end for bad news, counted from zero (no overdue issue is the goal)', () => {
    const s = chooseScale({ tone: 'highBad', rate: false, values: [20, 25, 30], target: null, palette });
    expect([s.min, s.max]).toEqual([0, 30]);
    expect(colorAt(s, 30)).toBe(palette.bad);
    expect(colorAt(s, 0)).toBe(palette.good);
    expect(
      chooseScale({ tone: 'highBad', rate: false, values: [0, 0], target: null, palette }),
    ).toMatchObject({
      min: 0,
      max: MIN_COUNT_SPAN,
    });
  });

  it('gives every map metric the direction of its news', () => {
    expect(MAP_METRIC_DEFS.coverage.tone).toBe('lowBad');
    expect(MAP_METRIC_DEFS.rectification.tone).toBe('lowBad');
    expect(MAP_METRIC_DEFS.overdue.tone).toBe('highBad');
    expect(MAP_METRIC_DEFS.today.tone).toBe('neutral');
  });

  it('mixes through hue, not through mud, and the legend shows the same colours', () => {
    const s = chooseScale({ tone: 'highBad', rate: false, values: [0, 10], target: null, palette });
    const mid = colorAt(s, 2.5); // between green and amber: a yellow-green, not grey
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(mid.slice(i, i + 2), 16));
    expect(g!).toBeGreaterThan(200);
    expect(b!).toBeLessThan(40);
    expect(r!).toBeGreaterThan(b!);
    const css = cssGradient(s);
    expect(css).toContain(`${colorAt(s, 2.5)} 25.0%`);
    expect(css.startsWith('linear-gradient(to right, #00ff00 0.0%')).toBe(true);
    // the break at the target stays sharp: two colours at one place
    const t = scale({ values: [0.1, 0.3], target: 0.2 });
    expect(cssGradient(t)).toContain(`${palette.warn} 50.0%, ${palette.goodDim} 50.0%`);
  });

  it('ignores values that are not numbers', () => {
    expect(scale({ values: [NaN, 0.2, 0.4] })).toMatchObject({ min: 0.2, max: 0.4 });
    expect(scale({ values: [] })).toMatchObject({ min: 0, max: MIN_RATE_SPAN });
  });
});
