/** Pure state handling of one scope's live metrics: versions, gaps, staleness (SPEC §8). */
import { applyMetricsMessage, type MetricsMessage, type Snapshot } from '@dudao/domain';

export type LiveState = 'connecting' | 'live' | 'stale' | 'error';

/** Without a word from the server for this long, the wall says "数据中断" (docs/WALL.md). */
export const OUTAGE_AFTER_MS = 60_000;

export type MessageOutcome =
  | { kind: 'applied'; snapshot: Snapshot }
  /** older than or equal to what we hold: dropped */
  | { kind: 'dropped' }
  /** a patch we cannot apply: keep what we show, ask for a fresh snapshot */
  | { kind: 'resync' };

/** One `metrics` push against the snapshot held; a message for another scope is dropped. */
export function receiveMetrics(current: Snapshot | null, scope: string, msg: MetricsMessage): MessageOutcome {
  if (msg.scope !== scope) return { kind: 'dropped' };
  const r = applyMetricsMessage(current, msg);
  if (r.status === 'applied') return { kind: 'applied', snapshot: r.snapshot };
  return r.status === 'gap' ? { kind: 'resync' } : { kind: 'dropped' };
}

/**
 * The answer to `subscribe`: a fresh snapshot replaces what we hold unless a newer push already
 * arrived in between (the ack and a push can cross on the wire).
 */
export function receiveSnapshot(current: Snapshot | null, snapshot: Snapshot): Snapshot {
  return current && current.scope === snapshot.scope && current.version > snapshot.version
    ? current
    : snapshot;
}

export interface LinkFacts {
  /** the socket is connected and the scope subscribed */
  subscribed: boolean;
  /** the server refused the scope or the key */
  refused: boolean;
  hasData: boolean;
  /**
   * the socket answered a subscribe at least once on this page; before that the data (if any) is the
   * first snapshot fetched over HTTP: fresh, the link still connecting
   */
  answered: boolean;
}

export function liveState(f: LinkFacts): LiveState {
  if (f.refused) return 'error';
  if (f.subscribed && f.hasData) return 'live';
  return f.hasData && f.answered ? 'stale' : 'connecting';
}

/**
 * How old what we show is, in whole seconds: 0 while subscribed (the server pushes every change),
 * else the time since we last heard from the server; null before any data.
 */
export function dataAgeSeconds(
  subscribed: boolean,
  lastContactMs: number | null,
  nowMs: number,
): number | null {
  if (lastContactMs === null) return null;
  if (subscribed) return 0;
  return Math.max(0, Math.floor((nowMs - lastContactMs) / 1000));
}

/** Seconds since the newest event the server has seen (`activity.lastEventAt`), by the server's clock. */
export function eventAgeSeconds(
  lastEventAt: string | null | undefined,
  nowMs: number,
  skewMs = 0,
): number | null {
  if (!lastEventAt) return null;
  const t = Date.parse(lastEventAt);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.floor((nowMs + skewMs - t) / 1000));
}

/** `replay`: the wall plays a past day (SPEC §15), no link is wanted. */
export type LinkLevel = 'connecting' | 'live' | 'reconnecting' | 'down' | 'refused' | 'replay';

/** The header's status band: green live, amber reconnecting, red after OUTAGE_AFTER_MS. */
export function linkLevel(state: LiveState, ageSeconds: number | null, sinceConnectAttemptMs = 0): LinkLevel {
  if (state === 'error') return 'refused';
  if (state === 'live') return 'live';
  if (state === 'stale') return (ageSeconds ?? 0) * 1000 >= OUTAGE_AFTER_MS ? 'down' : 'reconnecting';
  return sinceConnectAttemptMs >= OUTAGE_AFTER_MS ? 'down' : 'connecting';
}
