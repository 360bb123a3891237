import { describe, expect, it } from 'vitest';
import { chartPixelRatio, fitCanvas, parseFitMode } from '../../src/lib/scale.ts';

describe('the 1920×1080 canvas scaled with one transform', () => {
  it('letterboxes by default: one scale, centred', () => {
    expect(fitCanvas(3840, 2160, 'letterbox')).toMatchObject({
      width: 1920,
      scaleX: 2,
      scaleY: 2,
      offsetX: 0,
    });
    const f = fitCanvas(1920, 1200, 'letterbox');
    expect(f.scaleX).toBe(1);
    expect(f.offsetY).toBe(60);
  });

  it('stretches on request', () => {
    expect(fitCanvas(3840, 1080, 'stretch')).toMatchObject({ scaleX: 2, scaleY: 1, offsetX: 0, offsetY: 0 });
  });

  it('widens the canvas to a 32:9 LED wall in wide mode, keeping 1080 design rows', () => {
    expect(fitCanvas(7680, 2160, 'wide')).toMatchObject({ width: 3840, height: 1080, scaleX: 2, offsetX: 0 });
    expect(fitCanvas(1920, 1200, 'wide').width).toBe(1920);
  });

  it('gives ECharts the screen pixels per design pixel, so 4K stays crisp', () => {
    expect(chartPixelRatio(1, { scaleX: 2, scaleY: 2 })).toBe(2);
    expect(chartPixelRatio(2, { scaleX: 1, scaleY: 1 })).toBe(2);
    expect(chartPixelRatio(1, { scaleX: 0.5, scaleY: 0.5 })).toBe(1);
    expect(chartPixelRatio(1, { scaleX: 1.33, scaleY: 1.33 })).toBe(1.5);
  });

  it('reads the fit from the URL, letterbox when unknown', () => {
    expect(parseFitMode('stretch')).toBe('stretch');
    expect(parseFitMode('zoom')).toBe('letterbox');
    expect(parseFitMode(undefined)).toBe('letterbox');
  });
});
