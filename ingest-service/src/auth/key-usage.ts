/**
 * When and from which address each key was last used, without a database write per request: uses
 * are kept in memory (the newest per key) and written in one statement every `flushMs`, and on close.
 */
import type { Database } from '@dudao/db';
import { recordKeyUses, type KeyUse } from './keys.ts';

export interface KeyUsageOptions {
  database: Database;
  flushMs: number;
  now: () => number;
  onError?: (err: unknown) => void;
}

export class KeyUsageLog {
  private pending = new Map<string, KeyUse>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: KeyUsageOptions) {}

  record(keyId: string, from: string): void {
    this.pending.set(keyId, { keyId, at: new Date(this.options.now()), from });
  }

  /** The newest use of `keyId` not written yet, if any. */
  unwritten(keyId: string): KeyUse | undefined {
    return this.pending.get(keyId);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch(this.options.onError), this.options.flushMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes the pending uses; on failure they are kept for the next flush (a newer use wins). */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await recordKeyUses(this.options.database, [...batch.values()]);
    } catch (err) {
      for (const [keyId, use] of batch) if (!this.pending.has(keyId)) this.pending.set(keyId, use);
      throw err;
    }
  }
}
