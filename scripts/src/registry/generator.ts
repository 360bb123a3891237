/**
 * The deterministic demo registry of SPEC §4: the same city and seed give the same rows, ids and
 * names on every run, so `pnpm seed` is idempotent and tests can compare whole registries.
 */
import type { CityPack, CityPackDistrict } from '@dudao/domain/cities';
import type { Inspector, Institution, School } from '@dudao/db';
import { BRAND_STEMS, COMMON_STEMS, LOCAL_STEMS, personName } from './names.ts';
import { NON_SUBJECT_INSTITUTION_KINDS, SUBJECT_INSTITUTION_KINDS, chineseNumber } from './names.ts';
import { Random } from './random.ts';

export const DEFAULT_SEED = 20211;

/** SPEC §4 sizes of one district. */
export const SCHOOLS_PER_DISTRICT = { min: 40, max: 120 } as const;
export const INSTITUTIONS_PER_DISTRICT = { min: 15, max: 60 } as const;
export const INSPECTORS_PER_DISTRICT = { min: 10, max: 40 } as const;

/** 天元区 as the Zhuzhou report describes it: 40+ compulsory schools, 4 full-time and 36 part-time inspectors. */
export const TIANYUAN_ADCODE = '430211';
const FIXED_DISTRICTS: Record<string, { minCompulsory: number; fullTime: number; partTime: number }> = {
  [TIANYUAN_ADCODE]: { minCompulsory: 42, fullTime: 4, partTime: 36 },
};

/**
 * Relative size of each district (0 = smallest allowed, 1 = largest), from its population and
 * school count as published: 醴陵市 and 攸县 are large counties, 炎陵县 a small mountain one.
 */
const DISTRICT_SCALE: Record<string, number> = {
  '430202': 0.55, '430203': 0.5, '430204': 0.4, '430211': 0.65, '430212': 0.35,
  '430223': 0.75, '430224': 0.55, '430225': 0.2, '430281': 0.9,
  '520102': 0.85, '520103': 0.9, '520111': 0.6, '520112': 0.45, '520113': 0.4,
  '520115': 0.6, '520121': 0.5, '520122': 0.3, '520123': 0.45, '520181': 0.6,
}; // prettier-ignore
const DEFAULT_SCALE = 0.5;
/** ± rows of noise so districts of one scale still differ. */
const SIZE_JITTER_ROWS = 6;

export type Stage = School['stage'];
const COMPULSORY_SHARE = { min: 0.45, max: 0.56 } as const;
const SENIOR_SCHOOLS = { urban: [4, 8], county: [2, 5] } as const;
/** Share of private schools per stage: most private ones are kindergartens. */
const PRIVATE_SHARE: Record<Stage, number> = {
  kindergarten: 0.55,
  primary: 0.06,
  junior: 0.1,
  nine_year: 0.18,
  senior: 0.15,
};
/** Students per school: [min, max] in the city proper and in the counties. */
const STUDENTS: Record<Stage, { urban: [number, number]; county: [number, number] }> = {
  kindergarten: { urban: [150, 420], county: [80, 320] },
  primary: { urban: [900, 3000], county: [150, 1800] },
  junior: { urban: [800, 2400], county: [300, 1500] },
  nine_year: { urban: [900, 3200], county: [200, 1500] },
  senior: { urban: [1500, 4200], county: [1000, 3500] },
};
/** 学科类 share of training institutions; counties have fewer tutoring businesses per school. */
const SUBJECT_SHARE = { urban: 0.42, county: 0.3 } as const;
/** Institutions already suspended or closed when the registry is taken (压减 under way since 2021). */
const SUBJECT_CLOSED_SHARE = 0.08;
const SUBJECT_SUSPENDED_SHARE = 0.04;
const NON_SUBJECT_SUSPENDED_SHARE = 0.02;
const FULL_TIME_SHARE = { min: 0.1, max: 0.2 } as const;
const MIN_FULL_TIME = 2;
/** Random draws before falling back to a numbered name; the pools make collisions rare below it. */
const NAME_ATTEMPTS = 12;

export interface DemoRegistry {
  schools: School[];
  institutions: Institution[];
  inspectors: Inspector[];
}

export function generateRegistry(pack: CityPack, seed: number = DEFAULT_SEED): DemoRegistry {
  const random = new Random(seed);
  const numbering = new CityNumbering();
  const out: DemoRegistry = { schools: [], institutions: [], inspectors: [] };
  for (const district of pack.districts) {
    const names = new DistrictNames(random, pack, district);
    const schools = generateSchools(random, district, names, numbering);
    const institutions = generateInstitutions(random, district, names);
    const inspectors = generateInspectors(random, district);
    assignResponsibility(schools, institutions, inspectors);
    out.schools.push(...schools);
    out.institutions.push(...institutions);
    out.inspectors.push(...inspectors);
  }
  return out;
}

