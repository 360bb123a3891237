/**
 * The small known registry every package's tests share (two districts of 株洲市, schools,
 * institutions, inspectors) and a clock for tests to move.
 */
import {
  upsertCityPack,
  upsertInspectors,
  upsertInstitutions,
  upsertSchools,
  type Database,
} from '@dudao/db';
import { cityPackById } from '@dudao/domain/cities';

export const TY = '430211'; // 天元区
export const HT = '430202'; // 荷塘区

export const REGISTRY = {
  schools: [
    {
      id: 'S-TY-1',
      district: TY,
      name: '天元区泰山学校',
      stage: 'nine_year',
      ownership: 'public',
      students: 2100,
    },
    {
      id: 'S-TY-2',
      district: TY,
      name: '天元区白鹤小学',
      stage: 'primary',
      ownership: 'public',
      students: 1300,
    },
    {
      id: 'S-TY-3',
      district: TY,
      name: '天元区栗雨幼儿园',
      stage: 'kindergarten',
      ownership: 'private',
      students: 300,
    },
    {
      id: 'S-HT-1',
      district: HT,
      name: '荷塘区建设小学',
      stage: 'primary',
      ownership: 'public',
      students: 900,
    },
  ],
  institutions: [
    { id: 'N-TY-1', district: TY, name: '天元区学而思培训学校', category: 'subject', status: 'active' },
    { id: 'N-TY-2', district: TY, name: '天元区星光艺术培训中心', category: 'non_subject', status: 'active' },
    { id: 'N-HT-1', district: HT, name: '荷塘区启明教育培训学校', category: 'subject', status: 'active' },
  ],
  inspectors: [
    { id: 'P-TY-1', district: TY, name: '李建国', role: 'full_time' },
    { id: 'P-TY-2', district: TY, name: '王秀英', role: 'part_time' },
    { id: 'P-HT-1', district: HT, name: '张伟', role: 'full_time' },
  ],
} as const;

export interface TestClock {
  now: () => number;
  set(iso: string | number): void;
  advance(ms: number): void;
}

export function testClock(start: string): TestClock {
  let t = Date.parse(start);
  return {
    now: () => t,
    set: (v) => (t = typeof v === 'number' ? v : Date.parse(v)),
    advance: (ms) => (t += ms),
  };
}

/** 株洲市 and the small known registry of REGISTRY. */
export async function seedTestRegistry(database: Database): Promise<void> {
  await upsertCityPack(database, cityPackById('zhuzhou'));
  await upsertSchools(
    database,
    REGISTRY.schools.map((s) => ({ ...s })),
  );
  await upsertInstitutions(
    database,
    REGISTRY.institutions.map((s) => ({ ...s })),
  );
  await upsertInspectors(
    database,
    REGISTRY.inspectors.map((s) => ({ ...s })),
  );
}
