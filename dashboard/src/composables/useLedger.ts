/**
 * The issue ledger (`GET /api/v1/issues`, SPEC §13) for a scope and filter: server pages by cursor,
 * joined on the client (`load more`); a new filter starts again from the first page.
 */
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { LedgerFilter, LedgerRow, Page } from '@dudao/domain';
import { appendPage } from '../lib/tables.ts';
import { ledgerSearch } from '../lib/ledgerQuery.ts';
import { apiGet } from './useApi.ts';

export const LEDGER_PAGE_SIZE = 50;
export const LEDGER_STATUSES = ['overdue', 'open', 'submitted', 'closed'] as const;

export function useLedger(scope: MaybeRefOrGetter<string>, filter: MaybeRefOrGetter<LedgerFilter>) {
  const rows = shallowRef<LedgerRow[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const failed = ref(false);
  const done = ref(false);
  let seq = 0;

  async function fetchPage(cursor: string | null, reset: boolean) {
    const mine = ++seq;
    loading.value = true;
    const extra: Record<string, string> = { limit: String(LEDGER_PAGE_SIZE) };
    if (cursor) extra.cursor = cursor;
    try {
      const page = await apiGet<Page<LedgerRow>>(
        `/api/v1/issues?${ledgerSearch(toValue(filter), toValue(scope), extra)}`,
      );
      if (mine !== seq) return;
      rows.value = reset ? page.items : appendPage(rows.value, page.items);
      nextCursor.value = page.nextCursor;
      done.value = page.nextCursor === null;
      failed.value = false;
    } catch {
      if (mine === seq) failed.value = true; // keep the rows we have
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  const reload = () => fetchPage(null, true);
  const loadMore = () =>
    nextCursor.value && !loading.value ? fetchPage(nextCursor.value, false) : undefined;

  watch(
    () => ledgerSearch(toValue(filter), toValue(scope)),
    () => {
      rows.value = [];
      nextCursor.value = null;
      done.value = false;
      void reload();
    },
    { immediate: true },
  );
  return { rows, loading, failed, done, loadMore, reload };
}
