/**
 * First paint first (SPEC §11: the wall's first live paint). A page that provides a staging holds
 * back the creation of its charts (useEChart) until its first figures are in and one frame has
 * painted them; then one chart is created — `echarts.init` and its first option — per idle slot of
 * the main thread, in the order they asked, so no single task draws every chart. A chart marked
 * `first` (the wall's map) is not held. Without a staging (other pages) charts are created at mount.
 * If `ready` never holds (a service that does not answer), the charts come after `fallbackMs`.
 */
import { inject, onBeforeUnmount, onMounted, provide, watch, type InjectionKey } from 'vue';

/** The longest an idle slot is waited for: a main thread that is never idle still gets its charts. */
export const IDLE_TIMEOUT_MS = 300;

export interface ChartStaging {
  /** `create` runs in a later idle slot; the returned function takes it out of the queue */
  enqueue(create: () => void): () => void;
}

const CHART_STAGING: InjectionKey<ChartStaging> = Symbol('chartStaging');

export function provideChartStaging(ready: () => boolean, fallbackMs: number): void {
  const queue: (() => void)[] = [];
  let started = false;
  let frame: number | null = null;
  let idle: number | null = null;
  let fallback: ReturnType<typeof setTimeout> | null = null;

  function runOne() {
    idle = null;
    queue.shift()?.();
    schedule();
  }
  function schedule() {
    if (started && frame === null && idle === null && queue.length > 0)
      idle = requestIdleCallback(runOne, { timeout: IDLE_TIMEOUT_MS });
  }
  function start() {
    if (started) return;
    started = true;
    // the frame that paints the first figures, then the idle time after it
    frame = requestAnimationFrame(() => {
      frame = null;
      schedule();
    });
  }

  watch(ready, (r) => r && start(), { immediate: true });
  onMounted(() => {
    fallback = setTimeout(start, fallbackMs);
  });
  onBeforeUnmount(() => {
    queue.length = 0;
    if (fallback !== null) clearTimeout(fallback);
    if (frame !== null) cancelAnimationFrame(frame);
    if (idle !== null) cancelIdleCallback(idle);
  });
  provide(CHART_STAGING, {
    enqueue(create) {
      queue.push(create);
      schedule();
      return () => {
        const i = queue.indexOf(create);
        if (i >= 0) queue.splice(i, 1);
      };
    },
  });
}

/** The page's staging, or null where charts are created at mount. */
export function useChartStaging(): ChartStaging | null {
  return inject(CHART_STAGING, null);
}
