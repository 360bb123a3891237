import { describe, expect, it } from 'vitest';
import { quickRange, quickRangeOf, rangeFromQuery, rangeProblem } from '../../src/lib/dateRange.ts';

// 2026-12-03 is a Thursday.
const TODAY = '2026-12-03';

describe('SPEC §15 the district page range', () => {
  it('quick choices: this week from Monday, this month, last month, the last 90 days', () => {
    expect(quickRange('week', TODAY)).toEqual({ from: '2026-11-30', to: TODAY });
    expect(quickRange('week', '2026-11-30')).toEqual({ from: '2026-11-30', to: '2026-11-30' });
    expect(quickRange('week', '2026-12-06')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(quickRange('month', TODAY)).toEqual({ from: '2026-12-01', to: TODAY });
    expect(quickRange('lastMonth', TODAY)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(quickRange('lastMonth', '2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(quickRange('lastMonth', '2026-01-05')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(quickRange('last90', TODAY)).toEqual({ from: '2026-09-05', to: TODAY });
  });

  it('names the quick choice a range is', () => {
    expect(quickRangeOf({ from: '2026-11-01', to: '2026-11-30' }, TODAY)).toBe('lastMonth');
    expect(quickRangeOf({ from: '2026-11-02', to: '2026-11-30' }, TODAY)).toBeNull();
  });

  it('reads the range from the URL, falling back to the last 30 days on a bad one', () => {
    expect(rangeFromQuery({ from: '2026-10-01', to: '2026-10-31' }, TODAY)).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
    });
    const fallback = { from: '2026-11-04', to: TODAY };
    expect(rangeFromQuery({}, TODAY)).toEqual(fallback);
    expect(rangeFromQuery({ from: '2026-10-31', to: '2026-10-01' }, TODAY)).toEqual(fallback);
    expect(rangeFromQuery({ from: '2026-02-30', to: '2026-03-01' }, TODAY)).toEqual(fallback);
  });

  it('says why a range cannot be asked for', () => {
    expect(rangeProblem({ from: '2026-12-01', to: '2026-12-04' }, TODAY)).toBe('future');
    expect(rangeProblem({ from: '2026-12-02', to: '2026-12-01' }, TODAY)).toBe('order');
    expect(rangeProblem({ from: '2025-01-01', to: TODAY }, TODAY)).toBe('tooLong');
    expect(rangeProblem({ from: 'x', to: TODAY }, TODAY)).toBe('day');
    expect(rangeProblem({ from: '2025-10-30', to: TODAY }, TODAY)).toBeNull();
  });
});
