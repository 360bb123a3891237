import { hash } from 'node:crypto';

/**
 * A string JSON.stringify would write as is between quotes: no quote, backslash, control character
 * or surrogate (JSON.stringify escapes a lone one).
 */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** `"key":` for the few key names events have, written once. */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 1_000;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * JSON with object keys sorted at every level, so equal content hashes equally whatever the key
 * order. Byte for byte the form the event log's stored hashes were made of (`canonicalJsonReference`
 * in the tests): a resent event must hash as it did. Built by appending, with plain strings quoted
 * without JSON.stringify: this and the hash were ~10 % of the service's ingest CPU.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return PLAIN_STRING.test(value) ? `"${value}"` : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    // `?? ''`: as Array#join writes an undefined element (never in parsed JSON; kept identical anyway)
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (canonicalJson(value[i]) ?? '');
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++)
    out += (i > 0 ? ',' : '') + quotedKey(keys[i]!) + canonicalJson(record[keys[i]!]);
  return `${out}}`;
}

/**
 * The idempotency fingerprint: same id + same hash is a duplicate, same id + other hash a conflict.
 * SHA-256 of the canonical JSON, base64url; node:crypto's one-shot `hash` (Node ≥ 20.12) is ~3×
 * cheaper than a Hash object for an input this short, with the same digest.
 */
export const contentHash = (event: unknown): string => hash('sha256', canonicalJson(event), 'base64url');
