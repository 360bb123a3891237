/**
 * Every Redis key name of a deployment, and nothing else formats one. A deployment's keys start
 * with its namespace (REDIS_NAMESPACE, default `dudao`), so several deployments or test runs share
 * one Redis. A city's keys carry the city as a hash tag (`dudao:{430200}:…`), so in Redis Cluster
 * a city lives in one slot and its Lua scripts and MULTIs stay legal.
 *
 * | key                                   | what                                   | who              |
 * | ------------------------------------- | -------------------------------------- | ---------------- |
 * | `ns:{city}:b:…`, `m:…`, `dl:…`, …     | the live store (see `LiveKeys`)        | live/redis-store |
 * | `ns:{city}:changed`                   | Pub/Sub channel of changed districts   | live/redis-store |
 * | `ns:{city}:leader`                    | leader lease of periodic work          | cluster          |
 * | `ns:{city}:socket.io…`                | Socket.IO adapter channels             | cluster          |
 * | `ns:lock:<name>`                      | single-run lock of a job (the nightly) | ops/run-lock     |
 * | `ns:rate-limit:<key id>:<kind>`       | requests per minute per key            | rate-limit       |
 */
import type { Bucket, MemberSet } from '@dudao/domain';

export const DEFAULT_NAMESPACE = 'dudao';

/** Escapes SCAN's glob characters, so a namespace is matched literally. */
const escapeGlob = (s: string): string => s.replace(/[*?[\]\\]/g, '\\$&');

/** `ns:{city}`: the start of every key of one city. */
const cityPrefix = (namespace: string, cityAdcode: string) => `${namespace}:{${cityAdcode}}`;

/** The live store's keys of one city (layout and TTLs: `live/redis-keys.ts`). */
export class LiveKeys {
  /** `ns:{city}:`, the start of every key of this city */
  readonly prefix: string;
  readonly versions: string;
  /** hash: district → newest occurredAt (ms) */
  readonly lastEventAt: string;
  /** Pub/Sub channel of changed districts: not a key, but named alike so it is found alike. */
  readonly channel: string;

  constructor(namespace: string, cityAdcode: string) {
    this.prefix = `${cityPrefix(namespace, cityAdcode)}:`;
    this.versions = `${this.prefix}versions`;
    this.lastEventAt = `${this.prefix}last`;
    this.channel = `${this.prefix}changed`;
  }

  /** hash: field → count */
  bucket(district: string, bucket: Bucket): string {
    return `${this.prefix}b:${district}:${bucket}`;
  }

  /** set of distinct members of one window */
  members(district: string, set: MemberSet, window: string): string {
    return `${this.prefix}m:${district}:${set}:${window}`;
  }

  /** sorted set: open issue id → deadline (ms) */
  deadlines(district: string): string {
    return `${this.prefix}dl:${district}`;
  }

  /** list of feed items as JSON, newest first */
  feed(scope: string): string {
    return `${this.prefix}feed:${scope}`;
  }

  /** SCAN pattern of every key of this city. */
  get pattern(): string {
    return `${escapeGlob(this.prefix)}*`;
  }

  /** The keys a rebuild replaces: counters, sets and deadlines, not the feed nor the versions. */
  isCounterKey(key: string): boolean {
    const rest = key.startsWith(this.prefix) ? key.slice(this.prefix.length) : '';
    return rest.startsWith('b:') || rest.startsWith('m:') || rest.startsWith('dl:') || rest === 'last';
  }
}

/** The leader lease of one city's periodic work (the overdue clock, the nightly). */
export const leaderLeaseKey = (namespace: string, cityAdcode: string) =>
  `${cityPrefix(namespace, cityAdcode)}:leader`;

/** Channel prefix of the Socket.IO Redis adapter: one city's rooms share its slot. */
export const socketAdapterPrefix = (namespace: string, cityAdcode: string) =>
  `${cityPrefix(namespace, cityAdcode)}:socket.io`;

/** The single-run lock of a job (`nightly:<city>`). */
export const runLockKey = (namespace: string, name: string) => `${namespace}:lock:${name}`;

/** Prefix of the shared rate-limit counters (@fastify/rate-limit appends the counted key). */
export const rateLimitPrefix = (namespace: string) => `${namespace}:rate-limit:`;

/** SCAN pattern of every key of a deployment (a finished test or bench run deletes its own). */
export const namespacePattern = (namespace: string) => `${escapeGlob(namespace)}:*`;
