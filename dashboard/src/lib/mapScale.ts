/**
 * The wall's one colour scale for the shown metric (the map and the ranking bars both read it, so a
 * district's bar is the colour of its area): a single-hue ramp from dark and muted to bright,
 * spread over the data's own range — the districts' min..max, not 0..100 % — and turned so the
 * weakest district is always the darkest (lowest coverage or 销号率, fewest inspections today, most
 * overdue issues). The metric's target is marked on it only when it falls inside that range.
 */

/** Which end of the metric is the weak one: low coverage, or many overdue issues. */
export type WeakEnd = 'low' | 'high';

export interface MapScale {
  /** the districts' lowest and highest values */
  min: number;
  max: number;
  /** the target's value when it lies within [min, max]; else null (nothing to mark) */
  target: number | null;
  weakEnd: WeakEnd;
  /** the ramp, darkest (weakest) first, as #rrggbb */
  ramp: readonly string[];
}

export interface ScaleInput {
  values: readonly number[];
  target: number | null;
  weakEnd: WeakEnd;
  ramp: readonly string[];
}

/** Where every district sits when all have one value: none is weaker, so the ramp's middle. */
export const EQUAL_VALUES_STRENGTH = 0.5;

/** The scale from the districts' values; null when no value is a number (nothing to colour). */
export function chooseScale(d: ScaleInput): MapScale | null {
  const finite = d.values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const t = d.target;
  const target = t !== null && Number.isFinite(t) && t >= min && t <= max ? t : null;
  return { min, max, target, weakEnd: d.weakEnd, ramp: d.ramp };
}

/** Where a value sits along the legend, min (0) → max (1), clamped; the middle when min = max. */
export const scalePosition = (s: MapScale, v: number): number =>
  s.max === s.min ? EQUAL_VALUES_STRENGTH : Math.min(1, Math.max(0, (v - s.min) / (s.max - s.min)));

/** How strong a value is, 0 (the weakest district, darkest) → 1 (the strongest, brightest). */
export function strength(s: MapScale, v: number): number {
  const p = scalePosition(s, v);
  return s.weakEnd === 'low' ? p : 1 - p;
}

const channels = (hex: string): [number, number, number] => {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
const toHex = (rgb: readonly number[]): string =>
  `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/**
 * The ramp's colour at 0..1, mixed in sRGB between its stops — as a CSS gradient mixes, so the
 * legend shows the map's colours; with every channel rising along the ramp, so is the brightness.
 */
export function rampColor(ramp: readonly string[], f: number): string {
  const x = Math.min(1, Math.max(0, f)) * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(x));
  if (i < 0) return ramp[0]!;
  const a = channels(ramp[i]!);
  const b = channels(ramp[i + 1]!);
  return toHex(a.map((c, k) => c + (b[k]! - c) * (x - i)));
}

/** A value's colour. */
export const colorAt = (s: MapScale, v: number): string => rampColor(s.ramp, strength(s, v));

/** The scale as the legend's CSS gradient, min on the left: the ramp's stops, turned with the metric. */
export function cssGradient(s: MapScale): string {
  if (s.max === s.min) return rampColor(s.ramp, EQUAL_VALUES_STRENGTH);
  const stops = s.weakEnd === 'low' ? s.ramp : [...s.ramp].reverse();
  const at = (i: number) => `${((i / (stops.length - 1)) * 100).toFixed(1)}%`;
  return `linear-gradient(to right, ${stops.map((c, i) => `${c} ${at(i)}`).join(', ')})`;
}

/** WCAG relative luminance of a #rrggbb colour, 0 (black) … 1 (white): what "darker" means here. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
