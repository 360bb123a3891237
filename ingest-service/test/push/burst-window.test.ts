/** The push schedule of one scope (SPEC §8), on fake timers: no wall clock in the assertions. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BurstWindow } from '../../src/push/burst-window.ts';

const WINDOW_MS = 100;

function schedule(prepareMs = 0) {
  const sends: number[] = [];
  const window: BurstWindow = new BurstWindow({
    windowMs: WINDOW_MS,
    now: () => Date.now(),
    onError: (err) => {
      throw err;
    },
    run: async () => {
      if (prepareMs > 0) await new Promise((resolve) => setTimeout(resolve, prepareMs));
      sends.push(Date.now());
      window.sent();
    },
  });
  return { window, sends };
}

describe('BurstWindow', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a lone change at once, without waiting for any timer', async () => {
    const { window, sends } = schedule();
    await vi.advanceTimersByTimeAsync(5_000); // a quiet period
    window.mark();
    await Promise.resolve();
    expect(sends).toEqual([5_000]);
  });

  it('sends the next lone change at once too, once the window has passed', async () => {
    const { window, sends } = schedule();
    window.mark();
    await vi.advanceTimersByTimeAsync(150);
    window.mark();
    await Promise.resolve();
    expect(sends).toEqual([0, 150]);
  });

  it('a burst yields at most one send per window, and its last change is sent', async () => {
    const { window, sends } = schedule(7);
    for (let t = 0; t < 1_000; t += 3) {
      window.mark();
      await vi.advanceTimersByTimeAsync(3);
    }
    await vi.advanceTimersByTimeAsync(WINDOW_MS * 2);
    for (let i = 1; i < sends.length; i++)
      expect(sends[i]! - sends[i - 1]!).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(sends.length).toBeGreaterThanOrEqual(9); // coalesced, not starved
    expect(sends.at(-1)).toBeGreaterThanOrEqual(999); // the burst's last change went out
  });

  it('a change while a send is being prepared waits for the window, then goes out once', async () => {
    const { window, sends } = schedule(30);
    window.mark();
    await vi.advanceTimersByTimeAsync(10);
    window.mark();
    window.mark();
    await vi.advanceTimersByTimeAsync(500);
    expect(sends).toEqual([30, 30 + WINDOW_MS + 30]);
  });

  it('idle() settles once the pending send went out', async () => {
    const { window, sends } = schedule(20);
    window.mark();
    window.mark();
    let settled = false;
    void window.idle().then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(50);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(settled).toBe(true);
    expect(sends).toHaveLength(2);
  });

  it('idle() waits only for the changes marked before it: a steady stream does not hold it off', async () => {
    // A live stream of a change every 40 ms against 60 ms to prepare a send: a change is always waiting.
    const { window, sends } = schedule(60);
    let stop = false;
    void (async () => {
      while (!stop) {
        window.mark();
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    await vi.advanceTimersByTimeAsync(1_000);
    const asked = Date.now();
    const sentBefore = sends.length;
    let settledAt = -1;
    void window.idle().then(() => (settledAt = Date.now()));
    await vi.advanceTimersByTimeAsync(2_000);
    stop = true;
    // The change waiting when idle() was asked went out by then: at most the send being prepared and
    // the next, one window apart.
    expect(settledAt).toBeGreaterThan(asked);
    expect(settledAt - asked).toBeLessThanOrEqual(2 * (WINDOW_MS + 60));
    expect(sends.filter((t) => t <= settledAt).length).toBeGreaterThan(sentBefore);
  });
});
