/**
 * What the simulator knows about the city: the registry it was given and the objects its own
 * events created. It only ever acts on objects it knows to be in the right state, which is what
 * makes every event it sends acceptable to the domain rules.
 */
import type { IssueCategory, Target, Theme } from '@dudao/domain';
import type { Random } from '../registry/random.ts';

export type Stage = 'kindergarten' | 'primary' | 'junior' | 'nine_year' | 'senior';
export type InstitutionCategory = 'subject' | 'non_subject';
export type InstitutionStatus = 'active' | 'suspended' | 'closed';

/** The registry as the simulator needs it; the read API and the database both provide it. */
export interface SimRegistry {
  districts: string[];
  schools: { id: string; district: string; stage: Stage }[];
  institutions: { id: string; district: string; category: InstitutionCategory; status: InstitutionStatus }[];
  inspectors: { id: string; district: string; role: 'full_time' | 'part_time' }[];
}

export type SimSchool = SimRegistry['schools'][number];
export type SimInstitution = SimRegistry['institutions'][number];
export type SimInspector = SimRegistry['inspectors'][number];

export interface SimInspection {
  id: string;
  district: string;
  target: Target;
  inspector: string;
  theme: Theme;
}

export interface SimIssue {
  id: string;
  district: string;
  target: Target;
  inspector: string;
  category: IssueCategory;
  deadline: number;
  reopens: number;
  /** as the service sees it, so an urge or an extension is sent only to an open issue */
  status: 'open' | 'submitted' | 'closed';
}

export interface SimComplaint {
  id: string;
  district: string;
  category: IssueCategory;
  target: Target | undefined;
}

/** A school's after-school service is a lasting trait; its monthly numbers vary a little around it. */
export interface SchoolProfile {
  offersAfterSchool: boolean;
  participation: number;
}

const COMPULSORY: readonly Stage[] = ['primary', 'junior', 'nine_year'];
export const isCompulsory = (stage: Stage) => COMPULSORY.includes(stage);

/** Tries before giving up on finding a free inspector or a target of the wanted stage. */
const PICK_ATTEMPTS = 8;
/** A mild preference for schools not yet visited this month (责任督学 spread their visits). */
const UNVISITED_PREFERENCE_ATTEMPTS = 2;

export class CityState {
  readonly districts: string[];
  readonly institutions = new Map<string, SimInstitution>();
  readonly compulsorySchools: SimSchool[];
  private readonly schoolsByDistrict = new Map<string, SimSchool[]>();
  private readonly institutionsByDistrict = new Map<string, SimInstitution[]>();
  private readonly inspectorsByDistrict = new Map<string, SimInspector[]>();
  private readonly inspectors: SimInspector[];
  /** ids of inspectors in the middle of a visit: one visit at a time each */
  readonly busy = new Set<string>();
  /** targets visited per month, so inspectors work towards full coverage as districts do */
  private readonly visited = new Map<string, Set<string>>();
  /** schools that reported per month */
  private readonly reported = new Map<string, Set<string>>();
  readonly profiles = new Map<string, SchoolProfile>();
  private readonly stages = new Map<string, Stage>();

  constructor(registry: SimRegistry) {
    this.districts = [...registry.districts];
    const group = <T extends { district: string }>(rows: T[], into: Map<string, T[]>) => {
      for (const row of rows) into.set(row.district, [...(into.get(row.district) ?? []), row]);
    };
    const known = new Set(this.districts);
    const inCity = <T extends { district: string }>(rows: T[]) => rows.filter((r) => known.has(r.district));
    group(inCity(registry.schools), this.schoolsByDistrict);
    for (const s of registry.schools) this.stages.set(s.id, s.stage);
    const institutions = inCity(registry.institutions).map((i) => ({ ...i }));
    group(institutions, this.institutionsByDistrict);
    for (const i of institutions) this.institutions.set(i.id, i);
    this.inspectors = inCity(registry.inspectors);
    group(this.inspectors, this.inspectorsByDistrict);
    this.compulsorySchools = inCity(registry.schools).filter((s) => isCompulsory(s.stage));
  }

