/**
 * The ingest pipeline with group commit: concurrent requests are queued and written together in one
 * transaction (under a city-wide advisory lock, so instances serialise), each request is answered
 * only after that commit, and the counter deltas go to the live store after it.
 */
import {
  isDatabaseUnavailable,
  loadLedgerState,
  withCityIngestLock,
  writeLedger,
  type Database,
  type LedgerKeys,
  type NewEventRow,
} from '@dudao/db';
import {
  checkEnvelope,
  decide,
  type Delta,
  type DudaoEvent,
  type FeedItem,
  type ItemCode,
} from '@dudao/domain';
import type { LiveStore } from '../live/store.ts';
import type { Registry } from '../registry.ts';
import { BatchWorld } from './batch-world.ts';
import { contentHash } from './content-hash.ts';
import { feedItem } from './feed-item.ts';

export interface RejectedItem {
  index: number;
  id: string;
  code: ItemCode;
  message: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedItem[];
}

/** The database could not commit: nothing of the request was stored, the sender must retry. */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the database is unavailable', { cause });
  }
}

interface Job {
  events: DudaoEvent[];
  writeScope: string | null;
  resolve: (r: IngestResult) => void;
  reject: (e: Error) => void;
}

/** Work that must not interleave with ingest groups (a live-store rebuild). */
interface ExclusiveTask {
  run: () => Promise<void>;
  done: (err?: unknown) => void;
}

/** Requests are grouped until their events reach this many; a single larger request goes alone. */
const MAX_EVENTS_PER_TRANSACTION = 5000;

export interface PipelineDeps {
  database: Database;
  live: LiveStore;
  registry: Registry;
  now?: () => number;
  /** told after each commit, e.g. for Prometheus counters */
  onCommitted?: (stats: {
    requests: number;
    accepted: number;
    duplicates: number;
    rejected: RejectedItem[];
  }) => void;
  /** told when the live store could not take committed deltas: it must be rebuilt */
  onLiveStoreFailure?: (err: unknown) => void;
  /**
   * told when a group's transaction failed: the requests get 503, yet a COMMIT whose answer was
   * lost may have gone through without its deltas, so the live store must be rebuilt
   */
  onStorageFailure?: (err: unknown) => void;
}

