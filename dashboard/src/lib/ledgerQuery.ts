/**
 * The ledger's filters (SPEC §13) between the page's URL query, the API's query string and the
 * export link. Empty values are no filter; on a district page the district is the scope, whatever
 * the URL says.
 */
import { LEDGER_FILTER_KEYS, type LedgerFilter } from '@dudao/domain';

type Query = Record<string, unknown>;

/** The filter a URL query holds (unknown keys and empty values dropped). */
export function filterFromQuery(query: Query): LedgerFilter {
  const out: Record<string, string> = {};
  for (const key of LEDGER_FILTER_KEYS) {
    const v = query[key];
    if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
  }
  return out as LedgerFilter;
}

/** `query` with `patch` applied: an emptied filter leaves the URL. */
export function withFilter(
  query: Query,
  patch: Partial<Record<keyof LedgerFilter, string | undefined>>,
): Query {
  const next: Query = { ...query };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value.trim() === '') delete next[key];
    else next[key] = value.trim();
  }
  return next;
}

/** `query` without any filter (other keys, like the tab, stay). */
export function withoutFilters(query: Query): Query {
  const next: Query = { ...query };
  for (const key of LEDGER_FILTER_KEYS) delete next[key];
  return next;
}

/** The API's query string for `filter` in `scope`, plus `extra` (format, limit, cursor). */
export function ledgerSearch(
  filter: LedgerFilter,
  scope: string,
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams();
  params.set('scope', scope);
  for (const key of LEDGER_FILTER_KEYS) {
    const v = filter[key];
    if (key !== 'scope' && v) params.set(key, v);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}
