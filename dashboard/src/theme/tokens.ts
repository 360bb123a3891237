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
 * The map's colour scales (lib/mapScale.ts): bad news red, the target amber, done green — a shade
 * deeper than the text colours, as they fill large areas; plain counts a cyan ramp, low → high.
 */
export const mapPalette = {
  bad: '#c93a4b',
  warn: '#c98f1e',
  goodDim: '#1c6e4c',
  good: '#22b26d',
  neutral: ['#0b2f5c', '#10508f', '#1a78c2', '#2aa5e3', '#5fd6ff'],
} as const;

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
