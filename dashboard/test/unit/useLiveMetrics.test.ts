// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, ref } from 'vue';
import { diffSnapshot } from '@dudao/domain';
import type { Snapshot } from '@dudao/domain';
import type { ScopeHandlers } from '../../src/composables/useLiveSocket.ts';
import { snapshot } from './fixtures.ts';

// The one shared socket, replaced by a fake that the test drives.
const fake = vi.hoisted(() => ({
  handlers: new Map<string, ScopeHandlers>(),
  resubscribed: [] as string[],
  lastContactMs: null as null | { value: number | null },
  /** what GET /api/v1/metrics answers (null: it fails) and the paths asked */
  fetched: null as Snapshot | null,
  paths: [] as string[],
}));
vi.mock('../../src/composables/useApi.ts', () => ({
  apiGet: async (path: string) => {
    fake.paths.push(path);
    if (!fake.fetched) throw new Error('503');
    return fake.fetched;
  },
}));
vi.mock('../../src/composables/useLiveSocket.ts', async () => {
  const { ref: vueRef } = await import('vue');
  const lastContactMs = vueRef<number | null>(null);
  fake.lastContactMs = lastContactMs;
  return {
    subscribeScope: (scope: string, h: ScopeHandlers) => {
      fake.handlers.set(scope, h);
      return () => fake.handlers.delete(scope);
    },
    resubscribe: (scope: string) => fake.resubscribed.push(scope),
    useLiveSocket: () => ({
      connected: vueRef(true),
      lastContactMs,
      connectingSinceMs: vueRef(Date.now()),
      health: vueRef(null),
    }),
  };
});

const { useLiveMetrics } = await import('../../src/composables/useLiveMetrics.ts');

describe('useLiveMetrics: snapshot on connect, versioned updates in order, stale when the link drops', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-11-26T06:00:00Z'));
    fake.handlers.clear();
    fake.resubscribed.length = 0;
    fake.fetched = null;
    fake.paths.length = 0;
  });
  afterEach(() => vi.useRealTimers());

  function mount(scope = 'city') {
    const s = effectScope();
    const live = s.run(() => useLiveMetrics(ref(scope)))!;
    return { live, stop: () => s.stop(), h: () => fake.handlers.get(scope)! };
  }

  it('is connecting with no data ("—") until the subscribe ack brings a snapshot', () => {
    const { live, h, stop } = mount();
    expect(live.state.value).toBe('connecting');
    expect(live.metrics.value).toBeNull();
    h().onSnapshot!(snapshot(1, (m) => (m.inspections.today = 4)));
    expect(live.state.value).toBe('live');
    expect(live.metrics.value!.inspections.today).toBe(4);
    stop();
  });

  it('paints the snapshot fetched over HTTP while the socket connects; the first ack replaces it', async () => {
    fake.fetched = snapshot(7, (m) => (m.inspections.today = 5));
    const { live, h, stop } = mount();
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.paths).toEqual(['/api/v1/metrics?scope=city']);
    expect(live.metrics.value!.inspections.today).toBe(5);
    expect(live.state.value).toBe('connecting'); // figures on screen, the link not yet up
    // the room's base may be a version older than the fetch: patches chain on the ack, so it wins
    const base = snapshot(6, (m) => (m.inspections.today = 5));
    h().onSnapshot!(base);
    expect(live.state.value).toBe('live');
    expect(live.snapshot.value).toBe(base);
    h().onMetrics!(
      diffSnapshot(
        base,
        snapshot(8, (m) => (m.inspections.today = 6)),
      )!,
    );
    expect(live.metrics.value!.inspections.today).toBe(6);
    expect(fake.resubscribed).toEqual([]);
    stop();
  });

  it('does not let a fetch that lands after the ack replace it', async () => {
    fake.fetched = snapshot(3, (m) => (m.inspections.today = 1));
    const { live, h, stop } = mount();
    h().onSnapshot!(snapshot(4, (m) => (m.inspections.today = 2)));
    await vi.advanceTimersByTimeAsync(0);
    expect(live.metrics.value!.inspections.today).toBe(2);
    stop();
  });

  it('applies patches in order and drops older versions', () => {
    const { live, h, stop } = mount();
    const s1 = snapshot(1);
    const s2 = snapshot(2, (m) => (m.issues.open = 7));
    h().onSnapshot!(s1);
    h().onMetrics!(diffSnapshot(s1, s2)!);
    expect(live.metrics.value!.issues.open).toBe(7);
    h().onMetrics!(snapshot(1, (m) => (m.issues.open = 99)));
    expect(live.metrics.value!.issues.open).toBe(7);
    expect(live.snapshot.value!.version).toBe(2);
    stop();
  });

  it('asks for a fresh snapshot on a gap and keeps what it shows meanwhile', () => {
    const { live, h, stop } = mount();
    h().onSnapshot!(snapshot(1, (m) => (m.issues.open = 3)));
    h().onMetrics!(
      diffSnapshot(
        snapshot(5),
        snapshot(6, (m) => (m.issues.open = 1)),
      )!,
    );
    expect(fake.resubscribed).toEqual(['city']);
    expect(live.metrics.value!.issues.open).toBe(3);
    stop();
  });

  it('keeps the last good data when the link drops, with an age that grows, then recovers', async () => {
    const { live, h, stop } = mount();
    h().onSnapshot!(snapshot(1, (m) => (m.inspections.today = 9)));
    fake.lastContactMs!.value = Date.now();
    h().onDisconnect!();
    expect(live.state.value).toBe('stale');
    expect(live.metrics.value!.inspections.today).toBe(9);
    await vi.advanceTimersByTimeAsync(12_000);
    expect(live.ageSeconds.value).toBe(12);
    expect(live.level.value).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(50_000);
    expect(live.level.value).toBe('down');
    h().onSnapshot!(snapshot(2, (m) => (m.inspections.today = 10)));
    expect(live.state.value).toBe('live');
    expect(live.ageSeconds.value).toBe(0);
    expect(live.metrics.value!.inspections.today).toBe(10);
    stop();
  });

  it('shows the refusal of a scope as an error', () => {
    const { live, h, stop } = mount('430211');
    h().onRefused!({ code: 'forbidden', message: 'no' });
    expect(live.state.value).toBe('error');
    stop();
  });

  it('unsubscribes when its scope is disposed', () => {
    const { stop } = mount();
    expect(fake.handlers.has('city')).toBe(true);
    stop();
    expect(fake.handlers.has('city')).toBe(false);
  });
});
