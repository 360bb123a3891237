/** The canvas scale reaches every chart through provide/inject, so charts stay crisp when scaled up. */
import { computed, inject, provide, type ComputedRef, type InjectionKey, type Ref } from 'vue';

export const CHART_PIXEL_RATIO: InjectionKey<Ref<number> | ComputedRef<number>> = Symbol('chartPixelRatio');

export function provideChartPixelRatio(r: Ref<number> | ComputedRef<number>): void {
  provide(CHART_PIXEL_RATIO, r);
}

export function useChartPixelRatio(): ComputedRef<number> {
  const injected = inject(CHART_PIXEL_RATIO, null);
  return computed(
    () => injected?.value ?? (typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1),
  );
}
