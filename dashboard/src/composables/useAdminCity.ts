/**
 * The city pack as the admin console reads it (with the admin's credential, which may be a key the
 * rest of the app does not hold): its districts for the scope pickers and its timezone for times.
 */
import { computed, shallowRef } from 'vue';
import type { CityPackResponse } from '@dudao/domain';
import { adminRequest } from './useAdminAccess.ts';

const city = shallowRef<CityPackResponse | null>(null);

export function useAdminCity() {
  const timezone = computed(() => city.value?.timezone ?? 'Asia/Shanghai');
  async function load(): Promise<void> {
    city.value ??= await adminRequest<CityPackResponse>('GET', '/api/v1/city');
  }
  /** The scopes an admin of `own` may hand out: the city and every district, or its district only. */
  const scopesFor = (own: string, cityName: string) =>
    own === 'city'
      ? [
          { value: 'city', name: cityName },
          ...(city.value?.districts ?? []).map((d) => ({ value: d.adcode, name: d.name })),
        ]
      : [{ value: own, name: city.value?.districts.find((d) => d.adcode === own)?.name ?? own }];
  const scopeName = (scope: string, cityName: string) =>
    scope === 'city' ? cityName : (city.value?.districts.find((d) => d.adcode === scope)?.name ?? scope);
  return { city, timezone, load, scopesFor, scopeName };
}
