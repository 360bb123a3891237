/** The issue ledger of a district: server pages by cursor, joined on the client (`load more`). */
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import type { IssueLedgerRow, Page } from '@dudao/domain';
import { appendPage } from '../lib/tables.ts';
import { apiGet } from './useApi.ts';

export const LEDGER_PAGE_SIZE = 50;
export type LedgerStatus = 'open' | 'submitted' | 'closed' | 'overdue';
export const LEDGER_STATUSES: LedgerStatus[] = ['overdue', 'open', 'submitted', 'closed'];

export function useLedger(adcode: MaybeRefOrGetter<string>, status: MaybeRefOrGetter<LedgerStatus>) {
  const rows = shallowRef<IssueLedgerRow[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const failed = ref(false);
  const done = ref(false);
  let seq = 0;

  async function fetchPage(cursor: string | null, reset: boolean) {
    const mine = ++seq;
    loading.value = true;
    const q = new URLSearchParams({ status: toValue(status), limit: String(LEDGER_PAGE_SIZE) });
    if (cursor) q.set('cursor', cursor);
    try {
      const page = await apiGet<Page<IssueLedgerRow>>(
        `/api/v1/districts/${encodeURIComponent(toValue(adcode))}/issues?${q}`,
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
    () => [toValue(adcode), toValue(status)],
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
