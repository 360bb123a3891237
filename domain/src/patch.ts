/**
 * The `metrics` push of SPEC §8: a full snapshot, or only the changed part of one. A patch names the
 * version it applies to (`base`), so a client that missed one can tell and ask for a fresh snapshot.
 */
import type { DistrictSnapshot, Metrics, Snapshot } from './metrics.ts';

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends number[] ? T[K] : DeepPartial<T[K]> };

export interface MetricsPatch {
  scope: string;
  version: number;
  asOf: string;
  /** The version this patch was computed against. */
  base: number;
  metrics?: DeepPartial<Metrics>;
  districts?: { adcode: string; metrics: DeepPartial<Metrics> }[];
}

export type MetricsMessage = Snapshot | MetricsPatch;

export const isPatch = (m: MetricsMessage): m is MetricsPatch => 'base' in m;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The members of `next` that differ from `prev`; arrays and scalars are replaced whole. */
function diffValue(prev: unknown, next: unknown): unknown {
  if (isObject(prev) && isObject(next)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(next)) {
      const d = diffValue(prev[key], next[key]);
      if (d !== undefined) out[key] = d;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return JSON.stringify(prev) === JSON.stringify(next) ? undefined : next;
}

function mergeValue<T>(target: T, patch: unknown): T {
  if (!isObject(target) || !isObject(patch)) return patch as T;
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) out[k] = mergeValue(out[k], v);
  return out as T;
}

/** The patch that takes a client from `prev` to `next`, or null when nothing changed. */
export function diffSnapshot(prev: Snapshot, next: Snapshot): MetricsPatch | null {
  const metrics = diffValue(prev.metrics, next.metrics) as DeepPartial<Metrics> | undefined;
  const before = new Map((prev.districts ?? []).map((d) => [d.adcode, d.metrics]));
  const districts = (next.districts ?? []).flatMap((d) => {
    const changed = diffValue(before.get(d.adcode), d.metrics) as DeepPartial<Metrics> | undefined;
    return changed ? [{ adcode: d.adcode, metrics: changed }] : [];
  });
  if (!metrics && districts.length === 0) return null;
  const patch: MetricsPatch = {
    scope: next.scope,
    version: next.version,
    asOf: next.asOf,
    base: prev.version,
  };
  if (metrics) patch.metrics = metrics;
  if (districts.length > 0) patch.districts = districts;
  return patch;
}

export type ApplyResult =
  | { status: 'applied'; snapshot: Snapshot }
  /** older than or equal to what the client has: dropped */
  | { status: 'stale' }
  /** a patch for a version the client does not hold: it must resubscribe for a fresh snapshot */
  | { status: 'gap' };

/** Client side: keep the highest version, ignore older ones, detect gaps. */
export function applyMetricsMessage(current: Snapshot | null, msg: MetricsMessage): ApplyResult {
  if (current && msg.version <= current.version) return { status: 'stale' };
  if (!isPatch(msg)) return { status: 'applied', snapshot: msg };
  if (!current || current.version !== msg.base) return { status: 'gap' };
  const byCode = new Map((msg.districts ?? []).map((d) => [d.adcode, d.metrics]));
  const districts = current.districts?.map((d): DistrictSnapshot =>
    byCode.has(d.adcode) ? { ...d, metrics: mergeValue(d.metrics, byCode.get(d.adcode)) } : d,
  );
  const snapshot: Snapshot = {
    ...current,
    version: msg.version,
    asOf: msg.asOf,
    metrics: msg.metrics ? mergeValue(current.metrics, msg.metrics) : current.metrics,
  };
  if (districts) snapshot.districts = districts;
  return { status: 'applied', snapshot };
}
