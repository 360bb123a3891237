/**
 * A single-run lock for periodic jobs (the nightly): of several instances — or an instance and the
 * `pnpm nightly` CLI — that try the same job at once, one runs it and the others skip it. With
 * REDIS_URL it is a Redis key (SET NX PX, renewed while the job runs, released only by its owner);
 * without, a PostgreSQL session advisory lock, which PostgreSQL drops if the holder dies.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { selectRow, type Database } from '@dudao/db';
import { closeRedis, createRedis } from '../redis/connections.ts';
import { runLockKey } from '../redis/keys.ts';

export type LockedRun<T> = { ran: true; value: T } | { ran: false };

export interface RunLock {
  readonly kind: 'redis' | 'database';
  /** Runs `fn` if no one else holds `name`; else resolves `{ ran: false }` at once. */
  tryRun<T>(name: string, fn: () => Promise<T>): Promise<LockedRun<T>>;
}

/** A Redis lock expires this long after its last renewal, so a crashed holder frees it. */
export const REDIS_LOCK_TTL_MS = 60_000;
/** Renew well before expiry: a slow renewal must not let a second runner in. */
const RENEW_EVERY_MS = REDIS_LOCK_TTL_MS / 3;

/** Only the holder's token may extend or delete the key (another runner may own it after expiry). */
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

const NOT_RUN = { ran: false } as const;
const ran = <T>(value: T): LockedRun<T> => ({ ran: true, value });

/**
 * Runs of this process, whichever lock object they came through: PostgreSQL advisory locks are
 * re-entrant within one session (and PGlite has only one), so the process keeps its own count.
 */
const localRuns = new Set<string>();

async function locally<T>(name: string, fn: () => Promise<LockedRun<T>>): Promise<LockedRun<T>> {
  if (localRuns.has(name)) return NOT_RUN;
  localRuns.add(name);
  try {
    return await fn();
  } finally {
    localRuns.delete(name);
  }
}

export class RedisRunLock implements RunLock {
  readonly kind = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  tryRun<T>(name: string, fn: () => Promise<T>): Promise<LockedRun<T>> {
    return locally(name, async (): Promise<LockedRun<T>> => {
      const key = runLockKey(this.namespace, name);
      const token = randomUUID();
      const taken = await this.redis.set(key, token, 'PX', REDIS_LOCK_TTL_MS, 'NX');
      if (taken !== 'OK') return NOT_RUN;
      const renew = setInterval(() => {
        this.redis.eval(RENEW_SCRIPT, 1, key, token, REDIS_LOCK_TTL_MS).catch(() => {});
      }, RENEW_EVERY_MS);
      try {
        return await fn().then(ran);
      } finally {
        clearInterval(renew);
        await this.redis.eval(RELEASE_SCRIPT, 1, key, token).catch(() => {});
      }
    });
  }
}

export class DatabaseRunLock implements RunLock {
  readonly kind = 'database';

  constructor(private readonly database: Database) {}

  tryRun<T>(name: string, fn: () => Promise<T>): Promise<LockedRun<T>> {
    return locally(name, () =>
      // The session holds the lock while `fn` works on other connections of the pool.
      this.database.withSession(async (db): Promise<LockedRun<T>> => {
        const key = `dudao:run:${name}`;
        const lock = await selectRow<{ ok: boolean }>(
          db,
          sql`select pg_try_advisory_lock(hashtext(${key})) as ok`,
        );
        if (!lock?.ok) return NOT_RUN;
        try {
          return await fn().then(ran);
        } finally {
          await db.execute(sql`select pg_advisory_unlock(hashtext(${key}))`);
        }
      }),
    );
  }
}

/** The lock for this deployment: Redis when REDIS_URL is set (one connection, closed by `close`). */
export function openRunLock(o: { database: Database; redisUrl: string | undefined; namespace: string }): {
  lock: RunLock;
  close: () => Promise<void>;
} {
  if (!o.redisUrl) return { lock: new DatabaseRunLock(o.database), close: async () => {} };
  // Connected when the first run needs it; an outage fails that run (and is logged there).
  const redis = createRedis(o.redisUrl, 'queueing', { lazyConnect: true });
  return { lock: new RedisRunLock(redis, o.namespace), close: () => closeRedis(redis) };
}
