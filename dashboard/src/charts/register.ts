/** Theme and map registration, done once per page load. */
import { registerMap, registerTheme } from 'echarts/core';
import { ECHARTS_THEME_NAME, echartsTheme } from '../theme/echartsTheme.ts';

let themeRegistered = false;
export function registerDudaoTheme(): void {
  if (themeRegistered) return;
  registerTheme(ECHARTS_THEME_NAME, echartsTheme);
  themeRegistered = true;
}

const maps = new Set<string>();
/** Registers a GeoJSON under `name` once; returns the map name for `map`/`geo.map`. */
export function registerCityMap(name: string, geojson: unknown): string {
  if (!maps.has(name)) {
    registerMap(name, geojson as Parameters<typeof registerMap>[1]);
    maps.add(name);
  }
  return name;
}
