/** The admin key routes as a client calls them (issue 15), for the secrets tests. */
export interface CreatedKeyBody {
  id: string;
  label: string | null;
  role: string;
  scope: string;
  createdAt: string;
  expiresAt: string | null;
  token: string;
  wallUrl?: string;
}

export interface ListedKey {
  id: string;
  label: string | null;
  role: string;
  scope: string;
  state: 'active' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedFrom: string | null;
  sockets: number;
}

export interface Answer<T> {
  status: number;
  body: T;
}

export interface AdminApi {
  list(): Promise<Answer<{ keys: ListedKey[]; socketsCountedOn: string }>>;
  create(body: Record<string, unknown>): Promise<Answer<CreatedKeyBody>>;
  revoke(id: string): Promise<Answer<{ id: string; revokedAt: string }>>;
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
