/**
 * A key's expiry as an operator writes it (`--expires 30d`, the admin API's `expires`): a number of
 * days (`d`) or hours (`h`) from now, or an ISO 8601 time with its offset. Always in the future.
 */
const RELATIVE = /^(\d{1,5})([dh])$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000 } as const;

export const EXPIRY_FORMAT = '"<n>d", "<n>h" or an ISO 8601 time with offset (2027-01-31T18:00:00+08:00)';

export class ExpiryError extends Error {}

export function parseExpiry(text: string, nowMs: number): Date {
  const relative = RELATIVE.exec(text.trim());
  if (relative) {
    const n = Number(relative[1]);
    if (n === 0) throw new ExpiryError('an expiry must lie in the future');
    return new Date(nowMs + n * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  }
  const at = ISO_WITH_OFFSET.test(text.trim()) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) throw new ExpiryError(`an expiry is ${EXPIRY_FORMAT}; got "${text}"`);
  if (at <= nowMs) throw new ExpiryError(`the expiry ${text} has passed`);
  return new Date(at);
}
