/**
 * The city packs of SPEC §4 as data. Adcodes, names and label points were read once from the
 * GeoJSON beside this file (see NOTICE.md), so nothing has to parse a map to know the districts.
 */

export const CITY_IDS = ['zhuzhou', 'guiyang'] as const;
export type CityId = (typeof CITY_IDS)[number];
export const DEFAULT_CITY_ID: CityId = 'zhuzhou';

export interface CityPackDistrict {
  adcode: string;
  name: string;
  /** [longitude, latitude] of the label point */
  center: [number, number];
}

export interface CityPack {
  id: CityId;
  adcode: string;
  name: string;
  timezone: 'Asia/Shanghai';
  districts: CityPackDistrict[];
  /** file name of the district map inside `CITIES_DIR` */
  mapFile: string;
}

/** The folder holding the maps, for Node code that reads them: `new URL(pack.mapFile, CITIES_DIR)`. */
export const CITIES_DIR = new URL('./', import.meta.url);

export const CITY_PACKS: Record<CityId, CityPack> = {
  zhuzhou: {
    id: 'zhuzhou',
    adcode: '430200',
    name: '株洲市',
    timezone: 'Asia/Shanghai',
    mapFile: 'zhuzhou.geojson',
    districts: [
      { adcode: '430202', name: '荷塘区', center: [113.173487, 27.855928] },
      { adcode: '430203', name: '芦淞区', center: [113.152724, 27.78507] },
      { adcode: '430204', name: '石峰区', center: [113.117731, 27.875445] },
      { adcode: '430211', name: '天元区', center: [113.082216, 27.826866] },
      { adcode: '430212', name: '渌口区', center: [113.144109, 27.699232] },
      { adcode: '430223', name: '攸县', center: [113.396385, 27.014583] },
      { adcode: '430224', name: '茶陵县', center: [113.539094, 26.777521] },
      { adcode: '430225', name: '炎陵县', center: [113.772655, 26.489902] },
      { adcode: '430281', name: '醴陵市', center: [113.496999, 27.646096] },
    ],
  },
  guiyang: {
    id: 'guiyang',
    adcode: '520100',
    name: '贵阳市',
    timezone: 'Asia/Shanghai',
    mapFile: 'guiyang.geojson',
    districts: [
      { adcode: '520102', name: '南明区', center: [106.714374, 26.567944] },
      { adcode: '520103', name: '云岩区', center: [106.724494, 26.604688] },
      { adcode: '520111', name: '花溪区', center: [106.67026, 26.409817] },
      { adcode: '520112', name: '乌当区', center: [106.750625, 26.630845] },
      { adcode: '520113', name: '白云区', center: [106.623007, 26.678561] },
      { adcode: '520115', name: '观山湖区', center: [106.622453, 26.60145] },
      { adcode: '520121', name: '开阳县', center: [106.965089, 27.057764] },
      { adcode: '520122', name: '息烽县', center: [106.740407, 27.090479] },
      { adcode: '520123', name: '修文县', center: [106.592108, 26.838926] },
      { adcode: '520181', name: '清镇市', center: [106.470714, 26.556079] },
    ],
  },
};

export function isCityId(id: string): id is CityId {
  return (CITY_IDS as readonly string[]).includes(id);
}

/** The pack for `id`; throws with the known ids so a mistyped `CITY` fails loudly at start-up. */
export function cityPackById(id: string): CityPack {
  if (!isCityId(id)) throw new Error(`unknown city "${id}"; known cities: ${CITY_IDS.join(', ')}`);
  return CITY_PACKS[id];
}
