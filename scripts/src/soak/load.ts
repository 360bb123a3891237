/**
 * The soak's ingest: senders driving the simulator's city model at a flat rate through the public
 * API, each posting what is due every tick. A sender stops between two requests, never in the
 * middle of one, so every event sent got its answer: acknowledged (accepted or duplicate, both
 * 2xx) or refused. A request is retried as the simulator does (503, 429, network), never dropped.
 */
import { setMaxListeners } from 'node:events';
import type { DudaoEvent } from '@dudao/domain';
import { HttpClient, sleep } from '../simulator/http.ts';
import { CityModel } from '../simulator/model.ts';

/** How often a sender looks for events that are due. */
const TICK_MS = 100;
/** At most this many events per request, the size of a district system's batch. */
const MAX_BATCH = 200;

export interface LoadStats {
  sent: number;
  /** events answered 2xx: accepted now or stored by an earlier try of the same request */
  acknowledged: number;
  rejected: number;
  requests: number;
}

export interface Load {
  stats: LoadStats;
  /** ids of the events answered 2xx, to compare with the ids stored (not only their count) */
  acknowledgedIds: Set<string>;
  /** Stops after the requests in flight are answered. */
  stop(): Promise<void>;
}

export async function startLoad(options: {
  url: string;
  ingestKey: string;
  viewerKey: string;
  ratePerS: number;
  senders: number;
  seed: number;
}): Promise<Load> {
  const stats: LoadStats = { sent: 0, acknowledged: 0, rejected: 0, requests: 0 };
  const acknowledgedIds = new Set<string>();
  let stopping = false;
  // Never aborted mid-request: the run ends by `stopping`, between requests.
  const signal = new AbortController().signal;
  // fetch leaves a listener on the signal until its request is garbage-collected: many, not a leak.
  setMaxListeners(0, signal);
  const client = new HttpClient({
    baseUrl: options.url,
    ingestKey: options.ingestKey,
    viewerKey: options.viewerKey,
    signal,
  });
  const registry = await client.fetchRegistry();
  if (!registry) throw new Error('could not read the registry from the service');
  const startedAt = Date.now();

  const sender = async (n: number) => {
    const model = new CityModel(registry, {
      seed: options.seed + n,
      runTag: `soak${n}x${Math.floor(startedAt / 1000).toString(36)}`,
      startMs: startedAt,
    });
    // A flat rate, day and night: activity never drops below the peak's.
    model.setPace({
      speedup: options.ratePerS / options.senders / model.peakEventsPerSecond(),
      minActivity: 1,
    });
    while (!stopping) {
      const due: DudaoEvent[] = [];
      while (due.length < MAX_BATCH && model.peekAt() <= Date.now()) due.push(model.next());
      if (due.length === 0) {
        await sleep(TICK_MS, signal);
        continue;
      }
      const result = await client.postEvents(due.length === 1 ? due[0]! : due);
      stats.requests++;
      stats.sent += due.length;
      if (!result) continue;
      stats.acknowledged += result.accepted + result.duplicates;
      stats.rejected += result.rejected.length;
      const refused = new Set(result.rejected.map((r) => r.index));
      due.forEach((event, index) => refused.has(index) || acknowledgedIds.add(event.id));
    }
  };
  const running = Promise.all(Array.from({ length: options.senders }, (_, n) => sender(n)));
  return {
    stats,
    acknowledgedIds,
    stop: async () => {
      stopping = true;
      await running;
    },
  };
}
