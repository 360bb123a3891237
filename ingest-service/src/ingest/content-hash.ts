import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal content hashes equally whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The idempotency fingerprint: same id + same hash is a duplicate, same id + other hash a conflict. */
export const contentHash = (event: unknown): string =>
  createHash('sha256').update(canonicalJson(event)).digest('base64url');
