/** The wall canvas' fit to the window, kept current on resize (throttled to a frame). */
import { computed, onBeforeUnmount, onMounted, shallowRef, toValue, type MaybeRefOrGetter } from 'vue';
import { chartPixelRatio, fitCanvas, type FitMode } from '../lib/scale.ts';

export function useCanvasFit(mode: MaybeRefOrGetter<FitMode>) {
  const viewport = shallowRef({
    w: window.innerWidth,
    h: window.innerHeight,
    dpr: window.devicePixelRatio || 1,
  });
  let frame: number | null = null;
  const measure = () => {
    frame = null;
    viewport.value = { w: window.innerWidth, h: window.innerHeight, dpr: window.devicePixelRatio || 1 };
  };
  const onResize = () => {
    if (frame === null) frame = requestAnimationFrame(measure);
  };
  onMounted(() => window.addEventListener('resize', onResize));
  onBeforeUnmount(() => {
    window.removeEventListener('resize', onResize);
    if (frame !== null) cancelAnimationFrame(frame);
  });

  const fit = computed(() => fitCanvas(viewport.value.w, viewport.value.h, toValue(mode)));
  const pixelRatio = computed(() => chartPixelRatio(viewport.value.dpr, fit.value));
  const style = computed(() => ({
    width: `${fit.value.width}px`,
    height: `${fit.value.height}px`,
    transform: `translate(${fit.value.offsetX}px, ${fit.value.offsetY}px) scale(${fit.value.scaleX}, ${fit.value.scaleY})`,
  }));
  return { fit, pixelRatio, style };
}
