/**
 * The shared per-key request count (SPEC §9) for @fastify/rate-limit, without a Redis call per
 * request: each instance reserves numbered tickets from the key's Redis counter in blocks and hands
 * them out locally. A request's ticket is its place in the window's count, so `current` means what
 * it meant with one INCR per request (the library's RedisStore): over `max` → 429, and the headers
 * (`x-ratelimit-*`, `Retry-After`) come from the same ticket and the same window TTL.
 *
 * Correctness across instances, stated: tickets are unique within a window (INCRBY is atomic), so
 * a key is NEVER granted more than `max` requests in a window, whatever the number of instances.
 * The tolerance is the other way: tickets an instance reserved and did not use by the window's end
 * are lost, so with N instances a key may be refused while up to N−1 blocks stand unused elsewhere.
 * A block is at most 1 % of the limit (`BLOCK_SHARE`) and at most what that instance had already
 * reserved in the window (blocks double from 1), so a key is refused at the earliest at
 * (1 − (N−1) %) of its limit; limits under 200 per window get blocks of 1 and are exact.
 *
 * The counter key, its script semantics (count, TTL set by the first reservation of a window) and
 * its name are the library's, so instances with either store share one count during an upgrade.
 */
import type { Cluster, Redis, Result } from 'ioredis';

/** A block of tickets is at most this share of the limit (1/100: 1 %). */
const BLOCK_SHARE = 100;
/** Above this many keys held, windows that ended are dropped (keys are API keys: few). */
const SWEEP_ABOVE = 1_000;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    dudaoRateReserve(key: string, block: number, windowMs: number): Result<[number, number], Context>;
  }
}

/** Adds `block` to the window's count; the first reservation of a window starts its TTL. */
const RESERVE_SCRIPT = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {total, ttl}
`;

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

interface Waiter {
  cb: Callback;
  timeWindow: number;
  max: number;
}

/** What this instance holds of one key's current window. */
interface KeyWindow {
  /** local clock (ms) at which the window ends: when its reservation was sent plus Redis' TTL */
  end: number;
  /** the next ticket to hand out, and the last one reserved */
  next: number;
  last: number;
  /** tickets this instance reserved in the window: the next block's size (blocks double) */
  reserved: number;
  reserving: boolean;
  waiting: Waiter[];
}

export class ReservingRedisStore {
  private readonly windows = new Map<string, KeyWindow>();

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {
    if (!(redis as Partial<Redis>).dudaoRateReserve)
      redis.defineCommand('dudaoRateReserve', { numberOfKeys: 1, lua: RESERVE_SCRIPT });
  }

  incr(key: string, cb: Callback, timeWindow: number, max: number): void {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w) {
      if (this.windows.size >= SWEEP_ABOVE) this.sweep(now);
      w = { end: 0, next: 1, last: 0, reserved: 0, reserving: false, waiting: [] };
      this.windows.set(key, w);
    }
    if (now < w.end) {
      if (w.next <= w.last) return cb(null, { current: w.next++, ttl: w.end - now });
      // Every ticket up to `max` is someone's already: the rest of this window is refused here.
      if (w.last >= max) return cb(null, { current: max + 1, ttl: w.end - now });
    } else if (!w.reserving) {
      w.next = 1;
      w.last = 0;
      w.reserved = 0;
    }
    w.waiting.push({ cb, timeWindow, max });
    if (!w.reserving) this.reserve(key, w, timeWindow, max);
  }

  /** A route with its own limit counts apart (the library passes its merged options with `routeInfo`). */
  child(routeOptions: object): ReservingRedisStore {
    const { method = '', url = '' } =
      (routeOptions as { routeInfo?: { method?: string; url?: string } }).routeInfo ?? {};
    return new ReservingRedisStore(this.redis, `${this.prefix}${method}${url}-`, this.now);
  }

  private reserve(key: string, w: KeyWindow, timeWindow: number, max: number): void {
    const cap = Math.max(1, Math.floor(max / BLOCK_SHARE));
    const block = Math.min(cap, Math.max(1, w.waiting.length, w.reserved));
    const sentAt = this.now();
    w.reserving = true;
    this.redis.dudaoRateReserve(this.prefix + key, block, timeWindow).then(
      ([total, ttl]) => {
        w.reserving = false;
        w.end = sentAt + Number(ttl);
        w.next = Number(total) - block + 1;
        w.last = Number(total);
        w.reserved += block;
        this.retry(key, w);
      },
      (error: unknown) => {
        w.reserving = false;
        const err = error instanceof Error ? error : new Error(String(error));
        for (const waiter of w.waiting.splice(0)) waiter.cb(err);
      },
    );
  }

  /** Requests that waited for a reservation take its tickets; those beyond it wait for the next. */
  private retry(key: string, w: KeyWindow): void {
    for (const { cb, timeWindow, max } of w.waiting.splice(0)) this.incr(key, cb, timeWindow, max);
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.end <= now && !w.reserving) this.windows.delete(key);
  }
}

/** The store as the library takes it: a class it constructs with its own options. */
export const reservingStoreOn = (redis: Redis | Cluster, prefix: string) =>
  class extends ReservingRedisStore {
    constructor() {
      super(redis, prefix);
    }
  };
