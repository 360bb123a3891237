/**
 * A day replayed on the wall (回放, SPEC §15), beside `useLiveMetrics`: the day's start and events
 * read once from `GET /api/v1/replay`, played by the domain's `ReplayPlayer` (the live path's
 * `applyDeltas` and `countersAt`) on a clock that runs at `speed` replayed seconds per second, with
 * pause, speed and seek. No socket: nothing live reaches the screen, nothing leaves it.
 */
import { computed, getCurrentScope, onScopeDispose, ref, shallowRef } from 'vue';
import { ReplayPlayer, type FeedItem, type ReplayResponse, type Snapshot } from '@dudao/domain';
import { advanceReplayClock, type ReplayAsk } from '../lib/replay.ts';
import { apiGet } from './useApi.ts';

/** How often the clock moves on screen. */
export const REPLAY_TICK_MS = 250;
/** Without new events, the figures are read again this often (the clock alone moves `overdue`). */
const REPLAY_REREAD_MS = 1_000;

export type ReplayState = 'loading' | 'playing' | 'paused' | 'ended' | 'error';

export interface UseReplayOptions {
  maxVisible: number;
  /** the events the clock just passed, e.g. for the map's ripple */
  onArrive?: (items: FeedItem[]) => void;
}

export function useReplay(scope: string, ask: ReplayAsk, opts: UseReplayOptions) {
  const snapshot = shallowRef<Snapshot | null>(null);
  const feed = shallowRef<FeedItem[]>([]);
  const clockMs = ref<number | null>(null);
  const range = shallowRef<{ from: number; to: number } | null>(null);
  const speed = ref(ask.speed);
  const playing = ref(true);
  const error = ref<string | null>(null);
  let player: ReplayPlayer | null = null;
  let lastTick = 0;
  let lastRead = 0;

  function show(at: number) {
    if (!player) return;
    clockMs.value = at;
    snapshot.value = player.snapshot(at);
    feed.value = player.feed(opts.maxVisible);
    lastRead = performance.now();
  }

  function tick() {
    const now = performance.now();
    const elapsed = now - lastTick;
    lastTick = now;
    if (!player || !range.value || clockMs.value === null || !playing.value) return;
    const end = range.value.to - 1;
    const at = advanceReplayClock(clockMs.value, elapsed, speed.value, end);
    const arrived = player.seek(at);
    if (at >= end) playing.value = false;
    if (arrived.length > 0) opts.onArrive?.(arrived.map((e) => e.feed));
    if (arrived.length > 0 || now - lastRead >= REPLAY_REREAD_MS || !playing.value) show(at);
    else clockMs.value = at;
  }

  apiGet<ReplayResponse>(`/api/v1/replay?scope=${encodeURIComponent(scope)}&day=${ask.day}`)
    .then((replay) => {
      player = new ReplayPlayer(replay);
      range.value = { from: replay.from, to: replay.to };
      player.seek(replay.from);
      lastTick = performance.now();
      show(replay.from);
    })
    .catch((err: unknown) => {
      error.value = (err as Error).message;
    });
  const timer = setInterval(tick, REPLAY_TICK_MS);
  if (getCurrentScope()) onScopeDispose(() => clearInterval(timer));

  /** Moves the clock to `at` (within the day); the figures and feed are those of that instant. */
  function seek(at: number) {
    if (!player || !range.value) return;
    const t = Math.min(range.value.to - 1, Math.max(range.value.from, at));
    player.seek(t);
    show(t);
  }

  function setPlaying(on: boolean) {
    if (on && range.value && clockMs.value !== null && clockMs.value >= range.value.to - 1)
      seek(range.value.from); // play again from the start once the day has ended
    lastTick = performance.now();
    playing.value = on;
  }

  const state = computed<ReplayState>(() => {
    if (error.value) return 'error';
    if (!range.value || clockMs.value === null) return 'loading';
    if (playing.value) return 'playing';
    return clockMs.value >= range.value.to - 1 ? 'ended' : 'paused';
  });

  return {
    snapshot,
    metrics: computed(() => snapshot.value?.metrics ?? null),
    feed,
    clockMs,
    range,
    speed,
    state,
    error,
    seek,
    setPlaying,
  };
}
