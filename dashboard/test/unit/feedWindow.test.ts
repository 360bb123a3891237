import { describe, expect, it } from 'vitest';
import {
  emptyFeed,
  enqueueFeed,
  flushFeed,
  newerThanKnown,
  resetFeed,
  stepFeed,
} from '../../src/lib/feedWindow.ts';
import { feedItem } from './fixtures.ts';

const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('the live feed: bounded lists that take new items at animation boundaries', () => {
  it('queues pushed items (newest first on the wire) oldest first, skipping duplicates', () => {
    let w = resetFeed([feedItem('a')]);
    w = enqueueFeed(w, [feedItem('c'), feedItem('b'), feedItem('a')]);
    expect(ids(w.pending)).toEqual(['b', 'c']);
    expect(ids(w.visible)).toEqual(['a']);
  });

  it("takes from a push only what is newer than the newest it knows: a first push's lookback is history", () => {
    const w = resetFeed([feedItem('c'), feedItem('b')]);
    // the server's first push to a new subscriber: its whole lookback, newest first
    const push = [feedItem('e'), feedItem('d'), feedItem('c'), feedItem('b'), feedItem('a'), feedItem('z')];
    expect(ids(newerThanKnown(w, push))).toEqual(['e', 'd']);
    expect(ids(newerThanKnown(emptyFeed(), push))).toEqual(ids(push));
  });

  it('shows one waiting item per step, at the top', () => {
    let w = enqueueFeed(resetFeed([feedItem('a')]), [feedItem('c'), feedItem('b')]);
    w = stepFeed(w);
    expect(ids(w.visible)).toEqual(['b', 'a']);
    w = stepFeed(w);
    expect(ids(w.visible)).toEqual(['c', 'b', 'a']);
    expect(stepFeed(w)).toBe(w);
  });

  it('never grows past its caps, however many items arrive', () => {
    let w = emptyFeed();
    for (let i = 0; i < 10_000; i++) {
      w = enqueueFeed(w, [feedItem(`e${i}`)], 12);
      if (i % 3 === 0) w = stepFeed(w, 30);
    }
    expect(w.pending.length).toBeLessThanOrEqual(12);
    expect(w.visible.length).toBeLessThanOrEqual(30);
    expect(w.pending.at(-1)!.id).toBe('e9999');
  });

  it('puts everything waiting on screen at once after the page was hidden', () => {
    const w = flushFeed(enqueueFeed(resetFeed([feedItem('a')]), [feedItem('c'), feedItem('b')]));
    expect(ids(w.visible)).toEqual(['c', 'b', 'a']);
    expect(w.pending).toEqual([]);
  });

  it('resets from a fetched list without duplicates, within the visible cap', () => {
    const w = resetFeed([feedItem('a'), feedItem('a'), feedItem('b'), feedItem('c')], 2);
    expect(ids(w.visible)).toEqual(['a', 'b']);
  });
});
