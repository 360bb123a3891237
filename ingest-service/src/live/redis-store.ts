/**
 * The live store in Redis (REDIS_URL): any number of instances serve one city from the same keys
 * (layout in `redis-keys.ts`) and learn of each other's changes on one Pub/Sub channel.
 */
import { randomUUID } from 'node:crypto';
import type { ChainableCommander, Cluster, Redis, Result } from 'ioredis';
import {
  counterReadsAt,
  countersFrom,
  type CounterRead,
  type Delta,
  type DistrictCounters,
  type FeedItem,
  type LiveImage,
  type ReadValue,
} from '@dudao/domain';
import { closeRedis } from '../redis/connections.ts';
import { APPLY_SCRIPT, DEFAULT_NAMESPACE, deltaWrites, imageWrites, LiveKeys } from './redis-keys.ts';
import {
  ChangeListeners,
  CITY_SCOPE,
  MAX_FEED_ITEMS,
  type CountersRead,
  type Feeds,
  type LiveStore,
  type Scope,
} from './store.ts';

/** How long `ping()` waits for PONG before it calls Redis down. */
const PING_TIMEOUT_MS = 1_000;
const SCAN_BATCH = 1_000;

export interface RedisLiveStoreOptions {
  /**
   * a connected client the caller owns (closed by `close()` only with `quitOnClose`), without a
   * `keyPrefix`: the script gets keys as arguments, which ioredis would not prefix; use `namespace`
   */
  redis: RedisClient;
  /** a connection for Pub/Sub; without one, `redis` is duplicated and the copy closed by `close()` */
  subscriber?: RedisClient;
  cityAdcode: string;
  timezone: string;
  /** first part of every key and of the channel; default `dudao` */
  namespace?: string;
  /** also quit `redis` and a given `subscriber` on `close()`: for a caller that hands them over */
  quitOnClose?: boolean;
}

interface ChangeMessage {
  origin: string;
  districts: string[];
}

/**
 * One Redis, or a Redis Cluster: every key of a city carries its hash tag, so a city lives in one
 * slot and its script, MULTI and pipelines run on one node either way.
 */
export type RedisClient = Redis | Cluster;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    dudaoLiveApply(versionsKey: string, ...args: string[]): Result<number, Context>;
  }
}

/** A second connection (or set of them) to the same Redis or Cluster. */
export const duplicate = (client: RedisClient): RedisClient =>
  'nodes' in client ? client.duplicate() : client.duplicate();

/** Fields of a Redis hash as numbers (HINCRBY keeps integers, so Number is exact). */
const numbers = (hash: Record<string, string>): Record<string, number> =>
  Object.fromEntries(Object.entries(hash).map(([field, value]) => [field, Number(value)]));

