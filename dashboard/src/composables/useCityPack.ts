/**
 * The city pack (`GET /api/v1/city`) and its map (`GET /api/v1/city/map`), fetched once per page
 * load and shared; retried until they come (the wall may start before the service does).
 */
import { computed, shallowRef } from 'vue';
import type { CityPackResponse } from '@dudao/domain';
import { apiGet } from './useApi.ts';

export const CITY_RETRY_MS = 5_000;

import type { GeoCollection } from '../lib/mapGeometry.ts';

export type CityGeoJson = GeoCollection;

const city = shallowRef<CityPackResponse | null>(null);
const cityMap = shallowRef<CityGeoJson | null>(null);
let cityLoading: Promise<void> | null = null;
let mapLoading: Promise<void> | null = null;

function loadForever<T>(path: string, set: (v: T) => void): Promise<void> {
  return new Promise((resolve) => {
    const attempt = () => {
      apiGet<T>(path)
        .then((v) => {
          set(v);
          resolve();
        })
        .catch(() => setTimeout(attempt, CITY_RETRY_MS));
    };
    attempt();
  });
}

export function useCityPack(opts: { withMap?: boolean } = {}) {
  cityLoading ??= loadForever<CityPackResponse>('/api/v1/city', (v) => (city.value = v));
  if (opts.withMap) mapLoading ??= loadForever<CityGeoJson>('/api/v1/city/map', (v) => (cityMap.value = v));
  return { city: computed(() => city.value), cityMap: computed(() => cityMap.value) };
}

/** The label point of a district: the city pack's, else the map feature's. */
export function districtCenter(
  adcode: string,
  pack: CityPackResponse | null,
  map: CityGeoJson | null,
): [number, number] | null {
  const fromPack = pack?.districts.find((d) => d.adcode === adcode)?.center;
  if (fromPack) return fromPack;
  return map?.features.find((f) => f.properties.adcode === adcode)?.properties.center ?? null;
}
