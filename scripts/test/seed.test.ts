import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_PACKS } from '@dudao/domain/cities';
import { loadRegistry, registryCounts } from '@dudao/db';
import { openTestDatabase, type TestDatabase } from '@dudao/testkit';
import { generateRegistry } from '../src/registry/generator.ts';
import { seedCity, type SeedStep } from '../src/seed.ts';

describe('pnpm seed (SPEC §3, §4)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('loads the city pack and the demo registry of the seed, reporting progress per step', async () => {
    const steps = new Set<SeedStep>();
    const result = await seedCity(t.database, {
      city: 'guiyang',
      seed: 9,
      onProgress: (step) => steps.add(step),
    });
    const expected = generateRegistry(CITY_PACKS.guiyang, 9);
    expect(steps).toEqual(new Set(['city', 'schools', 'institutions', 'inspectors']));
    expect(result.counts).toEqual({
      districts: 10,
      schools: expected.schools.length,
      institutions: expected.institutions.length,
      inspectors: expected.inspectors.length,
    });
    const stored = await loadRegistry(t.database, '520100');
    expect(stored.city).toEqual({ adcode: '520100', name: '贵阳市', timezone: 'Asia/Shanghai' });
    expect(stored.districts.map((d) => d.name)).toContain('观山湖区');
    expect(stored.schools).toEqual([...expected.schools].sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('is idempotent, and a re-seed keeps institution statuses that events have moved', async () => {
    const before = await loadRegistry(t.database, '520100');
    const target = before.institutions.find((i) => i.status === 'active');
    if (!target) throw new Error('expected an active institution');
    await t.database.query(`UPDATE institutions SET status = 'closed' WHERE id = $1`, [target.id]);
    await seedCity(t.database, { city: 'guiyang', seed: 9 });
    const after = await loadRegistry(t.database, '520100');
    expect(after.schools).toEqual(before.schools);
    expect(after.inspectors).toEqual(before.inspectors);
    expect(after.institutions.find((i) => i.id === target.id)?.status).toBe('closed');
    expect(await registryCounts(t.database, '430200')).toEqual({
      districts: 0,
      schools: 0,
      institutions: 0,
      inspectors: 0,
    });
  });
});
