/** The viewer key: read once from the wall URL (`?token=`), then kept in sessionStorage only. */
export const TOKEN_STORAGE_KEY = 'dudao.token';

export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * Takes `token` out of `url` (returned without it, so it does not linger in the address bar or
 * history) and stores it; falls back to the stored one.
 */
export function takeToken(url: URL, store: TokenStore): { token: string | null; cleanedUrl: URL | null } {
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    store.setItem(TOKEN_STORAGE_KEY, fromUrl);
    const cleaned = new URL(url);
    cleaned.searchParams.delete('token');
    return { token: fromUrl, cleanedUrl: cleaned };
  }
  return { token: store.getItem(TOKEN_STORAGE_KEY), cleanedUrl: null };
}

let current: string | null = null;

/** Called once at start-up (main.ts). */
export function initToken(): string | null {
  const { token, cleanedUrl } = takeToken(new URL(window.location.href), window.sessionStorage);
  if (cleanedUrl) window.history.replaceState(window.history.state, '', cleanedUrl);
  current = token;
  return token;
}

export const getToken = (): string | null => current;
