/** Client-side sorting and filtering of the laptop view's tables (pure, unit-tested). */
import type { IssueLedgerRow, SchoolRow } from '@dudao/domain';

export type SortDir = 'asc' | 'desc';
export interface SortState {
  key: string;
  dir: SortDir;
}

const cmp = (a: unknown, b: unknown): number => {
  // nulls (never visited, not closed) sort last whatever the direction is handled by the caller
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'zh-CN');
};

/** Stable sort by one column; null/undefined always last. */
export function sortRows<T>(rows: readonly T[], sort: SortState): T[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => {
      const a = (x.row as Record<string, unknown>)[sort.key];
      const b = (y.row as Record<string, unknown>)[sort.key];
      const an = a === null || a === undefined;
      const bn = b === null || b === undefined;
      if (an || bn) return an === bn ? x.i - y.i : an ? 1 : -1;
      return sign * cmp(a, b) || x.i - y.i;
    })
    .map((x) => x.row);
}

export function toggleSort(current: SortState, key: string, defaultDir: SortDir = 'desc'): SortState {
  if (current.key !== key) return { key, dir: defaultDir };
  return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
}

export interface SchoolFilter {
  stage: SchoolRow['stage'] | '';
  notVisitedOnly: boolean;
  query: string;
}

export function filterSchools(rows: readonly SchoolRow[], f: SchoolFilter): SchoolRow[] {
  const q = f.query.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!f.stage || r.stage === f.stage) &&
      (!f.notVisitedOnly || r.inspectionsThisMonth === 0) &&
      (!q || r.name.toLowerCase().includes(q)),
  );
}

/** The ledger's order: overdue first (most days overdue first), then newest raised. */
export function sortLedger<T extends IssueLedgerRow>(rows: readonly T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      b.daysOverdue - a.daysOverdue ||
      Date.parse(b.raisedAt) - Date.parse(a.raisedAt) ||
      a.id.localeCompare(b.id),
  );
}

/** Pages of the ledger joined without duplicates (a row may move between pages while we read). */
export function appendPage<T extends { id: string }>(rows: readonly T[], page: readonly T[]): T[] {
  const seen = new Set(rows.map((r) => r.id));
  return [...rows, ...page.filter((r) => !seen.has(r.id))];
}

/** The service may answer a list route with a bare array or a page: accept both. */
export function listItems<T>(body: T[] | { items: T[] } | null | undefined): T[] {
  if (!body) return [];
  return Array.isArray(body) ? body : (body.items ?? []);
}
