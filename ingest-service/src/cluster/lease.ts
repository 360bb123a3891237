/**
 * Leadership for periodic work (the overdue clock, the nightly job): it runs on one instance across
 * the deployment. With Redis, a lease — `SET key id NX PX ttl`, renewed only while the key is still
 * ours — so a dead holder's lease expires and another instance takes over within one ttl. Without
 * Redis there is one instance, and it is always the leader.
 */
import { EventEmitter } from 'node:events';
import type { Cluster, Redis, Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    dudaoLeaseRenew(key: string, holder: string, ttlMs: number): Result<number, Context>;
    dudaoLeaseRelease(key: string, holder: string): Result<number, Context>;
  }
}

/** Compare-and-pexpire: extend the lease only if we still hold it (it may have expired and moved). */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
/** Compare-and-delete: a closing holder hands over at once instead of after the ttl. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Attempts (renew or acquire) per lease period: a holder survives two failed renewals in a row. */
const ATTEMPTS_PER_LEASE = 3;

export interface Leadership {
  readonly instanceId: string;
  readonly isLeader: boolean;
  /** `listener(true)` when this instance becomes the leader, `listener(false)` when it stops being it */
  on(event: 'change', listener: (isLeader: boolean) => void): this;
  off(event: 'change', listener: (isLeader: boolean) => void): this;
  /** First attempt made (so `isLeader` is known), then it keeps trying in the background. */
  start(): Promise<void>;
  /** Stops trying and gives the lease up (a successor need not wait for the ttl). */
  close(): Promise<void>;
}

/** The single instance of a deployment without Redis. */
export class SoloLeadership extends EventEmitter<{ change: [boolean] }> implements Leadership {
  private leading = false;

  constructor(readonly instanceId: string) {
    super();
  }

  get isLeader(): boolean {
    return this.leading;
  }

  async start(): Promise<void> {
    if (this.leading) return;
    this.leading = true;
    this.emit('change', true);
  }

  async close(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    this.emit('change', false);
  }
}

export interface RedisLeaseOptions {
  /** one Redis or a Redis Cluster (the lease is one key: one slot) */
  redis: Redis | Cluster;
  key: string;
  instanceId: string;
  ttlMs: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export class RedisLeaderLease extends EventEmitter<{ change: [boolean] }> implements Leadership {
  readonly instanceId: string;
  private leading = false;
  /** when our lease surely ends if no renewal gets through (our clock, taken before the request) */
  private leaseEndsAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private attempt: Promise<void> | null = null;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: RedisLeaseOptions) {
    super();
    this.instanceId = options.instanceId;
    this.now = options.now ?? Date.now;
    options.redis.defineCommand('dudaoLeaseRenew', { numberOfKeys: 1, lua: RENEW_SCRIPT });
    options.redis.defineCommand('dudaoLeaseRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }

  get isLeader(): boolean {
    return this.leading;
  }

  async start(): Promise<void> {
    if (this.timer || this.closed) return;
    await this.tryOnce();
    const periodMs = Math.max(1, Math.floor(this.options.ttlMs / ATTEMPTS_PER_LEASE));
    this.timer = setInterval(() => void this.tryOnce(), periodMs);
    this.timer.unref();
  }

  /** Renews the lease we hold, or takes it if it is free; never both in flight. */
  private tryOnce(): Promise<void> {
    this.attempt ??= this.renewOrAcquire().finally(() => (this.attempt = null));
    return this.attempt;
  }

  private async renewOrAcquire(): Promise<void> {
    const { redis, key, instanceId, ttlMs } = this.options;
    const sentAt = this.now();
    try {
      const held = this.leading
        ? (await redis.dudaoLeaseRenew(key, instanceId, ttlMs)) === 1
        : (await redis.set(key, instanceId, 'PX', ttlMs, 'NX')) === 'OK';
      if (this.closed) return;
      if (held) this.leaseEndsAt = sentAt + ttlMs;
      this.setLeading(held);
    } catch (err) {
      this.options.onError?.(err);
      // Redis is unreachable: we cannot know whether someone else holds the key now, so we lead
      // only as long as the last lease we got could still be ours.
      if (this.leading && this.now() >= this.leaseEndsAt) this.setLeading(false);
    }
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.emit('change', leading);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.attempt;
    if (!this.leading) return;
    this.setLeading(false);
    await this.options.redis
      .dudaoLeaseRelease(this.options.key, this.instanceId)
      .catch((err: unknown) => this.options.onError?.(err));
  }
}
