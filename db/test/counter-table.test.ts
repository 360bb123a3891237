/**
 * The counter table of `@dudao/domain` (domain/src/counters.ts) is the one statement of what each
 * event counts. The rebuild and the rollups are SQL of their own: these checks fail when the table
 * moves a counter (in a window) that either of them does not produce, or when they produce one the
 * table does not know. That they produce the same values is the property tests' job.
 */
import { describe, expect, it } from 'vitest';
import { movedCounters, REGISTRY_COUNTERS } from '@dudao/domain';
import { REBUILT_COUNTERS } from '../src/queries/live-image.ts';
import { rollupDeltas } from '../src/queries/rollup-deltas.ts';

/** Every counter the table knows: the ones events move and the registry's sizes. */
const known = new Set([...movedCounters(), ...REGISTRY_COUNTERS.map((counter) => `${counter}:total`)]);
const sorted = (set: Iterable<string>) => [...set].sort();

const rolledUp = rollupDeltas({
  timezone: 'Asia/Shanghai',
  start: '2026-11-25T16:00:00Z',
  end: '2026-11-26T16:00:00Z',
  monthStartAt: '2026-10-31T16:00:00Z',
  monthStartDay: '2026-11-01',
  fromMonth: '2026-11',
  toMonth: '2026-11',
}).counters;

describe('the counter table against the SQL that restates it', () => {
  it('the rebuild produces every counter of the table, in every window, and no other', () => {
    expect(sorted(REBUILT_COUNTERS)).toEqual(sorted(known));
  });

  it('the rollups produce every counter of the table but the hourly one, and no other', () => {
    // `activity.hourly` is a list of today's hours, not a daily value: the rollups leave it out.
    const expected = [...known].filter((counter) => counter !== 'hour:day');
    expect(sorted(rolledUp)).toEqual(sorted(expected));
  });
});
