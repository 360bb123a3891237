/** Fitting the fixed design canvas to any screen with one CSS transform. */
export const DESIGN_WIDTH_PX = 1920;
export const DESIGN_HEIGHT_PX = 1080;

export type FitMode = 'letterbox' | 'stretch' | 'wide';
export const FIT_MODES: FitMode[] = ['letterbox', 'stretch', 'wide'];

export interface CanvasFit {
  /** design size of the canvas; `wide` widens it to the screen's aspect (32:9 LED walls) */
  width: number;
  height: number;
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

export function fitCanvas(viewW: number, viewH: number, mode: FitMode): CanvasFit {
  const w = Math.max(1, viewW);
  const h = Math.max(1, viewH);
  if (mode === 'stretch') {
    return {
      width: DESIGN_WIDTH_PX,
      height: DESIGN_HEIGHT_PX,
      scaleX: w / DESIGN_WIDTH_PX,
      scaleY: h / DESIGN_HEIGHT_PX,
      offsetX: 0,
      offsetY: 0,
    };
  }
  const width =
    mode === 'wide' ? Math.max(DESIGN_WIDTH_PX, Math.round((DESIGN_HEIGHT_PX * w) / h)) : DESIGN_WIDTH_PX;
  const s = Math.min(w / width, h / DESIGN_HEIGHT_PX);
  return {
    width,
    height: DESIGN_HEIGHT_PX,
    scaleX: s,
    scaleY: s,
    offsetX: Math.round((w - width * s) / 2),
    offsetY: Math.round((h - DESIGN_HEIGHT_PX * s) / 2),
  };
}

export const parseFitMode = (v: string | null | undefined): FitMode =>
  FIT_MODES.includes(v as FitMode) ? (v as FitMode) : 'letterbox';

/** ECharts' backing-store ratio: the screen's pixels per design pixel, so charts stay crisp at 4K. */
export function chartPixelRatio(windowDpr: number, fit: Pick<CanvasFit, 'scaleX' | 'scaleY'>): number {
  const r = (windowDpr || 1) * Math.max(fit.scaleX, fit.scaleY);
  // quarter steps: avoid re-creating charts on every pixel of a window drag
  return Math.max(1, Math.ceil(r * 4) / 4);
}
