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
/** Registers the city's GeoJSON under its adcode; returns the map name for `geo.map`. */
export function registerCityMap(adcode: string, geojson: unknown): string {
  const name = `city-${adcode}`;
  if (!maps.has(name)) {
    registerMap(name, geojson as Parameters<typeof registerMap>[1]);
    maps.add(name);
  }
  return name;
}
