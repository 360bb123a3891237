/** Progress bars of the command-line tools (seed, nightly). */
import cliProgress from 'cli-progress';

export interface TerminalBars<K> {
  onProgress(key: K, done: number, total: number): void;
  stop(): void;
}

/**
 * One bar per key (a step, a phase), made when the key first reports, drawn as `format` with the
 * key's `fields`. cli-progress draws on stderr and only on a terminal; in a pipe or a log nothing
 * is drawn: the summary lines are enough.
 */
export function terminalBars<K>(format: string, fields: (key: K) => Record<string, string>): TerminalBars<K> {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bars = new cliProgress.MultiBar(
    { format, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const byKey = new Map<K, cliProgress.SingleBar>();
  return {
    onProgress(key, done, total) {
      let bar = byKey.get(key);
      if (!bar) {
        bar = bars.create(total, 0, fields(key));
        byKey.set(key, bar);
      }
      bar.update(done);
    },
    stop: () => bars.stop(),
  };
}
