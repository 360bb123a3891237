/** The ledger's filters kept in the page's URL query, so a reload or a shared link shows the same rows. */
import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { LedgerFilter } from '@dudao/domain';
import { filterFromQuery, withFilter, withoutFilters } from '../lib/ledgerQuery.ts';

export function useLedgerFilter() {
  const route = useRoute();
  const router = useRouter();
  const filter = computed(() => filterFromQuery(route.query));
  const update = (patch: Partial<Record<keyof LedgerFilter, string | undefined>>) =>
    void router.replace({ query: withFilter(route.query, patch) as typeof route.query });
  const clear = () => void router.replace({ query: withoutFilters(route.query) as typeof route.query });
  return { filter, update, clear };
}
