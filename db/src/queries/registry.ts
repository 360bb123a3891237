/**
 * Registry queries (SPEC §4): the city pack, schools, institutions and inspectors. Every write is
 * an upsert keyed by id, so loading the same data twice leaves the same rows.
 */
import { asc, count, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database, Db, Tx } from '../client.ts';
import {
  cities,
  districts,
  inspectors,
  institutions,
  schools,
  type City,
  type District,
  type Inspector,
  type Institution,
  type NewInspector,
  type NewInstitution,
  type NewSchool,
  type School,
} from '../schema/registry.ts';

/** Either an open database or a transaction, so the same queries can run inside `db.transaction`. */
export type RegistryExecutor = Database | Tx;

/**
 * Rows per INSERT statement. PostgreSQL allows 65,535 bind parameters per statement; 500 rows of
 * at most 8 columns stay far below it while keeping round trips few.
 */
export const UPSERT_BATCH_ROWS = 500;

export interface CityPackInput {
  adcode: string;
  name: string;
  timezone: string;
  districts: { adcode: string; name: string; center: [number, number] | null }[];
}

export interface Registry {
  /** null when the city was never loaded */
  city: City | null;
  districts: District[];
  schools: School[];
  institutions: Institution[];
  inspectors: Inspector[];
}

export interface RegistryCounts {
  districts: number;
  schools: number;
  institutions: number;
  inspectors: number;
}

function drizzleOf(executor: RegistryExecutor): Db | Tx {
  return 'kind' in executor ? executor.db : executor;
}

/** `SET col = excluded.col` for every listed column. */
function excludedSet<T extends PgTable>(table: T, keys: (keyof T['_']['columns'])[]): Record<string, SQL> {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const set: Record<string, SQL> = {};
  for (const key of keys) {
    const column = columns[key as string];
    if (!column) throw new Error(`no column ${String(key)} on ${table._.name}`);
    set[key as string] = sql.raw(`excluded."${column.name}"`);
  }
  return set;
}

async function upsertInBatches<T extends PgTable>(
  executor: RegistryExecutor,
  table: T,
  idColumn: PgColumn,
  rows: T['$inferInsert'][],
  updateKeys: (keyof T['_']['columns'])[],
): Promise<number> {
  const db = drizzleOf(executor);
  const set = excludedSet(table, updateKeys);
  for (let start = 0; start < rows.length; start += UPSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + UPSERT_BATCH_ROWS);
    await db.insert(table).values(batch).onConflictDoUpdate({ target: idColumn, set });
  }
  return rows.length;
}

/** Inserts or updates the city and its districts. */
export async function upsertCityPack(executor: RegistryExecutor, pack: CityPackInput): Promise<void> {
  const db = drizzleOf(executor);
  await db
    .insert(cities)
    .values({ adcode: pack.adcode, name: pack.name, timezone: pack.timezone })
    .onConflictDoUpdate({ target: cities.adcode, set: excludedSet(cities, ['name', 'timezone']) });
  const rows = pack.districts.map((d) => ({
    adcode: d.adcode,
    cityAdcode: pack.adcode,
    name: d.name,
    center: d.center,
  }));
  await upsertInBatches(executor, districts, districts.adcode, rows, ['cityAdcode', 'name', 'center']);
}

export interface UpsertResponsibilityOptions {
  /**
   * Keep the 责任督学 and 责任区 already stored: a CSV without those columns says nothing about them
   * and must not wipe them.
   */
  keepResponsibility?: boolean;
}

const RESPONSIBILITY_KEYS = ['supervisor', 'zone'] as const;

export function upsertSchools(
  executor: RegistryExecutor,
  rows: NewSchool[],
  options: UpsertResponsibilityOptions = {},
): Promise<number> {
  const keys: (keyof typeof schools._.columns)[] = ['district', 'name', 'stage', 'ownership', 'students'];
  if (!options.keepResponsibility) keys.push(...RESPONSIBILITY_KEYS);
  return upsertInBatches(executor, schools, schools.id, rows, keys);
}

export interface UpsertInstitutionsOptions extends UpsertResponsibilityOptions {
  /**
   * Keep the status of institutions already stored. Events (suspension, closure) move the status
   * after the first load; a demo re-seed must not undo them, while a CSV from the authority may.
   */
  keepStatus?: boolean;
}

export function upsertInstitutions(
  executor: RegistryExecutor,
  rows: NewInstitution[],
  options: UpsertInstitutionsOptions = {},
): Promise<number> {
  const keys: (keyof typeof institutions._.columns)[] = ['district', 'name', 'category'];
  if (!options.keepStatus) keys.push('status');
  if (!options.keepResponsibility) keys.push(...RESPONSIBILITY_KEYS);
  return upsertInBatches(executor, institutions, institutions.id, rows, keys);
}

export function upsertInspectors(executor: RegistryExecutor, rows: NewInspector[]): Promise<number> {
  return upsertInBatches(executor, inspectors, inspectors.id, rows, ['district', 'name', 'role']);
}

function cityDistricts(db: Db | Tx, cityAdcode: string) {
  return db.select({ adcode: districts.adcode }).from(districts).where(eq(districts.cityAdcode, cityAdcode));
}

/** The whole registry of one city, every list ordered by id. */
export async function loadRegistry(executor: RegistryExecutor, cityAdcode: string): Promise<Registry> {
  const db = drizzleOf(executor);
  const [city] = await db.select().from(cities).where(eq(cities.adcode, cityAdcode));
  const inCity = cityDistricts(db, cityAdcode);
  const [districtRows, schoolRows, institutionRows, inspectorRows] = await Promise.all([
    db.select().from(districts).where(eq(districts.cityAdcode, cityAdcode)).orderBy(asc(districts.adcode)),
    db.select().from(schools).where(inArray(schools.district, inCity)).orderBy(asc(schools.id)),
    db
      .select()
      .from(institutions)
      .where(inArray(institutions.district, inCity))
      .orderBy(asc(institutions.id)),
    db.select().from(inspectors).where(inArray(inspectors.district, inCity)).orderBy(asc(inspectors.id)),
  ]);
  return {
    city: city ?? null,
    districts: districtRows,
    schools: schoolRows,
    institutions: institutionRows,
    inspectors: inspectorRows,
  };
}

/** How many rows of each kind the city has; all zero when it was never loaded. */
export async function registryCounts(
  executor: RegistryExecutor,
  cityAdcode: string,
): Promise<RegistryCounts> {
  const db = drizzleOf(executor);
  const inCity = cityDistricts(db, cityAdcode);
  const total = async (table: typeof schools | typeof institutions | typeof inspectors) => {
    const [row] = await db.select({ n: count() }).from(table).where(inArray(table.district, inCity));
    return row?.n ?? 0;
  };
  const [districtRow] = await db
    .select({ n: count() })
    .from(districts)
    .where(eq(districts.cityAdcode, cityAdcode));
  return {
    districts: districtRow?.n ?? 0,
    schools: await total(schools),
    institutions: await total(institutions),
    inspectors: await total(inspectors),
  };
}