/** The replies of a MULTI or pipeline, or its first error. */
function replies(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error('live store: Redis transaction was aborted');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

export class RedisLiveStore implements LiveStore {
  readonly kind = 'redis';
  /** resolves once this instance hears other instances' changes */
  readonly subscribed: Promise<void>;
  private readonly redis: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly ownsSubscriber: boolean;
  private readonly quitOnClose: boolean;
  private readonly keys: LiveKeys;
  private readonly timezone: string;
  private readonly instanceId = randomUUID();
  private readonly listeners = new ChangeListeners();
  private readonly lostListeners = new Set<() => void>();
  private closed = false;

  constructor(options: RedisLiveStoreOptions) {
    this.redis = options.redis;
    this.keys = new LiveKeys(options.namespace ?? DEFAULT_NAMESPACE, options.cityAdcode);
    this.timezone = options.timezone;
    this.quitOnClose = options.quitOnClose ?? false;
    this.redis.defineCommand('dudaoLiveApply', { numberOfKeys: 1, lua: APPLY_SCRIPT });
    this.ownsSubscriber = !options.subscriber;
    this.subscriber = options.subscriber ?? duplicate(this.redis);
    // Connection errors surface through ping() and failed calls; unheard, they would crash the process.
    if (this.ownsSubscriber) this.subscriber.on('error', () => {});
    this.subscriber.on('message', this.onMessage);
    this.subscribed = this.subscriber.subscribe(this.keys.channel).then(() => undefined);
    // Awaiting `subscribed` is optional; an unawaited failure must not be an unhandled rejection.
    this.subscribed.catch(() => {});
    // A connection that dropped may come back to a Redis that restarted empty, or lost writes we
    // were never told failed: either way the store no longer matches the database.
    let connected = this.redis.status === 'ready';
    this.redis.on('ready', () => (connected = true));
    this.redis.on('close', () => {
      if (connected && !this.closed) for (const listener of [...this.lostListeners]) listener();
      connected = false;
    });
  }

  async apply(deltas: readonly Delta[], feed: readonly FeedItem[]): Promise<void> {
    const writes = deltaWrites(this.keys, deltas, feed);
    if (writes.empty) return;
    await this.redis.dudaoLiveApply(
      this.keys.versions,
      ...this.header([...writes.districts], 0),
      ...writes.ops(),
    );
    this.listeners.notify([...writes.districts]);
  }

  async read(districts: readonly string[], now: number): Promise<CountersRead> {
    const reads = counterReadsAt(now, this.timezone);
    // MULTI: a fixed list of reads, no logic; the transaction makes counters and versions one instant.
    const tx = this.redis.multi();
    for (const d of districts) for (const read of reads) this.queueRead(tx, d, read);
    tx.hgetall(this.keys.versions);
    const values = replies(await tx.exec());
    const counters = new Map<string, DistrictCounters>();
    districts.forEach((d, i) => {
      const answers = values.slice(i * reads.length, (i + 1) * reads.length);
      counters.set(
        d,
        countersFrom(
          reads,
          reads.map((read, j) => readValue(read, answers[j])),
        ),
      );
    });
    const stored = numbers(values.at(-1) as Record<string, string>);
    // A scope no instance ever changed has version 0; its first change sets it to the clock.
    const versions = new Map<Scope, number>(Object.entries(stored));
    for (const scope of [CITY_SCOPE, ...districts]) versions.set(scope, stored[scope] ?? 0);
    return { counters, versions };
  }

  /** The one command that answers `read` for district `d`. */
  private queueRead(tx: ChainableCommander, d: string, read: CounterRead): void {
    const k = this.keys;
    switch (read.into) {
      case 'total':
      case 'today':
      case 'month':
        tx.hgetall(k.bucket(d, read.bucket));
        return;
      case 'inspectorsToday':
      case 'coveredSchools':
      case 'coveredInstitutions':
        tx.scard(k.members(d, read.set, read.window));
        return;
      case 'overdue':
        tx.zcount(k.deadlines(d), '-inf', `(${read.deadlinesBefore}`);
        return;
      case 'lastEventAt':
        tx.hget(k.lastEventAt, d);
        return;
    }
  }

  async touch(districts: readonly string[]): Promise<void> {
    const unique = [...new Set(districts)];
    if (unique.length === 0) return;
    await this.redis.dudaoLiveApply(this.keys.versions, ...this.header(unique, 0));
    this.listeners.notify(unique);
  }

  async replace(image: LiveImage, feeds?: Feeds): Promise<void> {
    const [counters, known] = await Promise.all([this.counterKeys(), this.redis.hkeys(this.keys.versions)]);
    const writes = imageWrites(this.keys, image);
    for (const scope of known) if (scope !== CITY_SCOPE) writes.districts.add(scope);
    const stale = [...counters];
    for (const [scope, items] of feeds ?? []) {
      stale.push(this.keys.feed(scope));
      writes.feedList(scope, items);
    }
    // One MULTI deletes and rewrites, so readers see the old image or the new one, never a mix.
    // A key first created by an apply between the SCAN and this MULTI survives it; the nightly
    // rebuild's drift check is what catches that.
    const tx = this.redis.multi();
    if (stale.length > 0) tx.unlink(...stale);
    tx.dudaoLiveApply(this.keys.versions, ...this.header([...writes.districts], Date.now()), ...writes.ops());
    replies(await tx.exec());
    this.listeners.notify([...writes.districts]);
  }

  async feed(scope: Scope, limit: number): Promise<FeedItem[]> {
    const count = Math.min(limit, MAX_FEED_ITEMS);
    if (count <= 0) return [];
    const items = await this.redis.lrange(this.keys.feed(scope), 0, count - 1);
    return items.map((json) => JSON.parse(json) as FeedItem);
  }

  async deadlinesPassed(from: number, to: number): Promise<string[]> {
    const districts = (await this.redis.hkeys(this.keys.versions)).filter((scope) => scope !== CITY_SCOPE);
    if (districts.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const d of districts) pipeline.zcount(this.keys.deadlines(d), `(${from}`, to);
    const counts = replies(await pipeline.exec());
    return districts.filter((_, i) => Number(counts[i]) > 0);
  }

  onChange(listener: (districts: string[]) => void): () => void {
    return this.listeners.add(listener);
  }

  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  async ping(): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.redis.ping().then((reply) => reply === 'PONG'), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.lostListeners.clear();
    this.subscriber.off('message', this.onMessage);
    if (this.ownsSubscriber || this.quitOnClose) await closeRedis(this.subscriber);
    else await this.subscriber.unsubscribe(this.keys.channel).catch(() => undefined);
    if (this.quitOnClose) await closeRedis(this.redis);
  }

  /** The script's arguments before its ops. */
  private header(districts: string[], versionFloor: number): string[] {
    return [
      this.instanceId,
      String(Date.now()),
      String(versionFloor),
      String(MAX_FEED_ITEMS),
      this.keys.channel,
      String(districts.length),
      ...districts,
    ];
  }

  /** This city's counter keys (not its feed, not its versions), on every master of a Cluster. */
  private async counterKeys(): Promise<string[]> {
    const nodes = 'nodes' in this.redis ? this.redis.nodes('master') : [this.redis];
    const found = await Promise.all(nodes.map((node) => this.scanCounterKeys(node)));
    return found.flat();
  }

  private async scanCounterKeys(node: Redis): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', this.keys.pattern, 'COUNT', SCAN_BATCH);
      cursor = next;
      found.push(...keys.filter((key) => this.keys.isCounterKey(key)));
    } while (cursor !== '0');
    return found;
  }

  /** Another instance changed districts: our listeners learn of it; our own changes were told already. */
  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== this.keys.channel) return;
    let change: ChangeMessage;
    try {
      change = JSON.parse(message) as ChangeMessage;
    } catch {
      return; // not ours to read: a message of another version sharing the channel
    }
    if (change.origin !== this.instanceId && Array.isArray(change.districts))
      this.listeners.notify(change.districts);
  };
}

/** A Redis reply to `queueRead` as the value `countersFrom` takes. */
function readValue(read: CounterRead, reply: unknown): ReadValue {
  switch (read.into) {
    case 'total':
    case 'today':
    case 'month':
      return numbers(reply as Record<string, string>);
    case 'lastEventAt':
      return reply === null ? null : Number(reply);
    default:
      return Number(reply);
  }
}
