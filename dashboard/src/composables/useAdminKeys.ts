/** The admin's keys (issue 15): the list with last use and live sockets, create, revoke. */
import { ref, shallowRef } from 'vue';
import type { AdminKeyList, AdminKeyListing, CreatedAdminKey } from '@dudao/domain';
import type { AdminApiError } from './useAdminAccess.ts';
import { adminRequest } from './useAdminAccess.ts';

export type AdminKey = AdminKeyListing;

export interface NewKeyInput {
  role: AdminKey['role'];
  scope: string;
  label: string;
  /** `30d`, `12h`, an ISO time with offset, or null for never */
  expires: string | null;
}

export function useAdminKeys() {
  const keys = shallowRef<AdminKey[]>([]);
  const countedOn = ref<AdminKeyList['socketsCountedOn']>('all_instances');
  const error = ref<AdminApiError | null>(null);
  const loading = ref(false);

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const list = await adminRequest<AdminKeyList>('GET', '/api/v1/admin/keys');
      keys.value = [...list.keys].reverse(); // newest first
      countedOn.value = list.socketsCountedOn;
      error.value = null;
    } catch (e) {
      error.value = e as AdminApiError;
    } finally {
      loading.value = false;
    }
  }

  async function create(input: NewKeyInput): Promise<CreatedAdminKey> {
    const created = await adminRequest<CreatedAdminKey>('POST', '/api/v1/admin/keys', {
      role: input.role,
      scope: input.scope,
      ...(input.label.trim() ? { label: input.label.trim() } : {}),
      ...(input.expires ? { expires: input.expires } : {}),
    });
    await refresh();
    return created;
  }

  async function revoke(id: string): Promise<void> {
    await adminRequest('POST', `/api/v1/admin/keys/${id}/revoke`, {});
    await refresh();
  }

  return { keys, countedOn, error, loading, refresh, create, revoke };
}
