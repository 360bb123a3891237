/** The benchmark table: each figure with its SPEC §11 target and its ratio to a same-run baseline. */
import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';

export interface Row {
  what: string;
  /** the figure, formatted with its unit */
  value: string;
  target: string;
  /** `ours / baseline` with what the baseline is, or a dash */
  baseline: string;
  ratio: string;
  met: 'yes' | 'no' | '—';
}

export const percentile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

export const ratio = (ours: number, base: number): string => (base > 0 ? fmt(ours / base, 2) : 'n/a');

export const met = (ok: boolean): Row['met'] => (ok ? 'yes' : 'no');

function versionOf(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'n/a';
  }
}

export function machine(): string {
  const cpu = cpus();
  const gib = Math.round(totalmem() / 2 ** 30);
  const pgVersion = versionOf('psql', ['--version']).replace(/^psql \(PostgreSQL\) /, '');
  const redisVersion = versionOf('redis-server', ['--version']).match(/v=(\S+)/)?.[1] ?? 'n/a';
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), ${gib} GiB, Node ${process.versions.node}, PostgreSQL ${pgVersion}, Redis ${redisVersion}`;
}

/** Other work on the machine skews every figure: the doc records the load the run started under. */
export function machineLoad(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (1 / 5 / 15 min) at the start`;
}

const COLUMNS: [keyof Row, string][] = [
  ['what', 'what'],
  ['value', 'measured'],
  ['target', 'target (SPEC §11)'],
  ['baseline', 'baseline (same run)'],
  ['ratio', 'ratio'],
  ['met', 'met'],
];

/** A plain-text table for the terminal. */
export function textTable(rows: readonly Row[]): string {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((r) => r[key].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [
    line(COLUMNS.map(([, t]) => t)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(COLUMNS.map(([k]) => r[k]))),
  ].join('\n');
}

export function markdownTable(rows: readonly Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.map(([, t]) => t).join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${COLUMNS.map(([k]) => esc(r[k])).join(' | ')} |`),
  ].join('\n');
}
