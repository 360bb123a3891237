/**
 * A district's briefings (SPEC §15): its daily 督导简报 and its monthly 月报, each list newest first,
 * read while `active` (the 简报 tab is open).
 */
import { computed, toValue, type MaybeRefOrGetter } from 'vue';
import { ApiError, useApi } from './useApi.ts';

export type BriefingKind = 'daily' | 'monthly';

export interface BriefingEntry {
  kind: BriefingKind;
  /** `YYYY-MM-DD` for a day's briefing, `YYYY-MM` for a 月报 */
  period: string;
  issueNo: number;
  path: string;
}

export const BRIEFING_KINDS: readonly BriefingKind[] = ['daily', 'monthly'];

export function useBriefings(adcode: MaybeRefOrGetter<string>, active: MaybeRefOrGetter<boolean>) {
  const list = (kind: BriefingKind) =>
    useApi<{ briefings: BriefingEntry[] }>(() =>
      toValue(active) ? `/api/v1/briefings?scope=${toValue(adcode)}&kind=${kind}` : null,
    );
  const reads = { daily: list('daily'), monthly: list('monthly') };
  const errors = computed(() => BRIEFING_KINDS.map((k) => reads[k].error.value));
  return {
    /** each kind's entries; null until read */
    items: computed<Record<BriefingKind, BriefingEntry[] | null>>(() => ({
      daily: reads.daily.data.value?.briefings ?? null,
      monthly: reads.monthly.data.value?.briefings ?? null,
    })),
    /** a key of another scope (the route guard sends those home; a city page needs a city key) */
    forbidden: computed(() => errors.value.some((e) => e instanceof ApiError && e.status === 403)),
    failed: computed(() => errors.value.some((e) => e !== null)),
  };
}
