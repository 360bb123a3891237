/**
 * Who is looking (SPEC §9, §12): a key from the wall URL (`GET /api/v1/whoami`), or else a person
 * signed in with a session cookie (`GET /api/v1/session`). Without either the app asks to sign in;
 * a refused key turns the whole app into a clear "key not valid" screen instead of blank panels.
 */
import { computed, readonly, ref } from 'vue';
import { takeEarlyResponse } from '../lib/early.ts';
import { getToken } from '../lib/token.ts';

/** `unauthorized`: the key is refused; `signedOut`: the session ended (or there never was one). */
export type AuthProblem = 'unauthorized' | 'signedOut' | null;
export interface Whoami {
  role: string;
  scope: string;
}
/** A signed-in person as `GET /api/v1/session` answers. */
export interface Person extends Whoami {
  login: string;
  name: string;
  csrfToken: string;
}

export class SignInError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const authProblem = ref<AuthProblem>(null);
const whoami = ref<Whoami | null>(null);
const person = ref<Person | null>(null);
let loading: Promise<Whoami | null> | null = null;

export function reportAuthProblem(p: 'unauthorized'): void {
  if (getToken()) {
    authProblem.value = p;
    return;
  }
  // A session that ended (idle 12 h, signed out elsewhere): sign in again.
  person.value = null;
  whoami.value = null;
  loading = null;
  authProblem.value = 'signedOut';
}

/** Headers that carry the access: the key, or for a session's writes its CSRF token. */
export function authHeaders(write = false): Record<string, string> {
  const token = getToken();
  if (token) return { Authorization: `Bearer ${token}` };
  return write && person.value ? { 'x-csrf-token': person.value.csrfToken } : {};
}

function takePerson(p: Person): Person {
  person.value = p;
  whoami.value = { role: p.role, scope: p.scope };
  authProblem.value = null;
  return p;
}

async function loadKey(fetchImpl: typeof fetch): Promise<Whoami | null> {
  const res = await (takeEarlyResponse('/api/v1/whoami') ??
    fetchImpl('/api/v1/whoami', { headers: authHeaders() }));
  if (res.status === 401) {
    authProblem.value = 'unauthorized';
    return null;
  }
  // An older service without whoami: the key is taken as a city viewer's.
  whoami.value = res.ok ? ((await res.json()) as Whoami) : { role: 'viewer', scope: 'city' };
  return whoami.value;
}

/** The person of this browser's session cookie, or null when it has none. */
export async function resumePerson(fetchImpl: typeof fetch = fetch): Promise<Person | null> {
  const res = await fetchImpl('/api/v1/session', { credentials: 'same-origin' });
  return res.ok ? takePerson((await res.json()) as Person) : null;
}

async function loadPerson(fetchImpl: typeof fetch): Promise<Whoami | null> {
  if (await resumePerson(fetchImpl)) return whoami.value;
  authProblem.value = 'signedOut';
  return null;
}

/** Loads who is looking once (the key's role and scope, or the person's). */
export function loadWhoami(fetchImpl: typeof fetch = fetch): Promise<Whoami | null> {
  if (loading) return loading;
  loading = (getToken() ? loadKey(fetchImpl) : loadPerson(fetchImpl)).catch(() => {
    // network down at start-up: let the pages try and show their own connection state
    loading = null;
    return null;
  });
  return loading;
}

/** Signs in (`POST /api/v1/session`); a `SignInError` (401 wrong login or password, 429 throttled). */
export async function signIn(login: string, password: string): Promise<Person> {
  const res = await fetch('/api/v1/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new SignInError(res.status, body.message ?? res.statusText);
  }
  const p = takePerson((await res.json()) as Person);
  loading = Promise.resolve(whoami.value);
  return p;
}

/** Signs out (`DELETE /api/v1/session`); whatever the service says, this tab forgets the person. */
export async function signOut(): Promise<void> {
  await fetch('/api/v1/session', {
    method: 'DELETE',
    credentials: 'same-origin',
    headers: authHeaders(true),
  }).catch(() => undefined);
  person.value = null;
  whoami.value = null;
  loading = null;
  authProblem.value = 'signedOut';
}

/** Supervisors and admins act on issues (SPEC §12); viewers and walls only read. */
export const canAct = (role: string | undefined): boolean => role === 'supervisor' || role === 'admin';

export function useSession() {
  return {
    authProblem: readonly(authProblem),
    whoami: readonly(whoami),
    person: readonly(person),
    canAct: computed(() => canAct(whoami.value?.role)),
  };
}
