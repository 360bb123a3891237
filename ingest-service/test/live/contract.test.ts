/** The LiveStore contract (src/live/store.ts), run against every backend alike. */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  countersAt,
  emptyCounters,
  emptyDistrictImage,
  COUNTER_FIELD,
  type Bucket,
  type Delta,
  type FeedItem,
  type LiveImage,
} from '@dudao/domain';
import { CITY_SCOPE, MAX_FEED_ITEMS, type LiveStore } from '../../src/live/store.ts';
import { backends, TZ } from './backends.ts';

const A = '430202';
const B = '430203';
const C = '430211';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** 10:00 in Zhuzhou on 2026-11-26 */
const T = Date.parse('2026-11-26T10:00:00+08:00');

const incr = (district: string, bucket: Bucket, field: string, by = 1): Delta => ({
  op: 'incr',
  district,
  bucket,
  field,
  by,
});

const item = (n: number, district = A): FeedItem => ({
  id: `evt-${String(n).padStart(4, '0')}`,
  type: 'inspection.started',
  district,
  districtName: district,
  occurredAt: new Date(T + n).toISOString(),
  detail: { n },
});

describe.each(backends())('live store contract: $name', (backend) => {
  let store: LiveStore;
  beforeEach(async () => {
    store = await backend.create();
  });
  afterEach(() => store.close());
  afterAll(() => backend.cleanup());

  describe('apply and read', () => {
    it('reads back the counters of now: today, this month, total, set sizes, newest event', async () => {
      await store.apply(
        [
          incr(A, 'total', COUNTER_FIELD.inspections, 2),
          incr(A, 'total', COUNTER_FIELD.inProgress),
          incr(A, 'day:2026-11-26', COUNTER_FIELD.inspections),
          incr(A, 'day:2026-11-26', COUNTER_FIELD.hour(10)),
          incr(A, 'day:2026-11-25', COUNTER_FIELD.inspections),
          incr(A, 'month:2026-11', COUNTER_FIELD.inspections, 2),
          incr(A, 'total', COUNTER_FIELD.closeMsSum, 7 * 24 * HOUR_MS),
          { op: 'addMember', district: A, set: 'inspectors', window: '2026-11-26', member: 'P1' },
          { op: 'addMember', district: A, set: 'inspectors', window: '2026-11-26', member: 'P1' },
          { op: 'addMember', district: A, set: 'inspectors', window: '2026-11-25', member: 'P2' },
          { op: 'addMember', district: A, set: 'coveredSchools', window: '2026-11', member: 'S1' },
          { op: 'addMember', district: A, set: 'coveredInstitutions', window: '2026-10', member: 'I1' },
          { op: 'seen', district: A, occurredAtMs: T },
          { op: 'seen', district: A, occurredAtMs: T - HOUR_MS },
        ],
        [],
      );
      const { counters } = await store.read([A, B], T);
      expect(counters.get(A)).toEqual({
        total: {
          [COUNTER_FIELD.inspections]: 2,
          [COUNTER_FIELD.inProgress]: 1,
          [COUNTER_FIELD.closeMsSum]: 7 * 24 * HOUR_MS,
        },
        today: { [COUNTER_FIELD.inspections]: 1, [COUNTER_FIELD.hour(10)]: 1 },
        month: { [COUNTER_FIELD.inspections]: 2 },
        inspectorsToday: 1,
        coveredSchools: 1,
        coveredInstitutions: 0,
        overdue: 0,
        lastEventAt: T,
      });
      expect(counters.get(B)).toEqual(emptyCounters());
    });

    it('keeps a field that went up and down again at 0, as applyDeltas does', async () => {
      await store.apply([incr(A, 'total', COUNTER_FIELD.open), incr(A, 'total', COUNTER_FIELD.open, -1)], []);
      const { counters } = await store.read([A], T);
      expect(counters.get(A)?.total).toEqual({ [COUNTER_FIELD.open]: 0 });
    });
  });

  describe('versions', () => {
    it('only grow, and a change bumps its district and the city, not the others', async () => {
      const v0 = (await store.read([A, B], T)).versions;
      await store.apply([incr(A, 'total', COUNTER_FIELD.raised)], []);
      const v1 = (await store.read([A, B], T)).versions;
      expect(v1.get(A)).toBeGreaterThan(v0.get(A) ?? Infinity);
      expect(v1.get(CITY_SCOPE)).toBeGreaterThan(v0.get(CITY_SCOPE) ?? Infinity);
      expect(v1.get(B)).toBe(v0.get(B));

      await store.touch([B]);
      const v2 = (await store.read([A, B], T)).versions;
      expect(v2.get(B)).toBeGreaterThan(v1.get(B) ?? Infinity);
      expect(v2.get(CITY_SCOPE)).toBeGreaterThan(v1.get(CITY_SCOPE) ?? Infinity);
      expect(v2.get(A)).toBe(v1.get(A));

      const wall = Date.now();
      await store.replace(new Map([[C, emptyDistrictImage()]]));
      const v3 = (await store.read([A, B, C], T)).versions;
      for (const scope of [A, B, CITY_SCOPE])
        expect(v3.get(scope)).toBeGreaterThan(v2.get(scope) ?? Infinity);
      expect(v3.get(C)).toBeGreaterThanOrEqual(wall);
    });

    it('are 0 for a scope never changed, the wall clock at its first change, then count up by one', async () => {
      const v0 = (await store.read([A], T)).versions;
      expect([v0.get(A), v0.get(CITY_SCOPE)]).toEqual([0, 0]);

      const wall = Date.now();
      await store.apply([incr(A, 'total', COUNTER_FIELD.raised)], []);
      const v1 = (await store.read([A, B], T)).versions;
      expect(v1.get(A)).toBeGreaterThanOrEqual(wall);
      expect(v1.get(CITY_SCOPE)).toBeGreaterThanOrEqual(wall);
      expect(v1.get(B)).toBe(0);

      await store.touch([A]);
      const v2 = (await store.read([A], T)).versions;
      expect(v2.get(A)).toBe((v1.get(A) ?? NaN) + 1);
      expect(v2.get(CITY_SCOPE)).toBe((v1.get(CITY_SCOPE) ?? NaN) + 1);
    });
  });

  describe('feed', () => {
    it('is newest first, per district and for the city, capped at MAX_FEED_ITEMS', async () => {
      const items = Array.from({ length: MAX_FEED_ITEMS + 5 }, (_, i) => item(i + 1, i % 2 === 0 ? A : B));
      await store.apply([], items.slice(0, 100));
      await store.apply([], items.slice(100));

      const city = await store.feed(CITY_SCOPE, 1_000);
      expect(city).toHaveLength(MAX_FEED_ITEMS);
      expect(city[0]).toEqual(items.at(-1));
      expect(city.at(-1)).toEqual(items[5]);

      const a = await store.feed(A, 3);
      expect(a.map((i) => i.id)).toEqual(['evt-0205', 'evt-0203', 'evt-0201']);
      expect(await store.feed(C, 10)).toEqual([]);
      expect(await store.feed(A, 0)).toEqual([]);
    });
  });

  describe('deadlines', () => {
    it('count as overdue once strictly past, moving with the clock and no new delta', async () => {
      await store.apply(
        [
          { op: 'setDeadline', district: A, issueId: 'I1', deadlineMs: T },
          { op: 'setDeadline', district: A, issueId: 'I2', deadlineMs: T + HOUR_MS },
          { op: 'setDeadline', district: A, issueId: 'I3', deadlineMs: T - HOUR_MS },
          { op: 'clearDeadline', district: A, issueId: 'I3' },
        ],
        [],
      );
      const overdueAt = async (now: number) => (await store.read([A], now)).counters.get(A)?.overdue;
      expect(await overdueAt(T - 1)).toBe(0);
      expect(await overdueAt(T)).toBe(0);
      expect(await overdueAt(T + 1)).toBe(1);
      expect(await overdueAt(T + 2 * HOUR_MS)).toBe(2);

      await store.apply([{ op: 'clearDeadline', district: A, issueId: 'I1' }], []);
      expect(await overdueAt(T + 2 * HOUR_MS)).toBe(1);
      // A failed revisit sets a new deadline on the same issue: it replaces the old one.
      await store.apply([{ op: 'setDeadline', district: A, issueId: 'I2', deadlineMs: T + 3 * HOUR_MS }], []);
      expect(await overdueAt(T + 2 * HOUR_MS)).toBe(0);
    });

    it('deadlinesPassed names the districts with a deadline in (from, to]', async () => {
      await store.apply(
        [
          { op: 'setDeadline', district: A, issueId: 'I1', deadlineMs: T },
          { op: 'setDeadline', district: B, issueId: 'I2', deadlineMs: T + 10 },
          { op: 'setDeadline', district: C, issueId: 'I3', deadlineMs: T + 20 },
          { op: 'clearDeadline', district: C, issueId: 'I3' },
        ],
        [],
      );
      expect(await store.deadlinesPassed(T - 1, T)).toEqual([A]);
      expect(await store.deadlinesPassed(T, T + 10)).toEqual([B]);
      expect((await store.deadlinesPassed(T - 1, T + 30)).sort()).toEqual([A, B]);
      expect(await store.deadlinesPassed(T + 10, T + 30)).toEqual([]);
    });
  });

  describe('windows', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("keep today and yesterday, this month and the last, of the store's clock whatever the wall clock says", async () => {
      let clock = T;
      const timed = await backend.create({ now: () => clock });
      // The wall two months ahead of the service's clock, then on its next day: a prune by the
      // wall would drop every window the service still reads.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(T + 60 * DAY_MS);
      await timed.apply(
        [
          incr(A, 'day:2026-11-26', COUNTER_FIELD.inspections),
          incr(A, 'month:2026-11', COUNTER_FIELD.inspections),
          incr(A, 'month:2026-10', COUNTER_FIELD.inspections),
          { op: 'addMember', district: A, set: 'inspectors', window: '2026-11-26', member: 'P1' },
          { op: 'addMember', district: A, set: 'coveredSchools', window: '2026-11', member: 'S1' },
        ],
        [],
      );
      vi.setSystemTime(T + 61 * DAY_MS);
      clock = T + DAY_MS;
      await timed.apply([incr(B, 'total', COUNTER_FIELD.raised)], []);

      const yesterday = (await timed.read([A], T)).counters.get(A);
      expect(yesterday?.today).toEqual({ [COUNTER_FIELD.inspections]: 1 });
      expect(yesterday?.inspectorsToday).toBe(1);
      const today = (await timed.read([A], clock)).counters.get(A);
      expect(today?.month).toEqual({ [COUNTER_FIELD.inspections]: 1 });
      expect(today?.coveredSchools).toBe(1);
      expect((await timed.read([A], Date.parse('2026-10-15T10:00:00+08:00'))).counters.get(A)?.month).toEqual(
        {
          [COUNTER_FIELD.inspections]: 1,
        },
      );
    });
  });

  describe('replace', () => {
    it('swaps every counter for the image, keeps the feed, and takes deltas on top', async () => {
      await store.apply(
        [
          incr(A, 'total', COUNTER_FIELD.raised, 5),
          incr(B, 'day:2026-11-26', COUNTER_FIELD.inspections),
          { op: 'setDeadline', district: B, issueId: 'I9', deadlineMs: T - 1 },
          { op: 'addMember', district: B, set: 'inspectors', window: '2026-11-26', member: 'P9' },
          { op: 'seen', district: B, occurredAtMs: T },
        ],
        [item(1, B)],
      );
      const image: LiveImage = new Map([
        [A, emptyDistrictImage()],
        [C, emptyDistrictImage()],
      ]);
      const a = image.get(A)!;
      a.buckets.set('total', new Map([[COUNTER_FIELD.raised, 3]]));
      a.buckets.set('month:2026-11', new Map([[COUNTER_FIELD.reporting, 4]]));
      a.members.set('coveredSchools:2026-11', new Set(['S1', 'S2']));
      a.deadlines.set('I1', T - HOUR_MS);
      a.lastEventAt = T - 2 * HOUR_MS;
      image.get(C)!.buckets.set('day:2026-11-26', new Map([[COUNTER_FIELD.hour(9), 2]]));

      await store.replace(image);
      const read = await store.read([A, B, C], T);
      for (const d of [A, B, C]) expect(read.counters.get(d)).toEqual(countersAt(image.get(d), T, TZ));
      expect((await store.feed(B, 5)).map((i) => i.id)).toEqual([item(1).id]);

      await store.apply([incr(A, 'total', COUNTER_FIELD.raised)], []);
      expect((await store.read([A], T)).counters.get(A)?.total).toEqual({ [COUNTER_FIELD.raised]: 4 });
    });

    it('puts back the feeds it is given (newest first, at most MAX_FEED_ITEMS), keeps the others', async () => {
      await store.apply([], [item(1, A), item(2, B), item(3, C)]);
      const cityFeed = Array.from({ length: MAX_FEED_ITEMS + 5 }, (_, i) =>
        item(MAX_FEED_ITEMS + 100 - i, A),
      );
      const bFeed = [item(20, B), item(10, B)];
      await store.replace(
        new Map(),
        new Map([
          [CITY_SCOPE, cityFeed],
          [A, []],
          [B, bFeed],
        ]),
      );
      const ids = async (scope: string) => (await store.feed(scope, MAX_FEED_ITEMS + 10)).map((i) => i.id);
      expect(await ids(CITY_SCOPE)).toEqual(cityFeed.slice(0, MAX_FEED_ITEMS).map((i) => i.id));
      expect(await ids(A)).toEqual([]);
      expect(await ids(B)).toEqual([item(20).id, item(10).id]);
      expect(await ids(C)).toEqual([item(3).id]);
      // Deltas go on top of the refilled lists.
      await store.apply([], [item(30, B)]);
      expect(await ids(B)).toEqual([item(30).id, item(20).id, item(10).id]);
      expect((await ids(CITY_SCOPE))[0]).toBe(item(30).id);
    });
  });

  describe('onChange', () => {
    it('tells listeners the districts of apply, touch and replace, until they unsubscribe', async () => {
      const heard: string[][] = [];
      const unsubscribe = store.onChange((districts) => heard.push([...districts].sort()));
      await store.apply(
        [incr(A, 'total', COUNTER_FIELD.raised), incr(B, 'total', COUNTER_FIELD.raised)],
        [item(1, C)],
      );
      await store.touch([B]);
      await store.replace(new Map([[C, emptyDistrictImage()]]));
      unsubscribe();
      await store.touch([A]);
      expect(heard).toEqual([[A, B, C], [B], [A, B, C]]);
    });
  });

  describe('ping', () => {
    it('answers true while the store is reachable', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
});
