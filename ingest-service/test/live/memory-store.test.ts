/** What only the in-process store does: it forgets old windows so a long-running process stays flat. */
import { describe, expect, it } from 'vitest';
import { COUNTER_FIELD, type Delta } from '@dudao/domain';
import { MemoryLiveStore } from '../../src/live/memory-store.ts';
import { TZ } from './backends.ts';

const A = '430202';
const at = (local: string) => Date.parse(`${local}+08:00`);

const inspectionOn = (day: string): Delta[] => [
  { op: 'incr', district: A, bucket: `day:${day}`, field: COUNTER_FIELD.inspections, by: 1 },
  { op: 'incr', district: A, bucket: `month:${day.slice(0, 7)}`, field: COUNTER_FIELD.inspections, by: 1 },
  { op: 'addMember', district: A, set: 'inspectors', window: day, member: 'P1' },
  { op: 'addMember', district: A, set: 'coveredSchools', window: day.slice(0, 7), member: 'S1' },
];

describe('memory live store pruning (by its injected clock)', () => {
  it('keeps today and yesterday, this month and the last, and drops older windows on a new day', async () => {
    let clock = at('2026-10-31T09:00:00');
    const store = new MemoryLiveStore({ timezone: TZ, now: () => clock });
    await store.apply(
      [...inspectionOn('2026-09-30'), ...inspectionOn('2026-10-30'), ...inspectionOn('2026-10-31')],
      [],
    );

    clock = at('2026-11-01T08:00:00');
    await store.apply([], []);
    const read = async (local: string) => (await store.read([A], at(local))).counters.get(A);

    const october31 = await read('2026-10-31T12:00:00');
    expect(october31?.today).toEqual({ [COUNTER_FIELD.inspections]: 1 });
    expect(october31?.month).toEqual({ [COUNTER_FIELD.inspections]: 2 });
    expect(october31?.coveredSchools).toBe(1);
    const october30 = await read('2026-10-30T12:00:00');
    expect(october30?.today).toEqual({});
    expect(october30?.inspectorsToday).toBe(0);
    const september = await read('2026-09-30T12:00:00');
    expect(september?.month).toEqual({});
    expect(september?.coveredSchools).toBe(0);
  });

  it('prunes at most once per local day: windows written after the prune stay until the next day', async () => {
    let clock = at('2026-11-26T01:00:00');
    const store = new MemoryLiveStore({ timezone: TZ, now: () => clock });
    await store.apply([], []);
    // A late event for a day before yesterday, accepted after today's prune.
    await store.apply(inspectionOn('2026-11-20'), []);
    clock = at('2026-11-26T23:59:00');
    await store.apply([], []);
    expect((await store.read([A], at('2026-11-20T12:00:00'))).counters.get(A)?.today).toEqual({
      [COUNTER_FIELD.inspections]: 1,
    });
    clock = at('2026-11-27T00:01:00');
    await store.apply([], []);
    expect((await store.read([A], at('2026-11-20T12:00:00'))).counters.get(A)?.today).toEqual({});
  });
});
