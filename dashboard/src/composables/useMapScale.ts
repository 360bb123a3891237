/**
 * The wall's one colour scale for the shown metric, computed once from the districts' values and
 * handed to the map and the ranking (so a district's bar is the colour of its area).
 */
import { computed, type ComputedRef, type Ref } from 'vue';
import type { DistrictSnapshot } from '@dudao/domain';
import { districtValues, weakEnd, type MapMetric } from '../lib/mapMetrics.ts';
import { chooseScale, type MapScale } from '../lib/mapScale.ts';
import { mapRamp } from '../theme/tokens.ts';

export function useMapScale(
  districts: Ref<DistrictSnapshot[] | undefined>,
  metric: Ref<MapMetric>,
  target: Ref<{ value: number } | null>,
): ComputedRef<MapScale | null> {
  return computed(() =>
    districts.value
      ? chooseScale({
          values: districtValues(districts.value, metric.value).map((v) => v.value),
          target: target.value?.value ?? null,
          weakEnd: weakEnd(metric.value),
          ramp: mapRamp,
        })
      : null,
  );
}
