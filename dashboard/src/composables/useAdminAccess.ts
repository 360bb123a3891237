/**
 * How the admin console reaches the admin API: an admin's session (signed in on the app's sign-in
 * page; the cookie, its CSRF token on writes; SPEC §12) or an admin key pasted into the console
 * (kept in this tab's sessionStorage only, never in a URL). One `request` for every admin call; a
 * 401 sends the console back to its gate.
 */
import { readonly, ref } from 'vue';
import { resumePerson, signOut, type Person } from './useSession.ts';

export const ADMIN_KEY_STORAGE_KEY = 'dudao.adminKey';

export type AdminCredential =
  | { kind: 'session'; login: string; name: string; scope: string; csrfToken: string }
  | { kind: 'key'; token: string; scope: string };

export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

const credential = ref<AdminCredential | null>(null);
/** why the last attempt to get in failed: `forbidden` (not an admin) or `unauthorized` */
const refusal = ref<'unauthorized' | 'forbidden' | null>(null);
const checking = ref(true);

function headersFor(c: AdminCredential | null, write: boolean): Record<string, string> {
  if (!c) return {};
  if (c.kind === 'key') return { Authorization: `Bearer ${c.token}` };
  return write ? { 'x-csrf-token': c.csrfToken } : {};
}

async function errorOf(res: Response): Promise<AdminApiError> {
  const body = (await res.json().catch(() => ({}))) as {
    error?: string;
    message?: string;
    details?: { path: string; message: string }[];
  };
  return new AdminApiError(
    res.status,
    body.error ?? String(res.status),
    body.message ?? res.statusText,
    body.details,
  );
}

/** One admin API call with the current credential; JSON in, JSON out. */
export async function adminRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const write = method !== 'GET';
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headersFor(credential.value, write),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 401) {
    credential.value = null;
    refusal.value = 'unauthorized';
  }
  if (!res.ok) throw await errorOf(res);
  return (res.status === 204 ? null : await res.json()) as T;
}

/** Takes `c` if the service says it is an admin's; else remembers why not. */
async function tryCredential(c: AdminCredential): Promise<boolean> {
  const res = await fetch('/api/v1/admin/keys', {
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...headersFor(c, false) },
  });
  await res.body?.cancel();
  if (res.ok) {
    credential.value = c;
    refusal.value = null;
    return true;
  }
  refusal.value = res.status === 403 ? 'forbidden' : 'unauthorized';
  return false;
}

const sessionCredential = (s: Person): AdminCredential => ({
  kind: 'session',
  login: s.login,
  name: s.name,
  scope: s.scope,
  csrfToken: s.csrfToken,
});

/** At start: a session the browser already has, else a key this tab kept. */
async function resume(): Promise<void> {
  checking.value = true;
  try {
    const person = await resumePerson();
    if (person && (await tryCredential(sessionCredential(person)))) return;
    const kept = window.sessionStorage.getItem(ADMIN_KEY_STORAGE_KEY);
    if (kept) await enterKey(kept);
    else refusal.value = null;
  } finally {
    checking.value = false;
  }
}

async function enterKey(token: string): Promise<boolean> {
  const trimmed = token.trim();
  const ok = await tryCredential({ kind: 'key', token: trimmed, scope: 'city' });
  if (ok) {
    window.sessionStorage.setItem(ADMIN_KEY_STORAGE_KEY, trimmed);
    const who = await adminRequest<{ scope: string }>('GET', '/api/v1/whoami');
    credential.value = { kind: 'key', token: trimmed, scope: who.scope };
  } else window.sessionStorage.removeItem(ADMIN_KEY_STORAGE_KEY);
  return ok;
}

async function leave(): Promise<void> {
  const c = credential.value;
  window.sessionStorage.removeItem(ADMIN_KEY_STORAGE_KEY);
  if (c?.kind === 'session') await signOut();
  credential.value = null;
  refusal.value = null;
}

/**
 * Runs the console's writes one at a time: `busy` while one runs, `failure` holds why the last one
 * failed (the service's message), for the section to show.
 */
export function useAdminAction() {
  const busy = ref(false);
  const failure = ref<AdminApiError | null>(null);
  async function run(action: () => Promise<void>): Promise<void> {
    busy.value = true;
    failure.value = null;
    try {
      await action();
    } catch (e) {
      failure.value = e instanceof AdminApiError ? e : new AdminApiError(0, 'network', (e as Error).message);
    } finally {
      busy.value = false;
    }
  }
  return { busy, failure, run };
}

export function useAdminAccess() {
  return {
    credential: readonly(credential),
    refusal: readonly(refusal),
    checking: readonly(checking),
    resume,
    enterKey,
    leave,
  };
}
