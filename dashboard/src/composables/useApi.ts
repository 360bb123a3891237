/**
 * API access: the key as a Bearer header, or the session cookie (its CSRF token on writes); the last
 * good answer stays on screen on failure.
 */
import {
  getCurrentScope,
  onScopeDispose,
  ref,
  shallowRef,
  toValue,
  watch,
  type MaybeRefOrGetter,
  type Ref,
  type ShallowRef,
} from 'vue';
import { takeEarlyResponse } from '../lib/early.ts';
import { authHeaders, reportAuthProblem } from './useSession.ts';
import { usePageVisibility } from './usePageVisibility.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await (takeEarlyResponse(path) ??
    fetch(path, { headers: { Accept: 'application/json', ...authHeaders() }, signal }));
  if (res.status === 401) reportAuthProblem('unauthorized');
  if (!res.ok) throw new ApiError(res.status, `${res.status} ${res.statusText} for ${path}`);
  return (await res.json()) as T;
}

/** A write (JSON in and out) with the key, or with the session's CSRF token; the service's message on failure. */
export async function apiSend<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...authHeaders(true) },
    body: JSON.stringify(body),
  });
  if (res.status === 401) reportAuthProblem('unauthorized');
  if (!res.ok) {
    const answer = (await res.json().catch(() => ({}))) as {
      message?: string;
      details?: { path: string; message: string }[];
    };
    const detail = answer.details?.map((d) => `${d.path} ${d.message}`).join('; ');
    throw new ApiError(res.status, detail || answer.message || `${res.status} ${res.statusText}`);
  }
  return (await res.json()) as T;
}

export interface UseApiOptions {
  /** re-fetch this often while the page is visible (for slowly moving data like trends) */
  refreshMs?: number;
}

export interface UseApi<T> {
  data: ShallowRef<T | null>;
  error: Ref<ApiError | Error | null>;
  loading: Ref<boolean>;
  refresh: () => Promise<void>;
}

/** `path` null means "nothing to fetch yet" (e.g. before the city pack is known). */
export function useApi<T>(path: MaybeRefOrGetter<string | null>, opts: UseApiOptions = {}): UseApi<T> {
  const data = shallowRef<T | null>(null);
  const error = ref<ApiError | Error | null>(null);
  const loading = ref(false);
  const visible = usePageVisibility();
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let lastPath: string | null = null;

  async function refresh() {
    const p = toValue(path);
    if (!p) return;
    if (p !== lastPath) data.value = null; // another resource: never show the previous one's data
    lastPath = p;
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    try {
      data.value = await apiGet<T>(p, mine.signal);
      error.value = null;
    } catch (e) {
      if (mine.signal.aborted) return;
      error.value = e as Error; // keep data: the last good answer stays on screen
    } finally {
      if (controller === mine) loading.value = false;
    }
  }

  function schedule() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    if (opts.refreshMs && visible.value) timer = setInterval(refresh, opts.refreshMs);
  }

  watch(() => toValue(path), refresh, { immediate: true });
  if (opts.refreshMs) {
    schedule();
    watch(visible, (v) => {
      schedule();
      if (v) void refresh(); // catch up on return
    });
  }
  if (getCurrentScope()) {
    onScopeDispose(() => {
      controller?.abort();
      if (timer !== null) clearInterval(timer);
    });
  }
  return { data, error, loading, refresh };
}
