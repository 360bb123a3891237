import { describe, expect, it } from 'vitest';
import { filterFromQuery, ledgerSearch, withFilter, withoutFilters } from '../../src/lib/ledgerQuery.ts';
import { attachmentName } from '../../src/composables/useDownload.ts';

describe('SPEC §13 the ledger filters in the URL', () => {
  it('reads only the filters, trimmed, dropping empty ones', () => {
    expect(
      filterFromQuery({ tab: 'issues', status: 'overdue', q: ' 一中 ', school: '', severity: ['x'] }),
    ).toEqual({
      status: 'overdue',
      q: '一中',
    });
  });

  it('an emptied filter leaves the URL; other keys stay', () => {
    const q = withFilter({ tab: 'issues', status: 'open' }, { status: '', category: 'fees' });
    expect(q).toEqual({ tab: 'issues', category: 'fees' });
    expect(withoutFilters({ tab: 'issues', issue: 'i1', category: 'fees', overdueDays: '3' })).toEqual({
      tab: 'issues',
      issue: 'i1',
    });
  });

  it('the API query carries the scope, the filters and the extras', () => {
    const search = ledgerSearch({ scope: '430202', status: 'open', overdueDays: '3', q: '一中' }, '430211', {
      format: 'csv',
    });
    expect(Object.fromEntries(new URLSearchParams(search))).toEqual({
      scope: '430211',
      status: 'open',
      overdueDays: '3',
      q: '一中',
      format: 'csv',
    });
  });
});

describe('the export file name', () => {
  it('prefers the UTF-8 name the service gives, then the plain one', () => {
    const both = `attachment; filename="ledger-city.csv"; filename*=UTF-8''${encodeURIComponent('问题台账-ledger-city.csv')}`;
    expect(attachmentName(both, 'x')).toBe('问题台账-ledger-city.csv');
    expect(attachmentName('attachment; filename="ledger-city.csv"', 'x')).toBe('ledger-city.csv');
    expect(attachmentName(null, 'ledger.csv')).toBe('ledger.csv');
  });
});
