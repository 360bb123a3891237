/**
 * The plans of a scope with their progress (SPEC §14): read once (every plan, old ones too), then
 * kept current by the live `plans` pushes, which the service sends after each subscribe and
 * whenever a plan's progress or status changes — no polling.
 */
import { onScopeDispose, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { PlansMessage } from '@dudao/domain';
import { mergePlans } from '../lib/plans.ts';
import { apiGet } from './useApi.ts';
import { subscribeScope } from './useLiveSocket.ts';

export function usePlans(scope: MaybeRefOrGetter<string | null>) {
  const message = shallowRef<PlansMessage | null>(null);
  const error = ref<Error | null>(null);
  /** how many pushes were taken in (for tests: the list moves without a read) */
  const pushes = ref(0);
  let generation = 0;
  let unsubscribe: (() => void) | null = null;

  const take = (incoming: PlansMessage) => (message.value = mergePlans(message.value, incoming));

  function start(s: string | null) {
    unsubscribe?.();
    unsubscribe = null;
    message.value = null;
    error.value = null;
    const mine = ++generation;
    if (!s) return;
    unsubscribe = subscribeScope(
      s,
      {
        onPlans: (m) => {
          pushes.value++;
          take(m);
        },
      },
      // the service answers every subscribe of the scope with its plans: no second snapshot needed
      { initialSnapshot: false },
    );
    apiGet<PlansMessage>(`/api/v1/plans?scope=${encodeURIComponent(s)}`)
      .then((m) => mine === generation && take(m))
      .catch((err: Error) => {
        if (mine === generation) error.value = err;
      });
  }

  watch(() => toValue(scope), start, { immediate: true });
  onScopeDispose(() => unsubscribe?.());

  return { message, error, pushes };
}
