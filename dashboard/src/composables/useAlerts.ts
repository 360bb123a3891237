/**
 * The alerts of a scope (SPEC §15): the list read once (and again after every reconnect, for what
 * fired while the link was down), then kept current by the live `alert` pushes — a new firing on
 * top, an acknowledged one updated in place. `acknowledge` is the supervisor's action.
 */
import { onScopeDispose, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { AlertItem } from '@dudao/domain';
import { apiGet, apiSend } from './useApi.ts';
import { subscribeScope } from './useLiveSocket.ts';

export type AlertFilter = 'open' | 'acknowledged' | 'all';

export interface AlertPage {
  items: AlertItem[];
  nextCursor: string | null;
}

/** The alerts shown at most; older ones are in the API's next pages. */
export const ALERT_LIST_LIMIT = 100;

/** `items` with `alert` put in its place: replaced by id, else added on top (newest first). */
export function mergeAlert(items: readonly AlertItem[], alert: AlertItem, filter: AlertFilter): AlertItem[] {
  const rest = items.filter((a) => a.id !== alert.id);
  const keep =
    filter === 'all' || (filter === 'open' ? alert.acknowledgedAt === null : alert.acknowledgedAt !== null);
  if (!keep) return rest;
  return [...rest, alert].sort((a, b) => Number(b.id) - Number(a.id)).slice(0, ALERT_LIST_LIMIT);
}

export function useAlerts(scope: MaybeRefOrGetter<string>, filter: MaybeRefOrGetter<AlertFilter> = 'open') {
  const items = shallowRef<AlertItem[]>([]);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  async function load() {
    const mine = ++generation;
    const path = `/api/v1/alerts?scope=${toValue(scope)}&state=${toValue(filter)}&limit=${ALERT_LIST_LIMIT}`;
    try {
      const page = await apiGet<AlertPage>(path);
      if (mine !== generation) return;
      items.value = page.items;
      error.value = null;
    } catch (err) {
      if (mine === generation) error.value = (err as Error).message;
    } finally {
      if (mine === generation) loaded.value = true;
    }
  }

  let unsubscribe: (() => void) | null = null;
  watch(
    [() => toValue(scope), () => toValue(filter)],
    ([s]) => {
      unsubscribe?.();
      loaded.value = false;
      items.value = [];
      unsubscribe = subscribeScope(
        s,
        {
          // Each later (re)subscribe: read the list again, so nothing fired during an outage is missed.
          onSnapshot: () => void load(),
          onAlert: ({ alert }) => (items.value = mergeAlert(items.value, alert, toValue(filter))),
        },
        { initialSnapshot: false },
      );
      void load();
    },
    { immediate: true },
  );
  onScopeDispose(() => unsubscribe?.());

  async function acknowledge(id: string): Promise<void> {
    const { alert } = await apiSend<{ alert: AlertItem }>('POST', `/api/v1/alerts/${id}/ack`, {});
    items.value = mergeAlert(items.value, alert, toValue(filter));
  }

  return { items, loaded, error, acknowledge, reload: load };
}
