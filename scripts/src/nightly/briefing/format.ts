/** Number and HTML formatting for the briefing: Chinese report conventions (个百分点, 增加/减少). */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type Kind = 'count' | 'rate' | 'hours';

export function formatValue(v: number | null | undefined, kind: Kind): string {
  if (v === null || v === undefined) return '—';
  if (kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (kind === 'hours') return `${v.toFixed(1)}小时`;
  return v.toLocaleString('zh-CN');
}

/** The change from `prev` to `cur`: "增加3" / "减少2" / "持平"; rates in 个百分点; "—" without `prev`. */
export function formatChange(cur: number | undefined, prev: number | undefined, kind: Kind): string {
  if (cur === undefined || prev === undefined) return '—';
  const delta = kind === 'rate' ? Math.round((cur - prev) * 1000) / 10 : cur - prev;
  if (delta === 0) return '持平';
  const size =
    kind === 'rate' ? `${Math.abs(delta).toFixed(1)}个百分点` : Math.abs(delta).toLocaleString('zh-CN');
  if (kind === 'rate') return `${delta > 0 ? '上升' : '下降'}${size}`;
  return `${delta > 0 ? '增加' : '减少'}${size}`;
}

export interface Column<R> {
  head: string;
  cell: (row: R) => string;
  /** numbers align right */
  num?: boolean;
}

/** A bordered report table; cells are already escaped HTML. */
export function table<R>(columns: Column<R>[], rows: R[], foot?: string[]): string {
  const th = columns.map((c) => `<th>${c.head}</th>`).join('');
  const tr = (cells: string[]) =>
    `<tr>${cells.map((cell, i) => `<td${columns[i]?.num ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`;
  const body = rows.map((r) => tr(columns.map((c) => c.cell(r)))).join('\n');
  const tfoot = foot ? `<tfoot>${tr(foot)}</tfoot>` : '';
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody>${tfoot}</table>`;
}

/** 2026-11-26 → 2026年11月26日 */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** A chart with its numbered caption (图N, an ideographic space, the title). */
export const figure = (svg: string, n: number, caption: string) =>
  `<figure>${svg}<figcaption>图${n}\u3000${caption}</figcaption></figure>`;

/** A paragraph from pieces joined as they are: a line break inside Chinese text would print as a space. */
export const para = (...pieces: string[]) => `<p>${pieces.join('')}</p>`;
