import { describe, expect, it } from 'vitest';
import { diffSnapshot } from '@dudao/domain';
import {
  dataAgeSeconds,
  eventAgeSeconds,
  linkLevel,
  liveState,
  OUTAGE_AFTER_MS,
  receiveMetrics,
  receiveSnapshot,
} from '../../src/lib/liveMetrics.ts';
import { snapshot } from './fixtures.ts';

describe('SPEC §8 versions: a client keeps the highest version and ignores older ones', () => {
  it('takes a full snapshot with a higher version', () => {
    const next = snapshot(2, (m) => (m.inspections.today = 5));
    expect(receiveMetrics(snapshot(1), 'city', next)).toEqual({ kind: 'applied', snapshot: next });
  });

  it('applies a patch on the version it was computed against', () => {
    const a = snapshot(1);
    const b = snapshot(2, (m) => (m.issues.overdue = 3));
    const patch = diffSnapshot(a, b)!;
    const out = receiveMetrics(a, 'city', patch);
    expect(out.kind).toBe('applied');
    if (out.kind === 'applied') {
      expect(out.snapshot.metrics.issues.overdue).toBe(3);
      expect(out.snapshot.version).toBe(2);
    }
  });

  it('drops a message older than or equal to what it holds', () => {
    expect(receiveMetrics(snapshot(5), 'city', snapshot(5))).toEqual({ kind: 'dropped' });
    expect(receiveMetrics(snapshot(5), 'city', snapshot(4))).toEqual({ kind: 'dropped' });
  });

  it('asks for a fresh snapshot when a patch does not apply to the version held (a gap)', () => {
    const patch = diffSnapshot(
      snapshot(2),
      snapshot(3, (m) => (m.inspections.today = 1)),
    )!;
    expect(receiveMetrics(snapshot(1), 'city', patch)).toEqual({ kind: 'resync' });
    expect(receiveMetrics(null, 'city', patch)).toEqual({ kind: 'resync' });
  });

  it('ignores pushes for another scope', () => {
    expect(receiveMetrics(snapshot(1), 'city', snapshot(9, undefined, '430211'))).toEqual({
      kind: 'dropped',
    });
  });

  it('keeps a push that overtook the subscribe ack', () => {
    const pushed = snapshot(7);
    expect(receiveSnapshot(pushed, snapshot(6))).toBe(pushed);
    const fresh = snapshot(8);
    expect(receiveSnapshot(pushed, fresh)).toBe(fresh);
  });
});

describe('staleness: what the header says about the data on screen', () => {
  it('is connecting before any data, live when subscribed, stale with data but no link, error when refused', () => {
    expect(liveState({ subscribed: false, refused: false, hasData: false, answered: false })).toBe(
      'connecting',
    );
    // the first snapshot over HTTP, the socket not yet answered
    expect(liveState({ subscribed: false, refused: false, hasData: true, answered: false })).toBe(
      'connecting',
    );
    expect(liveState({ subscribed: true, refused: false, hasData: true, answered: true })).toBe('live');
    expect(liveState({ subscribed: false, refused: false, hasData: true, answered: true })).toBe('stale');
    expect(liveState({ subscribed: false, refused: true, hasData: true, answered: true })).toBe('error');
  });

  it('counts the data age from the last word of the server while the link is down', () => {
    expect(dataAgeSeconds(true, 1_000, 99_000)).toBe(0);
    expect(dataAgeSeconds(false, 1_000, 13_999)).toBe(12);
    expect(dataAgeSeconds(false, null, 13_999)).toBeNull();
    expect(dataAgeSeconds(false, 20_000, 10_000)).toBe(0);
  });

  it('turns from reconnecting (amber) to data interrupted (red) after 60 s', () => {
    expect(linkLevel('live', 0)).toBe('live');
    expect(linkLevel('stale', 59)).toBe('reconnecting');
    expect(linkLevel('stale', OUTAGE_AFTER_MS / 1000)).toBe('down');
    expect(linkLevel('connecting', null, 10_000)).toBe('connecting');
    expect(linkLevel('connecting', null, OUTAGE_AFTER_MS)).toBe('down');
    expect(linkLevel('error', 0)).toBe('refused');
  });

  it('judges the newest event by the server clock and never goes negative', () => {
    const t = Date.parse('2026-11-26T06:00:00Z');
    expect(eventAgeSeconds('2026-11-26T06:00:00Z', t + 5_400)).toBe(5);
    expect(eventAgeSeconds('2026-11-26T06:00:00Z', t + 5_400, 2_000)).toBe(7);
    expect(eventAgeSeconds('2026-11-26T06:00:10Z', t)).toBe(0);
    expect(eventAgeSeconds(null, t)).toBeNull();
  });
});
