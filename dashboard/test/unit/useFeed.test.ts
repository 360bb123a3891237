// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import type { ScopeHandlers } from '../../src/composables/useLiveSocket.ts';
import { feedItem, snapshot } from './fixtures.ts';

const fake = vi.hoisted(() => ({
  handlers: new Map<string, ScopeHandlers>(),
  fetched: [] as string[],
  /** when set, fetches wait for it */
  gate: null as Promise<void> | null,
}));
vi.mock('../../src/composables/useLiveSocket.ts', () => ({
  subscribeScope: (scope: string, h: ScopeHandlers) => {
    fake.handlers.set(scope, h);
    return () => fake.handlers.delete(scope);
  },
}));
vi.mock('../../src/composables/useApi.ts', () => ({
  apiGet: async (path: string) => {
    fake.fetched.push(path);
    await fake.gate;
    return [feedItem('old2'), feedItem('old1')];
  },
}));
const { useFeed } = await import('../../src/composables/useFeed.ts');

describe('useFeed: fetched on subscribe, new items one per animation boundary', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    fake.handlers.clear();
    fake.fetched.length = 0;
    fake.gate = null;
  });
  afterEach(() => vi.useRealTimers());

  it('loads the latest items on (re)subscribe and shows pushed ones one step at a time', async () => {
    const arrived: string[] = [];
    const s = effectScope();
    const feed = s.run(() =>
      useFeed('city', {
        maxVisible: 5,
        stepMs: 1000,
        onArrive: (xs) => arrived.push(...xs.map((x) => x.id)),
      }),
    )!;
    fake.handlers.get('city')!.onSnapshot!(snapshot(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.fetched).toEqual(['/api/v1/feed?scope=city&limit=5']);
    expect(feed.items.value.map((i) => i.id)).toEqual(['old2', 'old1']);

    fake.handlers.get('city')!.onFeed!({ scope: 'city', items: [feedItem('n2'), feedItem('n1')] });
    expect(arrived).toEqual(['n2', 'n1']);
    expect(feed.items.value.map((i) => i.id)).toEqual(['old2', 'old1']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(feed.items.value.map((i) => i.id)).toEqual(['n1', 'old2', 'old1']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(feed.items.value.map((i) => i.id)).toEqual(['n2', 'n1', 'old2', 'old1']);
    s.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps an item pushed while a fetch was on its way, even once it is on screen', async () => {
    let land!: () => void;
    fake.gate = new Promise((resolve) => (land = resolve));
    const s = effectScope();
    const feed = s.run(() => useFeed('city', { maxVisible: 5, stepMs: 1000 }))!;
    fake.handlers.get('city')!.onSnapshot!(snapshot(1)); // the fetch leaves, the server reads its list
    fake.handlers.get('city')!.onFeed!({ scope: 'city', items: [feedItem('new')] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(feed.items.value.map((i) => i.id)).toEqual(['new']);
    land(); // the list read before 'new' was written arrives after it was shown
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.items.value.map((i) => i.id)).toEqual(['new', 'old2', 'old1']);
    s.stop();
  });
});