/** 督学责任区 per district: one per full-time inspector (its 联系督学), within these bounds. */
export const ZONES_PER_DISTRICT = { min: 2, max: 6 } as const;
export const zoneName = (n: number) => `第${chineseNumber(n)}责任区`;

/**
 * 挂牌督导: every school and institution gets a 责任区 and a 责任督学 of it. Part-time inspectors
 * are spread over the zones and answer for a few targets each (天元区: 36 of them for its ~70
 * schools and institutions); a zone without one falls back to its full-time 联系督学. Drawn
 * without the random stream, so the rest of the registry stays what it was for a seed.
 */
function assignResponsibility(schools: School[], institutions: Institution[], inspectors: Inspector[]): void {
  const fullTime = inspectors.filter((i) => i.role === 'full_time');
  const partTime = inspectors.filter((i) => i.role === 'part_time');
  const zones = Math.min(ZONES_PER_DISTRICT.max, Math.max(ZONES_PER_DISTRICT.min, fullTime.length));
  const pools = Array.from({ length: zones }, (_, z) => {
    const part = partTime.filter((_, j) => j % zones === z);
    return part.length > 0 ? part : [fullTime[z % Math.max(1, fullTime.length)] ?? inspectors[0]!];
  });
  const next = new Array<number>(zones).fill(0);
  const targets: (School | Institution)[] = [...schools, ...institutions];
  targets.forEach((target, i) => {
    const z = i % zones;
    const pool = pools[z]!;
    target.zone = zoneName(z + 1);
    target.supervisor = pool[next[z]!++ % pool.length]!.id;
  });
}

const isUrban = (d: CityPackDistrict) => d.name.endsWith('区');
const pad = (n: number) => String(n).padStart(3, '0');

function sizeFor(random: Random, d: CityPackDistrict, range: { min: number; max: number }, weight = 1) {
  const scale = (DISTRICT_SCALE[d.adcode] ?? DEFAULT_SCALE) * weight;
  const size =
    Math.round(range.min + (range.max - range.min) * scale) + random.int(-SIZE_JITTER_ROWS, SIZE_JITTER_ROWS);
  return Math.min(range.max, Math.max(range.min, size));
}

function stagePlan(random: Random, d: CityPackDistrict): Stage[] {
  const total = sizeFor(random, d, SCHOOLS_PER_DISTRICT);
  const [seniorMin, seniorMax] = isUrban(d) ? SENIOR_SCHOOLS.urban : SENIOR_SCHOOLS.county;
  const seniors = random.int(seniorMin, seniorMax);
  const minCompulsory = FIXED_DISTRICTS[d.adcode]?.minCompulsory ?? 0;
  const compulsory = Math.max(
    minCompulsory,
    Math.round(total * random.between(COMPULSORY_SHARE.min, COMPULSORY_SHARE.max)),
  );
  const kindergartens = Math.max(0, total - seniors - compulsory);
  // Rural districts keep many 九年一贯制 schools; the city proper splits primary and junior.
  const split = isUrban(d)
    ? { primary: 0.62, junior: 0.25, nine_year: 0.13 }
    : { primary: 0.55, junior: 0.2, nine_year: 0.25 };
  const plan: Stage[] = [];
  for (let i = 0; i < compulsory; i++) plan.push(random.weighted(split));
  for (let i = 0; i < seniors; i++) plan.push('senior');
  for (let i = 0; i < kindergartens; i++) plan.push('kindergarten');
  return plan;
}

function generateSchools(
  random: Random,
  d: CityPackDistrict,
  names: DistrictNames,
  numbering: CityNumbering,
): School[] {
  return stagePlan(random, d).map((stage, i) => {
    const ownership = random.chance(PRIVATE_SHARE[stage]) ? 'private' : 'public';
    const [min, max] = isUrban(d) ? STUDENTS[stage].urban : STUDENTS[stage].county;
    // Private schools are smaller on average than the public ones next to them.
    const students = Math.round(random.int(min, max) * (ownership === 'private' ? 0.7 : 1));
    const name = names.school(stage, ownership, numbering);
    return {
      id: `sch-${d.adcode}-${pad(i + 1)}`,
      district: d.adcode,
      name,
      stage,
      ownership,
      students,
      supervisor: null,
      zone: null,
    };
  });
}

