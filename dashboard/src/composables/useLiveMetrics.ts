/**
 * One scope's live snapshot: fetched over HTTP at once (the screen paints while the socket is still
 * connecting), then the ack of `subscribe` on every (re)connect and versioned pushes applied in order
 * (patch gaps trigger a fresh snapshot). The last good snapshot stays when the link drops; `state`
 * and `ageSeconds` say how fresh it is.
 */
import {
  computed,
  getCurrentScope,
  onScopeDispose,
  ref,
  shallowRef,
  toValue,
  watch,
  type MaybeRefOrGetter,
} from 'vue';
import type { Snapshot } from '@dudao/domain';
import {
  dataAgeSeconds,
  eventAgeSeconds,
  linkLevel,
  liveState,
  receiveMetrics,
  receiveSnapshot,
} from '../lib/liveMetrics.ts';
import { apiGet } from './useApi.ts';
import { resubscribe, subscribeScope, useLiveSocket } from './useLiveSocket.ts';
import { useClock } from './useClock.ts';

export function useLiveMetrics(scope: MaybeRefOrGetter<string | null>) {
  const snapshot = shallowRef<Snapshot | null>(null);
  const subscribed = ref(false);
  /** a subscribe was answered: from then on the socket, not the first fetch, is the source */
  const answered = ref(false);
  const refusal = ref<{ code: string; message: string } | null>(null);
  /**
   * Server clock minus ours. Left at 0: a snapshot's `asOf` can be the room's older base, so it is no
   * clock reading; walls run NTP. Kept as a seam for a service that sends its time.
   */
  const skewMs = ref(0);
  const updates = ref(0);
  const link = useLiveSocket();
  const now = useClock();
  let unsubscribe: (() => void) | null = null;
  let starts = 0;

  function start(s: string | null) {
    unsubscribe?.();
    unsubscribe = null;
    snapshot.value = null;
    subscribed.value = false;
    answered.value = false;
    refusal.value = null;
    if (!s) return;
    const startedFor = ++starts;
    // In parallel with the socket's handshake, which takes three round trips before its snapshot.
    apiGet<Snapshot>(`/api/v1/metrics?scope=${encodeURIComponent(s)}`)
      .then((first) => {
        if (startedFor === starts && !answered.value && !snapshot.value) snapshot.value = first;
      })
      .catch(() => {}); // the socket's snapshot follows anyway
    unsubscribe = subscribeScope(s, {
      onSnapshot(next) {
        // The first ack replaces a fetched snapshot whatever its version: later patches chain on it.
        snapshot.value = answered.value ? receiveSnapshot(snapshot.value, next) : next;
        answered.value = true;
        subscribed.value = true;
        refusal.value = null;
      },
      onMetrics(msg) {
        const out = receiveMetrics(snapshot.value, s, msg);
        if (out.kind === 'applied') {
          snapshot.value = out.snapshot;
          updates.value++;
        } else if (out.kind === 'resync') {
          resubscribe(s);
        }
      },
      onRefused(err) {
        refusal.value = err;
        subscribed.value = false;
      },
      onDisconnect() {
        subscribed.value = false;
      },
    });
  }

  watch(() => toValue(scope), start, { immediate: true });
  if (getCurrentScope()) onScopeDispose(() => unsubscribe?.());

  const state = computed(() =>
    liveState({
      subscribed: subscribed.value,
      refused: refusal.value !== null,
      hasData: snapshot.value !== null,
      answered: answered.value,
    }),
  );
  const ageSeconds = computed(() => dataAgeSeconds(subscribed.value, link.lastContactMs.value, now.value));
  const lastEventAgeSeconds = computed(() =>
    eventAgeSeconds(snapshot.value?.metrics.activity.lastEventAt, now.value, skewMs.value),
  );
  const level = computed(() =>
    linkLevel(state.value, ageSeconds.value, now.value - link.connectingSinceMs.value),
  );
  const metrics = computed(() => snapshot.value?.metrics ?? null);

  /** what the status band shows, as its props */
  const status = computed(() => ({
    level: level.value,
    ageSeconds: ageSeconds.value,
    lastEventAgeSeconds: lastEventAgeSeconds.value,
    health: link.health.value,
  }));
  return {
    snapshot,
    metrics,
    state,
    level,
    ageSeconds,
    lastEventAgeSeconds,
    refusal,
    skewMs,
    /** how many pushes were applied (for tests and the debug overlay) */
    updates,
    health: link.health,
    status,
  };
}
