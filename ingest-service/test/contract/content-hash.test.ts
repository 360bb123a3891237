/**
 * The idempotency fingerprint must not change between versions: the event log stores it, and a
 * resent event is a duplicate only if it hashes as it did when first received. The faster canonical
 * JSON is checked byte for byte against the form the stored hashes were made of.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ev } from '@dudao/testkit';
import { canonicalJson, contentHash } from '../../src/ingest/content-hash.ts';

/** The canonical JSON of the first version (keys sorted at every level, map and join). */
function canonicalJsonReference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJsonReference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJsonReference((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

const referenceHash = (event: unknown) =>
  createHash('sha256').update(canonicalJsonReference(event)).digest('base64url');

const at = '2026-12-03T08:00:00.000Z';

describe('content hash', () => {
  it('keeps the hash the event log already stores for an event', () => {
    const event = {
      id: 'ev-1',
      type: 'issue.raised',
      district: '430211',
      occurredAt: at,
      issueId: 'iss-1',
      target: { kind: 'school', id: 'S-TY-1' },
      category: 'homework',
      severity: 'major',
      deadline: '2026-12-10T08:00:00.000Z',
      note: '请于本周内完成整改 "quoted" \\ back\n',
    };
    // computed with the first version's code
    expect(contentHash(event)).toBe('6PvGtTFHz2icFdv2eZVaREBUms3R4pMRtrI7DOLDf2E');
  });

  it('writes the same canonical JSON as the first version, escapes and nesting included', () => {
    const tricky = [
      ev.started(at),
      ev.raised(at, '2026-12-10T08:00:00.000Z'),
      ev.urged(at, 'iss-9'),
      { b: 'quote " here', a: 'back \\ slash', c: 'tab\tand\u0001control', d: 'lone \ud800 surrogate' },
      {
        pair: '😀 emoji',
        cjk: '株洲市天元区',
        empty: '',
        n: [1, -0, 1.5e300, 2e-7, 0.1],
        t: true,
        f: false,
        z: null,
      },
      {
        nested: [{ y: 1, x: [{ b: 2, a: 1 }] }, [], {}],
        '': 'empty key',
        '10': 'numeric',
        '9': 'keys',
        é: 1,
      },
      { withUndefined: undefined, list: [undefined, null] },
      'just a string',
      42,
      null,
    ];
    for (const value of tricky) {
      expect(canonicalJson(value)).toBe(canonicalJsonReference(value));
      expect(contentHash(value)).toBe(referenceHash(value));
    }
  });

  it('equal content hashes equally whatever the key order; other content differently', () => {
    const event = ev.started(at);
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    expect(contentHash(reordered)).toBe(contentHash(event));
    expect(contentHash({ ...event, mode: 'special' })).not.toBe(contentHash(event));
  });
});