export class IngestPipeline {
  private queue: Job[] = [];
  private exclusive: ExclusiveTask[] = [];
  private flushing: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: PipelineDeps) {
    this.now = deps.now ?? Date.now;
  }

  submit(events: DudaoEvent[], writeScope: string | null): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, writeScope, resolve, reject });
      this.flushing ??= this.flushAll();
    });
  }

  /** Runs `task` between two ingest groups of this process. */
  runExclusive(task: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.exclusive.push({ run: task, done: (err) => (err === undefined ? resolve() : reject(err)) });
      this.flushing ??= this.flushAll();
    });
  }

  /** Resolves when every queued request has been answered (used when shutting down). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushAll(): Promise<void> {
    while (this.queue.length > 0 || this.exclusive.length > 0) {
      const task = this.exclusive.shift();
      if (task) await task.run().then(() => task.done(), task.done);
      // One turn of the event loop first, so requests that arrived meanwhile join this group. With
      // PGlite (WASM on this thread) a group yields to no I/O, and without this turn every group
      // was one request: 127 requests/s. PostgreSQL's network waits yield anyway.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.queue.length > 0) await this.flushGroup(this.takeGroup());
    }
    this.flushing = null;
  }

  private takeGroup(): Job[] {
    let events = 0;
    let n = 0;
    while (
      n < this.queue.length &&
      (n === 0 || events + this.queue[n]!.events.length <= MAX_EVENTS_PER_TRANSACTION)
    ) {
      events += this.queue[n]!.events.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async applyToLive(outcome: GroupOutcome): Promise<void> {
    if (outcome.deltas.length === 0 && outcome.feed.length === 0) return;
    try {
      await this.deps.live.apply(outcome.deltas, outcome.feed);
    } catch (err) {
      // The commit stands (the database is the truth); the live store is rebuilt when it is back.
      this.deps.onLiveStoreFailure?.(err);
    }
  }

  private async flushGroup(jobs: Job[]): Promise<void> {
    const { database, registry } = this.deps;
    const now = this.now();
    let outcome: GroupOutcome;
    try {
      outcome = await withCityIngestLock(database, registry.city.adcode, async (db) => {
        const committed = await db.transaction(async (tx) => {
          const state = await loadLedgerState(tx, collectKeys(jobs));
          const world = new BatchWorld(registry.city.timezone, registry.districtCodes, state);
          const result = decideGroup(jobs, world, registry, now);
          await writeLedger(tx, { events: result.rows, ...world.writes() });
          return result;
        });
        // Still under the lock: a rebuild cannot slip between this commit and its deltas.
        await this.applyToLive(committed);
        return committed;
      });
      await database.syncCommitted(); // on disk before anyone is answered (SPEC §5)
    } catch (err) {
      this.deps.onStorageFailure?.(err);
      // A request the database refuses for its content must not fail the others of its group:
      // they are tried again one by one, and only that request fails (a 500: the edge missed it).
      if (!isDatabaseUnavailable(err) && jobs.length > 1) {
        for (const job of jobs) await this.flushGroup([job]);
        return;
      }
      const failure = isDatabaseUnavailable(err) ? new StorageUnavailableError(err) : asError(err);
      for (const job of jobs) job.reject(failure);
      return;
    }
    jobs.forEach((job, i) => job.resolve(outcome.results[i]!));
    this.deps.onCommitted?.({
      requests: jobs.length,
      accepted: outcome.results.reduce((n, r) => n + r.accepted, 0),
      duplicates: outcome.results.reduce((n, r) => n + r.duplicates, 0),
      rejected: outcome.results.flatMap((r) => r.rejected),
    });
  }
}

interface GroupOutcome {
  results: IngestResult[];
  rows: NewEventRow[];
  deltas: Delta[];
  feed: FeedItem[];
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

function collectKeys(jobs: Job[]): LedgerKeys {
  const keys = {
    eventIds: new Set<string>(),
    inspectionIds: new Set<string>(),
    issueIds: new Set<string>(),
    complaintIds: new Set<string>(),
    institutionIds: new Set<string>(),
    schoolIds: new Set<string>(),
    inspectorIds: new Set<string>(),
  };
  const addTarget = (t: { kind: string; id: string } | undefined) => {
    if (t) (t.kind === 'school' ? keys.schoolIds : keys.institutionIds).add(t.id);
  };
  for (const job of jobs) {
    for (const e of job.events) {
      keys.eventIds.add(e.id);
      if (e.inspector !== undefined) keys.inspectorIds.add(e.inspector);
      if ('inspectionId' in e && e.inspectionId !== undefined) keys.inspectionIds.add(e.inspectionId);
      if ('issueId' in e) keys.issueIds.add(e.issueId);
      if ('complaintId' in e) keys.complaintIds.add(e.complaintId);
      if ('institutionId' in e) keys.institutionIds.add(e.institutionId);
      if ('schoolId' in e) keys.schoolIds.add(e.schoolId);
      if ('target' in e) addTarget(e.target);
    }
  }
  return Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, [...v]])) as unknown as LedgerKeys;
}

function decideGroup(jobs: Job[], world: BatchWorld, registry: Registry, now: number): GroupOutcome {
  const out: GroupOutcome = { results: [], rows: [], deltas: [], feed: [] };
  const receivedAt = new Date(now);
  for (const job of jobs) {
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
    job.events.forEach((event, index) => {
      const refuse = (code: ItemCode, message: string) =>
        result.rejected.push({ index, id: event.id, code, message });
      const envelope = checkEnvelope(event, world, job.writeScope, now);
      if (envelope) return refuse(envelope.code, envelope.message);
      const hash = contentHash(event);
      const seenHash = world.state.eventHashes.get(event.id);
      if (seenHash !== undefined) {
        if (seenHash === hash) result.duplicates++;
        else refuse('conflict', `event ${event.id} was already received with different content`);
        return;
      }
      const outcome = decide(event, world);
      if (!outcome.ok) return refuse(outcome.code, outcome.message);
      world.apply(outcome.change);
      world.state.eventHashes.set(event.id, hash);
      result.accepted++;
      out.deltas.push(...outcome.deltas);
      out.feed.push(feedItem(event, world, registry));
      out.rows.push({
        id: event.id,
        type: event.type,
        district: event.district,
        inspector: event.inspector ?? null,
        occurredAt: new Date(Date.parse(event.occurredAt)),
        receivedAt,
        contentHash: hash,
        payload: event as unknown as Record<string, unknown>,
      });
    });
    out.results.push(result);
  }
  return out;
}
