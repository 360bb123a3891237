/**
 * The ingest pipeline with group commit: concurrent requests are queued and written together in one
 * statement (atomic on its own); the next group is decided while one commits (runs of groups under
 * the city's advisory lock, so instances take turns); each request is answered only after its
 * group's commit, and the counter deltas go to the live store after it, in commit order.
 */
import {
  isDatabaseUnavailable,
  loadLedgerState,
  withCityIngestLock,
  writeLedger,
  type Database,
  type Db,
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
import { MAX_FEED_ITEMS } from '../live/store.ts';
import type { LiveStore } from '../live/store.ts';
import type { Registry } from '../registry.ts';
import { BatchWorld, ledgerKeysOf } from './batch-world.ts';
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
  /** tried alone: its group failed in the database, and this finds which request it was */
  solo: boolean;
}

/** Work that must not interleave with ingest groups (a live-store rebuild). */
interface ExclusiveTask {
  run: () => Promise<void>;
  done: (err?: unknown) => void;
}

/**
 * Requests are grouped until their events reach this many; a single larger request goes alone.
 * Small enough that a few batched requests in flight make several groups, so one is decided while
 * the one before commits (at 5,000, four 1,000-event requests were one group and nothing overlapped).
 */
const MAX_EVENTS_PER_GROUP = 1000;
/**
 * A hold of the city lock ends after this many groups or this long, whichever comes first, so other
 * instances and a rebuild get their turn. Time matters with several instances: a waiter's lock
 * request is a query, failed after the database query timeout (15 s): at 50 groups alone a busy
 * instance held the lock for 25 s and the others answered 503 (the bench's three instances did).
 */
const MAX_GROUPS_PER_RUN = 50;
const MAX_RUN_MS = 1_000;

