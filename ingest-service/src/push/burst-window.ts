/**
 * One scope's push schedule (SPEC §8): the first change after a quiet window is sent at once; a
 * change while a send is being prepared, or within `windowMs` of the last send, waits for the window
 * to close, and every change that waited shares that one send. So a lone change costs no wait, and a
 * burst still yields at most one message per window.
 */
export interface BurstWindowOptions {
  /** prepares and sends; calls `sent()` at the moment it sends */
  run: () => Promise<void>;
  windowMs: number;
  onError: (err: unknown) => void;
  /** a monotonic clock in ms */
  now?: () => number;
}

export class BurstWindow {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private pending = false;
  /** idle() callers waiting for the next run to start (a change was pending when they asked) */
  private waitingForNext: (() => void)[] = [];
  /** idle() callers waiting for the run now in progress to end */
  private waitingForRun: (() => void)[] = [];
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: BurstWindowOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Something changed: a send follows, right now if the window is open. */
  mark(): void {
    if (this.closed) return;
    this.pending = true;
    if (!this.timer && !this.running) this.next();
  }

  /** The run sends now: the window starts here. */
  sent(): void {
    this.lastSentAt = this.now();
  }

  /**
   * Resolves once every change marked before the call has been sent (the send being prepared, and
   * the next one when a change was waiting). Changes marked later are not waited for: under a steady
   * stream a change is nearly always waiting, and a subscriber waiting for a quiet moment waited
   * for as long as the stream ran.
   */
  idle(): Promise<void> {
    if (!this.pending && !this.running) return Promise.resolve();
    return new Promise((resolve) => (this.pending ? this.waitingForNext : this.waitingForRun).push(resolve));
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = false;
    this.settle();
  }

  private next(): void {
    const wait = this.lastSentAt + this.options.windowMs - this.now();
    if (wait > 0) {
      // Checked again when it fires: a timer may fire early against this clock.
      this.timer = setTimeout(() => {
        this.timer = null;
        this.next();
      }, Math.ceil(wait));
      return;
    }
    this.pending = false;
    this.running = true;
    // This run sends every change marked so far: who waited for those waits for this run.
    this.waitingForRun.push(...this.waitingForNext.splice(0));
    this.options
      .run()
      .catch(this.options.onError)
      .finally(() => {
        this.running = false;
        for (const resolve of this.waitingForRun.splice(0)) resolve();
        if (this.pending) this.next();
      });
  }

  private settle(): void {
    for (const resolve of [...this.waitingForRun.splice(0), ...this.waitingForNext.splice(0)]) resolve();
  }
}
