/**
 * The city's small (urban) districts are too small to label on the whole-city map; they get an
 * enlarged inset of their own. Which ones: by bounding-box area relative to the largest district.
 */
export interface GeoFeature {
  type?: string;
  properties: { adcode: string; name: string; center?: [number, number] | null };
  geometry: { type: string; coordinates: unknown };
}
export interface GeoCollection {
  type: 'FeatureCollection';
  features: GeoFeature[];
}

/** Below this share of the largest district's box, a district goes to the inset. */
export const SMALL_DISTRICT_AREA_SHARE = 0.12;

function bbox(coords: unknown, box = [Infinity, Infinity, -Infinity, -Infinity]): number[] {
  if (Array.isArray(coords) && typeof coords[0] === 'number') {
    const [x, y] = coords as number[];
    box[0] = Math.min(box[0]!, x!);
    box[1] = Math.min(box[1]!, y!);
    box[2] = Math.max(box[2]!, x!);
    box[3] = Math.max(box[3]!, y!);
  } else if (Array.isArray(coords)) {
    for (const c of coords) bbox(c, box);
  }
  return box;
}

export function boxArea(f: GeoFeature): number {
  const [x0, y0, x1, y1] = bbox(f.geometry.coordinates);
  return Math.max(0, x1! - x0!) * Math.max(0, y1! - y0!);
}

export interface UrbanSplit {
  /** adcodes shown in the inset (empty: no inset needed) */
  small: Set<string>;
  inset: GeoCollection | null;
}

export function splitUrban(geo: GeoCollection, share = SMALL_DISTRICT_AREA_SHARE): UrbanSplit {
  const areas = geo.features.map((f) => ({ f, a: boxArea(f) }));
  const max = Math.max(0, ...areas.map((x) => x.a));
  const small = areas.filter((x) => x.a < max * share).map((x) => x.f);
  if (small.length < 2) return { small: new Set(), inset: null };
  return {
    small: new Set(small.map((f) => f.properties.adcode)),
    inset: { type: 'FeatureCollection', features: small },
  };
}
