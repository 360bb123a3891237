/** The admin's keys (issue 15): the list with last use and live sockets, create, revoke. */
import { ref, shallowRef } from 'vue';
import type { AdminApiError } from './useAdminAccess.ts';
import { adminRequest } from './useAdminAccess.ts';

export interface AdminKey {
  id: string;
  label: string | null;
  role: 'ingest' | 'viewer' | 'admin';
  scope: string;
  state: 'active' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedFrom: string | null;
  sockets: number;
}

export interface NewKeyInput {
  role: AdminKey['role'];
  scope: string;
  label: string;
  /** `30d`, `12h`, an ISO time with offset, or null for never */
  expires: string | null;
}

/** What the service answers once, and never again: the secret and, for a viewer key, its wall. */
export interface CreatedKey {
  id: string;
  role: AdminKey['role'];
  scope: string;
  label: string | null;
  expiresAt: string | null;
  token: string;
  wallUrl?: string;
}

interface KeyList {
  keys: AdminKey[];
  socketsCountedOn: 'all_instances' | 'this_instance';
}

export function useAdminKeys() {
  const keys = shallowRef<AdminKey[]>([]);
  const countedOn = ref<KeyList['socketsCountedOn']>('all_instances');
  const error = ref<AdminApiError | null>(null);
  const loading = ref(false);

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      const list = await adminRequest<KeyList>('GET', '/api/v1/admin/keys');
      keys.value = [...list.keys].reverse(); // newest first
      countedOn.value = list.socketsCountedOn;
      error.value = null;
    } catch (e) {
      error.value = e as AdminApiError;
    } finally {
      loading.value = false;
    }
  }

  async function create(input: NewKeyInput): Promise<CreatedKey> {
    const created = await adminRequest<CreatedKey>('POST', '/api/v1/admin/keys', {
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
