/** The audit log for admins (SPEC §12): newest first, filtered by login and time, paged by cursor. */
import { ref, shallowRef } from 'vue';
import type { AdminApiError } from './useAdminAccess.ts';
import { adminRequest } from './useAdminAccess.ts';

export interface AuditItem {
  id: string;
  at: string;
  login: string;
  action: string;
  outcome: 'ok' | 'failed' | 'throttled' | 'denied';
  ip: string | null;
  userAgent: string | null;
  target: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditFilter {
  login: string;
  /** ISO times with offset, or empty */
  from: string;
  to: string;
}

const PAGE_SIZE = 50;

function queryOf(filter: AuditFilter, cursor: string | null): string {
  const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filter.login.trim()) q.set('login', filter.login.trim());
  if (filter.from) q.set('from', filter.from);
  if (filter.to) q.set('to', filter.to);
  if (cursor) q.set('cursor', cursor);
  return q.toString();
}

export function useAuditLog() {
  const items = shallowRef<AuditItem[]>([]);
  const nextCursor = ref<string | null>(null);
  const error = ref<AdminApiError | null>(null);

  async function load(filter: AuditFilter, more = false): Promise<void> {
    try {
      const page = await adminRequest<{ items: AuditItem[]; nextCursor: string | null }>(
        'GET',
        `/api/v1/audit?${queryOf(filter, more ? nextCursor.value : null)}`,
      );
      items.value = more ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
      error.value = null;
    } catch (e) {
      error.value = e as AdminApiError;
    }
  }

  return { items, nextCursor, error, load };
}