function generateInstitutions(random: Random, d: CityPackDistrict, names: DistrictNames): Institution[] {
  const total = sizeFor(random, d, INSTITUTIONS_PER_DISTRICT, isUrban(d) ? 1.1 : 0.75);
  const subjectShare = isUrban(d) ? SUBJECT_SHARE.urban : SUBJECT_SHARE.county;
  return Array.from({ length: total }, (_, i) => {
    const category = random.chance(subjectShare) ? 'subject' : 'non_subject';
    const roll = random.float();
    let status: Institution['status'] = 'active';
    if (category === 'subject' && roll < SUBJECT_CLOSED_SHARE) status = 'closed';
    else if (category === 'subject' && roll < SUBJECT_CLOSED_SHARE + SUBJECT_SUSPENDED_SHARE)
      status = 'suspended';
    else if (category === 'non_subject' && roll < NON_SUBJECT_SUSPENDED_SHARE) status = 'suspended';
    return {
      id: `ins-${d.adcode}-${pad(i + 1)}`,
      district: d.adcode,
      name: names.institution(category),
      category,
      status,
      supervisor: null,
      zone: null,
    };
  });
}

function generateInspectors(random: Random, d: CityPackDistrict): Inspector[] {
  const fixed = FIXED_DISTRICTS[d.adcode];
  const total = fixed ? fixed.fullTime + fixed.partTime : sizeFor(random, d, INSPECTORS_PER_DISTRICT);
  const fullTime = fixed
    ? fixed.fullTime
    : Math.max(MIN_FULL_TIME, Math.round(total * random.between(FULL_TIME_SHARE.min, FULL_TIME_SHARE.max)));
  const used = new Set<string>();
  return Array.from({ length: total }, (_, i) => {
    let name = personName(random);
    while (used.has(name)) name = personName(random);
    used.add(name);
    const role = i < fullTime ? 'full_time' : 'part_time';
    return { id: `insp-${d.adcode}-${pad(i + 1)}`, district: d.adcode, name, role };
  });
}

/** 第N中学 numbers: city-wide in the city proper (株洲市第二中学), per county elsewhere (攸县第一中学). */
class CityNumbering {
  private readonly next = new Map<string, number>();
  take(prefix: string): string {
    const n = (this.next.get(prefix) ?? 0) + 1;
    this.next.set(prefix, n);
    return `${prefix}第${chineseNumber(n)}中学`;
  }
}

/** Builds names unique within one district from the city's place words. */
class DistrictNames {
  private readonly used = new Set<string>();
  private readonly places: readonly string[];
  private fallback = 0;

  constructor(
    private readonly random: Random,
    private readonly pack: CityPack,
    private readonly district: CityPackDistrict,
  ) {
    const local = LOCAL_STEMS[pack.adcode];
    this.places = isUrban(district)
      ? [...COMMON_STEMS, ...(local?.urban ?? [])]
      : [...(local?.towns ?? []), ...COMMON_STEMS.slice(0, 12)];
  }

  school(stage: Stage, ownership: School['ownership'], numbering: CityNumbering): string {
    const d = this.district.name;
    const brand = () => this.random.pick(BRAND_STEMS);
    const place = () => this.random.pick(this.places);
    const town = () => (isUrban(this.district) ? place() : `${place()}镇`);
    if (stage === 'senior' && ownership === 'public')
      return this.unique(() => numbering.take(isUrban(this.district) ? this.pack.name : d), '中学');
    const patterns: Record<Stage, () => string> =
      ownership === 'private'
        ? {
            kindergarten: () => `${d}${brand()}幼儿园`,
            primary: () => `${d}${brand()}小学`,
            junior: () => `${d}${brand()}中学`,
            nine_year: () => `${d}${brand()}实验学校`,
            senior: () => `${d}${brand()}高级中学`,
          }
        : {
            kindergarten: () => `${d}${town()}${isUrban(this.district) ? '' : '中心'}幼儿园`,
            primary: () =>
              `${d}${town()}${!isUrban(this.district) && this.random.chance(0.5) ? '中心' : ''}小学`,
            junior: () => `${d}${place()}中学`,
            nine_year: () => `${d}${place()}学校`,
            senior: () => `${d}${place()}中学`,
          };
    const suffix = {
      kindergarten: '幼儿园',
      primary: '小学',
      junior: '中学',
      nine_year: '学校',
      senior: '中学',
    }[stage];
    return this.unique(patterns[stage], suffix);
  }

  institution(category: Institution['category']): string {
    const kinds = category === 'subject' ? SUBJECT_INSTITUTION_KINDS : NON_SUBJECT_INSTITUTION_KINDS;
    const kind = this.random.pick(kinds);
    return this.unique(() => `${this.district.name}${this.random.pick(BRAND_STEMS)}${kind}`, kind);
  }

  /** A few random tries, then a numbered name (天元区第三小学) that is unique by construction. */
  private unique(candidate: () => string, suffix: string): string {
    for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
      const name = candidate();
      if (!this.used.has(name)) return this.keep(name);
    }
    let name: string;
    do name = `${this.district.name}第${chineseNumber(++this.fallback)}${suffix}`;
    while (this.used.has(name));
    return this.keep(name);
  }

  private keep(name: string): string {
    this.used.add(name);
    return name;
  }
}