export interface PipelineDeps {
  database: Database;
  live: LiveStore;
  registry: Registry;
  now?: () => number;
  /** `occurredAt` older than this many days is refused as `too_old` (0 = no limit) */
  maxEventAgeDays: number;
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
  /** live-store applies, one after another in commit order */
  private applying: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly deps: PipelineDeps) {
    this.now = deps.now ?? Date.now;
  }

  submit(events: DudaoEvent[], writeScope: string | null): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, writeScope, resolve, reject, solo: false });
      this.flushing ??= this.flushAll();
    });
  }

  /** Runs `task` between two runs of ingest groups of this process (nothing committing, nothing applying). */
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
      if (this.queue.length > 0 && this.exclusive.length === 0) await this.run();
    }
    this.flushing = null;
  }

  /**
   * One run of groups under the city's ingest lock (PostgreSQL: instances take turns; a rebuild on
   * any instance waits for the end of a run, when every commit of it is in the live store). PGlite's
   * files belong to one process, which is lock enough.
   */
  private async run(): Promise<void> {
    const { database, registry } = this.deps;
    let started = false;
    try {
      if (database.kind === 'pglite') await this.runGroups(database.db);
      else
        await withCityIngestLock(database, registry.city.adcode, (session) => {
          started = true;
          return this.runGroups(session);
        });
    } catch (err) {
      // The lock could not be taken: one group fails as its commit would have (a retry is harmless).
      // After a run began, every group of it was answered already (the lock goes with its session).
      this.deps.onStorageFailure?.(err);
      if (!started && this.queue.length > 0) this.settleFailure(this.takeGroup(), err);
    }
  }

  /**
   * Groups in a pipeline: while group N writes and commits on the locked session, group N+1 loads
   * its state on another connection and is decided on top of N's changes (not yet committed, so
   * carried over from N's world); N's live apply overlaps N+1's commit. Nobody else commits while we
   * hold the lock, so the database plus N's changes is the state N+1 would have seen after N.
   */
  private async runGroups(session: Db): Promise<void> {
    let committing: Committing | null = null;
    const runEnds = performance.now() + MAX_RUN_MS;
    for (let groups = 0; this.queue.length > 0 && this.exclusive.length === 0; groups++) {
      if (groups > 0) await new Promise((resolve) => setImmediate(resolve));
      if (groups >= MAX_GROUPS_PER_RUN || performance.now() >= runEnds || this.queue.length === 0) break;
      const jobs = this.takeGroup();
      const decided = await this.decide(jobs, committing?.world ?? null).catch((err: unknown) => err);
      const before = committing ? await committing.result : null;
      committing = null;
      if (before?.retry) {
        // The group before failed, and these were decided on its changes: both go back, in order.
        this.queue.unshift(...before.retry, ...jobs);
        continue;
      }
      if (!(decided instanceof DecidedGroup)) {
        this.settleFailure(jobs, decided);
        continue;
      }
      committing = this.commit(session, jobs, decided);
    }
    const last = committing ? await committing.result : null;
    if (last?.retry) this.queue.unshift(...last.retry);
    // Every commit of the run is in the live store before the lock goes.
    await this.applying;
  }

  private takeGroup(): Job[] {
    if (this.queue[0]?.solo) return this.queue.splice(0, 1);
    let events = 0;
    let n = 0;
    while (
      n < this.queue.length &&
      !this.queue[n]!.solo &&
      (n === 0 || events + this.queue[n]!.events.length <= MAX_EVENTS_PER_GROUP)
    ) {
      events += this.queue[n]!.events.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  /** Loads the group's state (outside the session: it may be busy committing) and decides it. */
  private async decide(jobs: Job[], uncommitted: BatchWorld | null): Promise<DecidedGroup> {
    const { database, registry, maxEventAgeDays } = this.deps;
    const state = await loadLedgerState(database.db, ledgerKeysOf(jobs.flatMap((job) => job.events)));
    uncommitted?.carryInto(state);
    const world = new BatchWorld(registry.city.timezone, registry.districtCodes, state);
    return new DecidedGroup(world, decideGroup(jobs, world, { registry, now: this.now(), maxEventAgeDays }));
  }

  /** Writes and commits a decided group; after the commit its deltas go to the live store in order. */
  private commit(session: Db, jobs: Job[], group: DecidedGroup): Committing {
    const writes = { events: group.outcome.rows, ...group.world.writes() };
    // One statement, atomic on its own: no BEGIN and COMMIT round trips around it.
    const result = writeLedger(session, writes).then(
      () => {
        const applied = this.applying.then(() => this.applyToLive(group.outcome));
        this.applying = applied;
        // On disk before anyone is answered (SPEC §5); the next group need not wait for it.
        void Promise.all([this.deps.database.syncCommitted(), applied]).then(
          () => this.answer(jobs, group.outcome),
          (err: unknown) => {
            this.deps.onStorageFailure?.(err);
            this.settleFailure(jobs, err);
          },
        );
        return {};
      },
      (err: unknown) => this.commitFailed(jobs, err),
    );
    return { world: group.world, result };
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

  private answer(jobs: Job[], outcome: GroupOutcome): void {
    jobs.forEach((job, i) => job.resolve(outcome.results[i]!));
    this.deps.onCommitted?.({
      requests: jobs.length,
      accepted: outcome.results.reduce((n, r) => n + r.accepted, 0),
      duplicates: outcome.results.reduce((n, r) => n + r.duplicates, 0),
      rejected: outcome.results.flatMap((r) => r.rejected),
    });
  }

  /**
   * A request the database refuses for its content must not fail the others of its group: they are
   * tried again one by one, and only that request fails (a 500: the edge missed it).
   */
  private commitFailed(jobs: Job[], err: unknown): CommitResult {
    this.deps.onStorageFailure?.(err);
    if (!isDatabaseUnavailable(err) && jobs.length > 1)
      return { retry: jobs.map((job) => ({ ...job, solo: true })) };
    this.settleFailure(jobs, err);
    return {};
  }

  private settleFailure(jobs: Job[], err: unknown): void {
    const failure = isDatabaseUnavailable(err) ? new StorageUnavailableError(err) : asError(err);
    for (const job of jobs) job.reject(failure);
  }
}

/** A group decided on its world; the world carries its changes into the next group until committed. */
class DecidedGroup {
  constructor(
    readonly world: BatchWorld,
    readonly outcome: GroupOutcome,
  ) {}
}

interface CommitResult {
  /** jobs to try again (one by one), ahead of anything decided on their changes */
  retry?: Job[];
}

interface Committing {
  world: BatchWorld;
  result: Promise<CommitResult>;
}

interface GroupOutcome {
  results: IngestResult[];
  rows: NewEventRow[];
  deltas: Delta[];
  feed: FeedItem[];
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

interface GroupContext {
  registry: Registry;
  now: number;
  maxEventAgeDays: number;
}

function decideGroup(jobs: Job[], world: BatchWorld, context: GroupContext): GroupOutcome {
  const { registry, now, maxEventAgeDays } = context;
  const out: GroupOutcome = { results: [], rows: [], deltas: [], feed: [] };
  const accepted: DudaoEvent[] = [];
  const receivedAt = new Date(now);
  for (const job of jobs) {
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
    job.events.forEach((event, index) => {
      const refuse = (code: ItemCode, message: string) =>
        result.rejected.push({ index, id: event.id, code, message });
      const envelope = checkEnvelope(event, world, job.writeScope, now, maxEventAgeDays);
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
      accepted.push(event);
      out.rows.push({
        id: event.id,
        type: event.type,
        district: event.district,
        inspector: event.inspector ?? null,
        occurredAt: new Date(Date.parse(event.occurredAt)),
        receivedAt,
        contentHash: hash,
        payload: event,
      });
    });
    out.results.push(result);
  }
  // An item's names do not change over its object's life, so the group's final world names it.
  out.feed = keptByFeeds(accepted).map((event) => feedItem(event, world, registry));
  return out;
}

/**
 * The accepted events, in order, that the live store's feeds keep: the newest MAX_FEED_ITEMS of
 * the city and of each district. Items for the others would be built only to be trimmed.
 */
function keptByFeeds(accepted: DudaoEvent[]): DudaoEvent[] {
  if (accepted.length <= MAX_FEED_ITEMS) return accepted;
  const perDistrict = new Map<string, number>();
  const kept: boolean[] = [];
  for (let i = accepted.length - 1; i >= 0; i--) {
    const district = accepted[i]!.district;
    const inDistrict = perDistrict.get(district) ?? 0;
    perDistrict.set(district, inDistrict + 1);
    kept[i] = accepted.length - 1 - i < MAX_FEED_ITEMS || inDistrict < MAX_FEED_ITEMS;
  }
  return accepted.filter((_, i) => kept[i]);
}
