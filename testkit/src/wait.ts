/** Waiting in tests for something that happens on its own time (a push, a lease, a restart). */

const POLL_EVERY_MS = 10;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `check` holds, checking every few milliseconds; after `timeoutMs` it fails,
 * saying what did not happen.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 3_000,
  what = 'the condition',
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(POLL_EVERY_MS);
  }
}
