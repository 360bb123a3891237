/** The people who sign in (SPEC §12 admin API): list, create, disable, reset a password. */
import { ref, shallowRef } from 'vue';
import type { AdminApiError } from './useAdminAccess.ts';
import { adminRequest } from './useAdminAccess.ts';

export type UserRole = 'viewer' | 'supervisor' | 'admin';

export interface AdminUser {
  id: string;
  login: string;
  name: string;
  role: UserRole;
  scope: string;
  createdAt: string;
  disabledAt: string | null;
}

export interface NewUserInput {
  login: string;
  name: string;
  role: UserRole;
  scope: string;
}

/** A one-time password, shown once: for whom. */
export interface OneTimePassword {
  login: string;
  password: string;
}

export function useAdminUsers() {
  const users = shallowRef<AdminUser[]>([]);
  const error = ref<AdminApiError | null>(null);

  async function refresh(): Promise<void> {
    try {
      users.value = (await adminRequest<{ users: AdminUser[] }>('GET', '/api/v1/users')).users;
      error.value = null;
    } catch (e) {
      error.value = e as AdminApiError;
    }
  }

  /** The service makes the password: it is returned once. */
  async function create(input: NewUserInput): Promise<OneTimePassword> {
    const answer = await adminRequest<{ user: AdminUser; oneTimePassword: string }>(
      'POST',
      '/api/v1/users',
      input,
    );
    await refresh();
    return { login: answer.user.login, password: answer.oneTimePassword };
  }

  async function disable(login: string): Promise<void> {
    await adminRequest('POST', `/api/v1/users/${encodeURIComponent(login)}/disable`, {});
    await refresh();
  }

  async function resetPassword(login: string): Promise<OneTimePassword> {
    const answer = await adminRequest<{ login: string; oneTimePassword: string }>(
      'POST',
      `/api/v1/users/${encodeURIComponent(login)}/reset-password`,
      {},
    );
    return { login: answer.login, password: answer.oneTimePassword };
  }

  return { users, error, refresh, create, disable, resetPassword };
}
