/** `--expires` and the admin API's `expires`: days, hours or an ISO time with offset, in the future. */
import { describe, expect, it } from 'vitest';
import { ExpiryError, parseExpiry } from '../../src/auth/expiry.ts';

const NOW = Date.parse('2026-12-02T10:00:00Z');

describe('parseExpiry', () => {
  it('counts days and hours from now', () => {
    expect(parseExpiry('30d', NOW).toISOString()).toBe('2027-01-01T10:00:00.000Z');
    expect(parseExpiry('12h', NOW).toISOString()).toBe('2026-12-02T22:00:00.000Z');
  });

  it('takes an ISO time with its offset', () => {
    expect(parseExpiry('2027-01-31T18:00:00+08:00', NOW).toISOString()).toBe('2027-01-31T10:00:00.000Z');
  });

  it('refuses a time without offset, a past time, zero and words, naming the format', () => {
    for (const text of ['2027-01-31T18:00:00', '2026-12-01T00:00:00Z', '0d', 'soon', '30 days', ''])
      expect(() => parseExpiry(text, NOW), text).toThrow(ExpiryError);
    expect(() => parseExpiry('soon', NOW)).toThrow(/ISO 8601/);
  });
});
