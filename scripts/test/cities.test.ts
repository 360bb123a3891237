import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CITIES_DIR, CITY_IDS, CITY_PACKS, cityPackById } from '@dudao/domain/cities';

interface MapFile {
  properties: { adcode: string; name: string };
  features: { properties: { adcode: string; name: string; center: [number, number] } }[];
}

describe('SPEC §4 city packs', () => {
  it.each(CITY_IDS)('%s lists exactly the districts of its map, with their names and label points', (id) => {
    const pack = CITY_PACKS[id];
    const map = JSON.parse(readFileSync(new URL(pack.mapFile, CITIES_DIR), 'utf8')) as MapFile;
    expect(map.properties).toMatchObject({ adcode: pack.adcode, name: pack.name });
    expect(pack.districts).toEqual(map.features.map((f) => f.properties));
    expect(pack.timezone).toBe('Asia/Shanghai');
  });

  it('ships 株洲市 430200 and 贵阳市 520100; an unknown city fails with the known ids', () => {
    expect(cityPackById('zhuzhou')).toMatchObject({ adcode: '430200', name: '株洲市' });
    expect(cityPackById('guiyang')).toMatchObject({ adcode: '520100', name: '贵阳市' });
    expect(() => cityPackById('changsha')).toThrow(/zhuzhou, guiyang/);
  });

  it('keeps the MIT notice next to the maps', () => {
    expect(readFileSync(new URL('NOTICE.md', CITIES_DIR), 'utf8')).toMatch(/MIT License/);
  });
});
