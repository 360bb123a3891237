/**
 * One ECharts instance for one panel, held outside Vue's reactivity (a proxy breaks ECharts'
 * identity checks). Options are merged in (`setOption(partial, {lazyUpdate})`, stable series ids),
 * skipped while the page is hidden and applied on return; the instance is re-created only when the
 * pixel ratio changes, and disposed with the component. Nothing enters with an animation (a wall
 * shows its figures at once, and its first paint is not held up by animation frames: SPEC §11);
 * changes to what is drawn still animate. On a page that stages its charts (useChartStaging) the
 * instance is created in its turn after the first paint, unless the chart is `first`.
 */
import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { init, use, type EChartsType } from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { ECHARTS_THEME_NAME } from '../theme/echartsTheme.ts';
import { registerDudaoTheme } from '../charts/register.ts';
import { usePageVisibility } from './usePageVisibility.ts';
import { useChartPixelRatio } from './useChartPixelRatio.ts';
import { useChartStaging } from './useChartStaging.ts';

export const RESIZE_THROTTLE_MS = 150;
/** Merged into every option: no entry animation; `animationDurationUpdate` keeps ECharts' default. */
const NO_ENTRY_ANIMATION = { animationDuration: 0 } as const;

export type ChartExtensions = Parameters<typeof use>[0];

export interface UseEChartOptions {
  extensions: ChartExtensions;
  /** `notMerge` for charts whose series set changes shape and that update rarely (trends) */
  replace?: boolean;
  /** called with each new instance (after a re-create too): attach event handlers here */
  onInit?: (chart: EChartsType) => void;
  /** part of the page's first paint: created at mount even where the page stages its charts */
  first?: boolean;
}

export function useEChart(
  el: Ref<HTMLElement | null>,
  option: () => EChartsCoreOption | null,
  opts: UseEChartOptions,
): { chart: ShallowRef<EChartsType | null> } {
  use(opts.extensions);
  registerDudaoTheme();
  const chart = shallowRef<EChartsType | null>(null);
  const visible = usePageVisibility();
  const pixelRatio = useChartPixelRatio();
  const staging = opts.first ? null : useChartStaging();
  let unstage: (() => void) | null = null;
  let dirty = false;
  let observer: ResizeObserver | null = null;
  let resizeTimer: ReturnType<typeof setTimeout> | null = null;

  function apply(full: boolean) {
    const c = chart.value;
    const o = option();
    if (!c || !o) return;
    if (!visible.value) {
      dirty = true;
      return;
    }
    dirty = false;
    c.setOption({ ...o, ...NO_ENTRY_ANIMATION }, { notMerge: !!opts.replace, lazyUpdate: !full });
  }

  function create() {
    if (!el.value) return;
    chart.value?.dispose();
    const c = init(el.value, ECHARTS_THEME_NAME, { renderer: 'canvas', devicePixelRatio: pixelRatio.value });
    chart.value = c;
    opts.onInit?.(c);
    apply(true);
  }

  function onResize() {
    if (resizeTimer !== null) return;
    resizeTimer = setTimeout(() => {
      resizeTimer = null;
      if (visible.value) chart.value?.resize();
      else dirty = true;
    }, RESIZE_THROTTLE_MS);
  }

  function start() {
    unstage = null;
    create();
    if (el.value && typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(onResize);
      observer.observe(el.value);
    }
  }

  onMounted(() => {
    if (staging) unstage = staging.enqueue(start);
    else start();
  });
  watch(option, () => apply(false));
  watch(pixelRatio, (r, old) => {
    if (r !== old && chart.value) create();
  });
  watch(visible, (v) => {
    if (v && dirty && chart.value) {
      chart.value.resize();
      apply(false);
    }
  });
  onBeforeUnmount(() => {
    unstage?.();
    observer?.disconnect();
    observer = null;
    if (resizeTimer !== null) clearTimeout(resizeTimer);
    chart.value?.dispose();
    chart.value = null;
  });
  return { chart };
}
