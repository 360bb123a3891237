/**
 * Downloads of what the API streams (the ledger's export): with a session the browser's own link
 * carries the cookie and streams to disk; a key cannot ride in a plain link (it would sit in the
 * address bar, history and logs), so with a key the file is fetched with its header and handed to
 * the browser as a blob.
 */
import { computed, ref } from 'vue';
import { getToken } from '../lib/token.ts';
import { ApiError } from './useApi.ts';
import { authHeaders } from './useSession.ts';

/** The file name the service gave (`filename*=UTF-8''…` first), else `fallback`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (star) return decodeURIComponent(star);
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
}

export function useDownload() {
  const busy = ref(false);
  const failed = ref(false);
  /** with a session a plain link does it */
  const plainLink = computed(() => !getToken());

  async function viaFetch(path: string, fallbackName: string): Promise<void> {
    busy.value = true;
    failed.value = false;
    try {
      const res = await fetch(path, { headers: authHeaders() });
      if (!res.ok) throw new ApiError(res.status, `${res.status} for ${path}`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = attachmentName(res.headers.get('content-disposition'), fallbackName);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch {
      failed.value = true;
    } finally {
      busy.value = false;
    }
  }
  return { busy, failed, plainLink, viaFetch };
}
