/**
 * The map's colour scale, chosen per metric from the data so differences show: the domain is the
 * districts' range (widened to take in the metric's target, and to a minimum span so two close
 * values never look like extremes), and the colours say which way is bad news — red for low
 * coverage or 销号率, red for many overdue issues, a neutral cyan ramp for plain counts.
 */
export type ScaleTone = 'lowBad' | 'highBad' | 'neutral';

export interface ScaleStop {
  /** position along the domain, 0..1 */
  at: number;
  color: string;
}

export interface MapScale {
  min: number;
  max: number;
  /** the target's value, inside [min, max] (null: the metric has none) */
  target: number | null;
  tone: ScaleTone;
  stops: ScaleStop[];
}

export interface ScalePalette {
  bad: string;
  warn: string;
  /** just past the target, and the far good end */
  goodDim: string;
  good: string;
  /** the neutral ramp, low → high */
  neutral: readonly string[];
}

/** The narrowest domain: five percentage points for rates, this many for counts. */
export const MIN_RATE_SPAN = 0.05;
export const MIN_COUNT_SPAN = 4;

export interface ScaleInput {
  tone: ScaleTone;
  /** a 0..1 rate (else a count) */
  rate: boolean;
  values: readonly number[];
  target: number | null;
  palette: ScalePalette;
}

/** Rates round out to whole percentage points, counts to whole numbers. */
const roundDown = (v: number, rate: boolean) => (rate ? Math.floor(v * 100 + 1e-9) / 100 : Math.floor(v));
const roundUp = (v: number, rate: boolean) => (rate ? Math.ceil(v * 100 - 1e-9) / 100 : Math.ceil(v));

export function chooseScale(d: ScaleInput): MapScale {
  const finite = d.values.filter((v) => Number.isFinite(v));
  const target = d.target !== null && Number.isFinite(d.target) ? d.target : null;
  const ceiling = d.rate ? 1 : Infinity;
  const span = d.rate ? MIN_RATE_SPAN : MIN_COUNT_SPAN;
  const seen = target === null ? finite : [...finite, target];
  // a district with no overdue issue is the goal: a "high is bad" count starts at zero
  let lo = d.tone === 'highBad' || seen.length === 0 ? 0 : Math.min(...seen);
  let hi = seen.length === 0 ? 0 : Math.max(...seen);
  if (hi - lo < span) {
    const mid = (lo + hi) / 2;
    lo = mid - span / 2;
    hi = mid + span / 2;
    if (lo < 0) [lo, hi] = [0, span];
    if (hi > ceiling) [lo, hi] = [ceiling - span, ceiling];
  }
  const min = Math.max(0, roundDown(lo, d.rate));
  const max = Math.min(ceiling, roundUp(hi, d.rate));
  const pos = (v: number) => Math.min(1, Math.max(0, (v - min) / (max - min)));
  const mid = target === null ? 0.5 : pos(target);
  const p = d.palette;
  const stops: ScaleStop[] =
    d.tone === 'neutral'
      ? p.neutral.map((color, i) => ({ at: i / Math.max(1, p.neutral.length - 1), color }))
      : d.tone === 'highBad'
        ? [
            { at: 0, color: p.good },
            { at: mid, color: p.warn },
            { at: 1, color: p.bad },
          ]
        : target === null
          ? [
              { at: 0, color: p.bad },
              { at: mid, color: p.warn },
              { at: 1, color: p.good },
            ]
          : // a break at the target: behind it red → amber, on or past it green
            [
              { at: 0, color: p.bad },
              { at: mid, color: p.warn },
              { at: mid, color: p.goodDim },
              { at: 1, color: p.good },
            ];
  return { min, max, target, tone: d.tone, stops };
}

/** Where a value sits along the scale, 0..1 (clamped). */
export const scalePosition = (s: MapScale, v: number): number =>
  Math.min(1, Math.max(0, (v - s.min) / (s.max - s.min)));

type Hsl = [number, number, number];

function toHsl(hexColor: string): Hsl {
  const n = parseInt(hexColor.slice(1), 16);
  const [r, g, b] = [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return [0, 0, l];
  const s = d / (1 - Math.abs(2 * l - 1));
  const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [h * 60, s, l];
}

function toHex([h, s, l]: Hsl): string {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((h / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    h < 60
      ? [c, x, 0]
      : h < 120
        ? [x, c, 0]
        : h < 180
          ? [0, c, x]
          : h < 240
            ? [0, x, c]
            : h < 300
              ? [x, 0, c]
              : [c, 0, x];
  return `#${[r, g, b]
    .map((v) =>
      Math.round((v + m) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Between two colours through hue (the shorter way round): red → amber passes orange, not mud. */
function mix(a: string, b: string, f: number): string {
  const [h1, s1, l1] = toHsl(a);
  const [h2, s2, l2] = toHsl(b);
  const dh = ((h2 - h1 + 540) % 360) - 180;
  return toHex([(h1 + dh * f + 360) % 360, s1 + (s2 - s1) * f, l1 + (l2 - l1) * f]);
}

/** A value's colour. At a break (two stops at one place, the target) the value takes the upper side. */
export function colorAt(s: MapScale, v: number): string {
  const t = scalePosition(s, v);
  const stops = s.stops;
  const upper = stops.findIndex((x) => x.at > t);
  if (upper === -1) return stops[stops.length - 1]!.color;
  if (upper === 0) return stops[0]!.color;
  const a = stops[upper - 1]!;
  const b = stops[upper]!;
  return mix(a.color, b.color, (t - a.at) / (b.at - a.at));
}

/** Samples per stretch of the legend's gradient, so it shows the same colours as the map. */
const GRADIENT_SAMPLES = 8;

/** The same scale as a CSS gradient, for the legend: sampled, with the break kept sharp. */
export function cssGradient(s: MapScale): string {
  const parts: string[] = [];
  const at = (x: number) => `${(x * 100).toFixed(1)}%`;
  s.stops.forEach((stop, i) => {
    parts.push(`${stop.color} ${at(stop.at)}`);
    const next = s.stops[i + 1];
    if (!next || next.at === stop.at) return;
    for (let k = 1; k < GRADIENT_SAMPLES; k++) {
      const f = k / GRADIENT_SAMPLES;
      parts.push(`${mix(stop.color, next.color, f)} ${at(stop.at + (next.at - stop.at) * f)}`);
    }
  });
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
