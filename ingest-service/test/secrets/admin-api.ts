/** The admin key routes as a client calls them (issue 15), for the secrets tests. */
import type { AdminKeyList, CreatedAdminKey, RevokedAdminKey } from '@dudao/domain';

export interface Answer<T> {
  status: number;
  body: T;
}

export interface AdminApi {
  list(): Promise<Answer<AdminKeyList>>;
  create(body: Record<string, unknown>): Promise<Answer<CreatedAdminKey>>;
  revoke(id: string): Promise<Answer<RevokedAdminKey>>;
}

export function adminApi(url: string, token: string | null): AdminApi {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<Answer<T>> => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}/api/v1/admin/keys${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    list: () => call('GET', ''),
    create: (body) => call('POST', '', body),
    revoke: (id) => call('POST', `/${id}/revoke`, {}),
  };
}
