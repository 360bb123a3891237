/**
 * Who the key is (`GET /api/v1/whoami`) and whether it is refused at all. A 401 anywhere turns the
 * whole app into a clear "key not valid" screen instead of blank panels.
 */
import { readonly, ref } from 'vue';
import { getToken } from '../lib/token.ts';

export type AuthProblem = 'missing' | 'unauthorized' | null;
export interface Whoami {
  role: string;
  scope: string;
}

const authProblem = ref<AuthProblem>(null);
const whoami = ref<Whoami | null>(null);
let loading: Promise<Whoami | null> | null = null;

export function reportAuthProblem(p: Exclude<AuthProblem, null>): void {
  authProblem.value = p;
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** Loads the key's role and scope once. When the service has no whoami, the key is taken as a city key. */
export function loadWhoami(fetchImpl: typeof fetch = fetch): Promise<Whoami | null> {
  if (loading) return loading;
  if (!getToken()) {
    authProblem.value = 'missing';
    return Promise.resolve(null);
  }
  loading = (async () => {
    try {
      const res = await fetchImpl('/api/v1/whoami', { headers: authHeaders() });
      if (res.status === 401) {
        authProblem.value = 'unauthorized';
        return null;
      }
      if (!res.ok) {
        whoami.value = { role: 'viewer', scope: 'city' };
        return whoami.value;
      }
      const body = (await res.json()) as Whoami;
      whoami.value = body;
      return body;
    } catch {
      // network down at start-up: let the pages try and show their own connection state
      loading = null;
      return null;
    }
  })();
  return loading;
}

export function retrySession(): void {
  authProblem.value = null;
  loading = null;
}

export function useSession() {
  return { authProblem: readonly(authProblem), whoami: readonly(whoami) };
}