  get inspectorList(): readonly SimInspector[] {
    return this.inspectors;
  }

  stageOf(schoolId: string): Stage | undefined {
    return this.stages.get(schoolId);
  }

  openInstitutions(): number {
    let n = 0;
    for (const i of this.institutions.values()) if (i.status !== 'closed') n++;
    return n;
  }

  /** Any inspector of the district who is not on a visit, or undefined. */
  freeInspector(random: Random, district: string): SimInspector | undefined {
    const pool = this.inspectorsByDistrict.get(district) ?? [];
    if (pool.length === 0) return undefined;
    for (let i = 0; i < PICK_ATTEMPTS; i++) {
      const inspector = random.pick(pool);
      if (!this.busy.has(inspector.id)) return inspector;
    }
    return undefined;
  }

  /** Any inspector of the district, busy or not (for desk work such as closing a complaint). */
  anyInspector(random: Random, district: string): SimInspector | undefined {
    const pool = this.inspectorsByDistrict.get(district) ?? [];
    return pool.length > 0 ? random.pick(pool) : undefined;
  }

  /**
   * A school or an open institution of the district, preferring ones not yet visited this month.
   * `schoolWeight` (0..1 by stage) thins the schools, so 双减 visits lean to compulsory education.
   */
  visitTarget(
    random: Random,
    district: string,
    month: string,
    kind: Target['kind'],
    schoolWeight: Record<Stage, number>,
  ): Target | undefined {
    const pool: { id: string; stage?: Stage }[] =
      kind === 'school'
        ? (this.schoolsByDistrict.get(district) ?? [])
        : (this.institutionsByDistrict.get(district) ?? []).filter((i) => i.status !== 'closed');
    if (pool.length === 0) return undefined;
    const seen = this.visited.get(month);
    // The stage weight decides first, so the push for coverage does not tilt visits to kindergartens.
    const draw = () => {
      let candidate = random.pick(pool);
      for (let i = 0; i < PICK_ATTEMPTS; i++) {
        if (candidate.stage === undefined || random.chance(schoolWeight[candidate.stage])) break;
        candidate = random.pick(pool);
      }
      return candidate;
    };
    let choice = draw();
    for (let i = 0; i < UNVISITED_PREFERENCE_ATTEMPTS && seen?.has(choice.id); i++) choice = draw();
    return { kind, id: choice.id };
  }

  markVisited(month: string, targetId: string): void {
    this.monthSet(this.visited, month).add(targetId);
  }

  school(random: Random, district: string): SimSchool | undefined {
    const pool = this.schoolsByDistrict.get(district) ?? [];
    return pool.length > 0 ? random.pick(pool) : undefined;
  }

  institutionIn(random: Random, district: string): SimInstitution | undefined {
    const pool = (this.institutionsByDistrict.get(district) ?? []).filter((i) => i.status !== 'closed');
    return pool.length > 0 ? random.pick(pool) : undefined;
  }

  unreported(month: string): number {
    return this.compulsorySchools.length - (this.reported.get(month)?.size ?? 0);
  }

  /** A compulsory school that has not reported for `month` yet. */
  unreportedSchool(random: Random, month: string): SimSchool | undefined {
    const done = this.reported.get(month);
    const pending = this.compulsorySchools.filter((s) => !done?.has(s.id));
    return pending.length > 0 ? random.pick(pending) : undefined;
  }

  reportedSchoolIds(month: string): string[] {
    return [...(this.reported.get(month) ?? [])];
  }

  markReported(month: string, schoolId: string): void {
    this.monthSet(this.reported, month).add(schoolId);
  }

  /** Drops the visit and report bookkeeping of months before `month`: nothing asks about them again. */
  forgetBefore(month: string): void {
    for (const map of [this.visited, this.reported])
      for (const key of [...map.keys()]) if (key < month) map.delete(key);
  }

  private monthSet(map: Map<string, Set<string>>, month: string): Set<string> {
    let set = map.get(month);
    if (!set) map.set(month, (set = new Set()));
    return set;
  }
}
