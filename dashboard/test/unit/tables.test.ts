import { describe, expect, it } from 'vitest';
import type { IssueLedgerRow } from '@dudao/domain';
import {
  appendPage,
  filterSchools,
  listItems,
  sortLedger,
  sortRows,
  toggleSort,
} from '../../src/lib/tables.ts';
import { school } from './fixtures.ts';

const issue = (id: string, p: Partial<IssueLedgerRow> = {}): IssueLedgerRow => ({
  id,
  target: { kind: 'school', id: 's', name: 'x' },
  category: 'homework',
  severity: 'minor',
  status: 'open',
  overdue: false,
  daysOverdue: 0,
  raisedAt: '2026-11-01T00:00:00Z',
  deadline: '2026-11-20T00:00:00Z',
  submittedAt: null,
  closedAt: null,
  reopenCount: 0,
  inspectionId: null,
  ...p,
});

describe('the schools table: sort, filter by stage, "not visited this month"', () => {
  it('sorts by a column with missing values last in either direction', () => {
    const rows = [
      school('a', { lastVisitAt: null }),
      school('b', { lastVisitAt: '2026-11-02' }),
      school('c', { lastVisitAt: '2026-11-09' }),
    ];
    expect(sortRows(rows, { key: 'lastVisitAt', dir: 'desc' }).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(sortRows(rows, { key: 'lastVisitAt', dir: 'asc' }).map((r) => r.id)).toEqual(['b', 'c', 'a']);
  });

  it('toggles the direction on the same column, starts fresh on another', () => {
    expect(toggleSort({ key: 'a', dir: 'desc' }, 'a')).toEqual({ key: 'a', dir: 'asc' });
    expect(toggleSort({ key: 'a', dir: 'asc' }, 'b', 'asc')).toEqual({ key: 'b', dir: 'asc' });
  });

  it('filters by stage, unvisited schools and name', () => {
    const rows = [
      school('a', { stage: 'junior', inspectionsThisMonth: 0 }),
      school('b', { stage: 'junior' }),
      school('c', { inspectionsThisMonth: 0, name: '银海小学' }),
    ];
    expect(
      filterSchools(rows, { stage: 'junior', notVisitedOnly: false, query: '' }).map((r) => r.id),
    ).toEqual(['a', 'b']);
    expect(filterSchools(rows, { stage: '', notVisitedOnly: true, query: '' }).map((r) => r.id)).toEqual([
      'a',
      'c',
    ]);
    expect(filterSchools(rows, { stage: '', notVisitedOnly: false, query: '银海' }).map((r) => r.id)).toEqual(
      ['c'],
    );
  });
});

describe('the issue ledger: overdue first, most days overdue first', () => {
  it('orders overdue issues first, then newest raised', () => {
    const rows = [
      issue('new', { raisedAt: '2026-11-20T00:00:00Z' }),
      issue('late2', { overdue: true, daysOverdue: 2 }),
      issue('late9', { overdue: true, daysOverdue: 9 }),
      issue('old', { raisedAt: '2026-11-02T00:00:00Z' }),
    ];
    expect(sortLedger(rows).map((r) => r.id)).toEqual(['late9', 'late2', 'new', 'old']);
  });

  it('joins pages without duplicates', () => {
    expect(appendPage([issue('a'), issue('b')], [issue('b'), issue('c')]).map((r) => r.id)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('accepts a bare list or a page', () => {
    expect(listItems([1, 2])).toEqual([1, 2]);
    expect(listItems({ items: [3] })).toEqual([3]);
    expect(listItems(null)).toEqual([]);
  });
});
