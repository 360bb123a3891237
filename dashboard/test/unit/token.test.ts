import { describe, expect, it } from 'vitest';
import { takeToken, TOKEN_STORAGE_KEY } from '../../src/lib/token.ts';

const store = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
};

describe('the viewer key: read once from the URL, kept in sessionStorage', () => {
  it('takes the token out of the URL and stores it, keeping the other parameters', () => {
    const s = store();
    const { token, cleanedUrl } = takeToken(new URL('http://x/?token=abc&kiosk=1'), s);
    expect(token).toBe('abc');
    expect(s.m.get(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(cleanedUrl!.search).toBe('?kiosk=1');
  });

  it('falls back to the stored token on later navigation', () => {
    const s = store();
    s.setItem(TOKEN_STORAGE_KEY, 'kept');
    expect(takeToken(new URL('http://x/district/430211'), s)).toEqual({ token: 'kept', cleanedUrl: null });
  });
});
