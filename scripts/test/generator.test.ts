import { describe, expect, it } from 'vitest';
import { CITY_IDS, CITY_PACKS } from '@dudao/domain/cities';
import {
  generateRegistry,
  INSPECTORS_PER_DISTRICT,
  INSTITUTIONS_PER_DISTRICT,
  SCHOOLS_PER_DISTRICT,
  TIANYUAN_ADCODE,
  ZONES_PER_DISTRICT,
} from '../src/registry/generator.ts';

const zhuzhou = CITY_PACKS.zhuzhou;
const COMPULSORY = ['primary', 'junior', 'nine_year'];

describe('demo registry generator (SPEC §4)', () => {
  it('gives deep-equal registries for the same seed and different ones for another seed', () => {
    const a = generateRegistry(zhuzhou, 42);
    expect(generateRegistry(zhuzhou, 42)).toEqual(a);
    const b = generateRegistry(zhuzhou, 43);
    expect(b.schools.map((s) => s.name)).not.toEqual(a.schools.map((s) => s.name));
    expect(b.inspectors.map((i) => i.name)).not.toEqual(a.inspectors.map((i) => i.name));
  });

  it('gives 天元区 40+ compulsory schools, 4 full-time and 36 part-time inspectors', () => {
    for (const seed of [1, 2, 3, 20211]) {
      const { schools, inspectors } = generateRegistry(zhuzhou, seed);
      const tianyuan = schools.filter((s) => s.district === TIANYUAN_ADCODE);
      expect(tianyuan.filter((s) => COMPULSORY.includes(s.stage)).length).toBeGreaterThanOrEqual(40);
      const staff = inspectors.filter((i) => i.district === TIANYUAN_ADCODE);
      expect(staff.filter((i) => i.role === 'full_time')).toHaveLength(4);
      expect(staff.filter((i) => i.role === 'part_time')).toHaveLength(36);
    }
  });

  it.each(CITY_IDS)('keeps every district of %s within the SPEC sizes', (id) => {
    const pack = CITY_PACKS[id];
    for (const seed of [1, 7, 20211]) {
      const registry = generateRegistry(pack, seed);
      for (const { adcode } of pack.districts) {
        const count = (rows: { district: string }[]) => rows.filter((r) => r.district === adcode).length;
        const within = (n: number, range: { min: number; max: number }) => {
          expect(n).toBeGreaterThanOrEqual(range.min);
          expect(n).toBeLessThanOrEqual(range.max);
        };
        within(count(registry.schools), SCHOOLS_PER_DISTRICT);
        within(count(registry.institutions), INSTITUTIONS_PER_DISTRICT);
        within(count(registry.inspectors), INSPECTORS_PER_DISTRICT);
      }
    }
  });

  it('uses stable ids and names unique within a district, in Chinese', () => {
    const { schools, institutions, inspectors } = generateRegistry(zhuzhou, 5);
    expect(schools.every((s) => /^sch-\d{6}-\d{3}$/.test(s.id))).toBe(true);
    expect(institutions.every((i) => /^ins-\d{6}-\d{3}$/.test(i.id))).toBe(true);
    expect(inspectors.every((i) => /^insp-\d{6}-\d{3}$/.test(i.id))).toBe(true);
    for (const rows of [schools, institutions, inspectors]) {
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
      expect(new Set(rows.map((r) => `${r.district}/${r.name}`)).size).toBe(rows.length);
    }
    expect(schools.filter((s) => s.stage === 'kindergarten').every((s) => s.name.endsWith('幼儿园'))).toBe(
      true,
    );
    expect(schools.filter((s) => s.stage === 'primary').every((s) => s.name.endsWith('小学'))).toBe(true);
    expect(schools.some((s) => /^株洲市第[一二三四五六七八九十]+中学$/.test(s.name))).toBe(true);
    expect(inspectors.every((i) => /^[\u4e00-\u9fa5]{2,3}$/.test(i.name))).toBe(true);
  });

  it('names subject institutions as tutoring schools and non-subject ones as arts, sports or tech', () => {
    const { institutions } = generateRegistry(zhuzhou, 5);
    const subject = institutions.filter((i) => i.category === 'subject');
    expect(subject.every((i) => /(教育|文化|英语|数理|作文)培训|学科辅导/.test(i.name))).toBe(true);
    const other = institutions.filter((i) => i.category === 'non_subject');
    expect(other.every((i) => /(艺术|舞蹈|美术|体育|跆拳道|编程|书法|音乐|围棋|口才)/.test(i.name))).toBe(
      true,
    );
    expect(institutions.filter((i) => i.status === 'closed').every((i) => i.category === 'subject')).toBe(
      true,
    );
  });

  it('gives realistic student numbers by stage', () => {
    const { schools } = generateRegistry(zhuzhou, 5);
    const mean = (stage: string) => {
      const rows = schools.filter((s) => s.stage === stage);
      return rows.reduce((sum, s) => sum + s.students, 0) / rows.length;
    };
    expect(mean('kindergarten')).toBeGreaterThan(80);
    expect(mean('kindergarten')).toBeLessThan(450);
    expect(mean('primary')).toBeGreaterThan(mean('kindergarten') * 2);
    expect(mean('senior')).toBeGreaterThan(mean('junior'));
    expect(schools.every((s) => Number.isInteger(s.students) && s.students > 0)).toBe(true);
  });
  it('gives every school and institution a 责任区 and a 责任督学 of its own district (SPEC §14)', () => {
    const { schools, institutions, inspectors } = generateRegistry(zhuzhou, 20211);
    const districtOf = new Map(inspectors.map((i) => [i.id, i.district]));
    for (const t of [...schools, ...institutions]) {
      expect(t.zone).toMatch(/^第[一二三四五六]责任区$/);
      expect(districtOf.get(t.supervisor!)).toBe(t.district);
    }
    for (const { adcode } of zhuzhou.districts) {
      const zones = new Set(schools.filter((s) => s.district === adcode).map((s) => s.zone));
      expect(zones.size).toBeGreaterThanOrEqual(ZONES_PER_DISTRICT.min);
      expect(zones.size).toBeLessThanOrEqual(ZONES_PER_DISTRICT.max);
    }
  });

  it("has each of 天元区's 36 part-time inspectors answer for a few targets", () => {
    const { schools, institutions, inspectors } = generateRegistry(zhuzhou, 20211);
    const load = new Map<string, number>();
    for (const t of [...schools, ...institutions])
      if (t.district === TIANYUAN_ADCODE) load.set(t.supervisor!, (load.get(t.supervisor!) ?? 0) + 1);
    const partTime = inspectors.filter((i) => i.district === TIANYUAN_ADCODE && i.role === 'part_time');
    expect(partTime).toHaveLength(36);
    for (const p of partTime) {
      expect(load.get(p.id)).toBeGreaterThanOrEqual(1);
      expect(load.get(p.id)).toBeLessThanOrEqual(5);
    }
  });
});
