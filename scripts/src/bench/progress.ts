/** Terminal progress for `pnpm bench`: one bar per step, a plain line per step when not a TTY. */
import cliProgress from 'cli-progress';

export interface Step {
  update(done: number, total: number): void;
  done(summary: string): void;
}

export function step(label: string): Step {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (!process.stdout.isTTY) {
    console.log(`… ${label}`);
    return { update: () => {}, done: (summary) => console.log(`✓ ${label}: ${summary} (${elapsed()})`) };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `  ${label.padEnd(44)} [{bar}] {percentage}% {value}/{total}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0);
  return {
    update: (done, total) => {
      bar.setTotal(Math.max(1, total));
      bar.update(done);
    },
    done: (summary) => {
      bar.stop();
      console.log(`✓ ${label}: ${summary} (${elapsed()})`);
    },
  };
}

/** A step measured by time: the bar moves with the clock for `seconds`. */
export function timedStep(label: string, seconds: number): Step & { tick(): void } {
  const s = step(label);
  const started = performance.now();
  return {
    ...s,
    tick: () => s.update(Math.min(seconds, Math.round((performance.now() - started) / 1000)), seconds),
  };
}
