/** Every colour and size of the screens, in one place (docs/WALL.md "Visual language"). */
export const colors = {
  bgDeep: '#05122b',
  bg: '#0a1f44',
  panel: 'rgba(12, 38, 82, 0.55)',
  panelSolid: '#0c2652',
  border: 'rgba(64, 196, 255, 0.35)',
  borderStrong: '#40c4ff',
  grid: 'rgba(120, 170, 230, 0.14)',
  text: '#e6f1ff',
  textDim: '#8aa6cf',
  textMute: '#5a7299',
  /** neutral counts */
  cyan: '#3ad4ff',
  blue: '#3b82f6',
  /** done: closed, compliant */
  green: '#2fd67b',
  /** due soon, reconnecting */
  amber: '#ffb020',
  /** overdue, critical, outage */
  red: '#ff4d5e',
  violet: '#9b7bff',
  /** where an inspection starts: bright against every map colour */
  ripple: '#eafcff',
} as const;

/**
 * The map's and the ranking's one colour ramp (lib/mapScale.ts), darkest (the weakest district)
 * first: a single green hue from muted to bright, every channel rising so the brightness does too;
 * the darkest still stands apart from the navy ground. The spotlight outlines a district in white.
 */
export const mapRamp = ['#0f3b2b', '#175c3f', '#208755', '#35b96d', '#72f2a3'] as const;
export const mapSpotlight = { borderColor: '#ffffff', borderWidth: 3 } as const;

export const categoryPalette = [
  colors.cyan,
  colors.blue,
  colors.violet,
  '#22c3aa',
  colors.amber,
  '#f472b6',
  '#60a5fa',
  '#a3e635',
  colors.textDim,
] as const;

export const sizes = {
  gutterPx: 16,
  headerPx: 72,
  kpiPx: 112,
  alertStripPx: 36,
  sideColumnPx: 460,
  panelTitlePx: 36,
  fontBasePx: 14,
  fontTitlePx: 18,
  fontKpiPx: 40,
  fontAxisPx: 13,
} as const;

export const motion = {
  /** number roll (docs/WALL.md: ≤ 600 ms) */
  rollMs: 600,
  /** the map's spotlight moves on this often */
  spotlightMs: 8_000,
  /** a new inspection's ripple stays this long */
  rippleMs: 6_000,
  /** the feed takes one waiting item per boundary; longer than its slide-in */
  feedStepMs: 1_200,
  feedSlideMs: 450,
  chartMs: 500,
} as const;

export const fonts = {
  sans: '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif',
  mono: '"DIN Alternate", "Roboto Mono", "Noto Sans Mono CJK SC", ui-monospace, monospace',
} as const;

/** The tokens as CSS custom properties, set once on :root so stylesheets use the same values. */
export function cssVariables(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(colors)) vars[`--c-${k}`] = v;
  for (const [k, v] of Object.entries(sizes)) vars[`--s-${k.replace(/Px$/, '')}`] = `${v}px`;
  vars['--font-sans'] = fonts.sans;
  vars['--font-mono'] = fonts.mono;
  vars['--feed-slide-ms'] = `${motion.feedSlideMs}ms`;
  return vars;
}
