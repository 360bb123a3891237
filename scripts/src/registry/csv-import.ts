/**
 * Registry CSV import (SPEC §4): UTF-8 with a header row naming the SPEC fields. Every row of
 * every file is checked before anything is written; one bad row means nothing is imported.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CityPack } from '@dudao/domain/cities';
import {
  upsertCityPack,
  upsertInspectors,
  upsertInstitutions,
  upsertSchools,
  type Database,
  type NewInspector,
  type NewInstitution,
  type NewSchool,
} from '@dudao/db';

export const CSV_KINDS = ['schools', 'institutions', 'inspectors'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const INTEGER_PATTERN = /^\d+$/;
/** What reading a file as UTF-8 makes of bytes that are not UTF-8. */
const NOT_UTF8 = '\uFFFD';
/** Students of one school; above this a typo (an extra zero) is more likely than a real school. */
const MAX_STUDENTS = 20_000;

/** One problem in a file: `row` is the line number, the header being row 1. */
export interface CsvProblem {
  file: string;
  row: number;
  column: string;
  message: string;
}

export function formatProblem(p: CsvProblem): string {
  return `${p.file}: row ${p.row}, column ${p.column}: ${p.message}`;
}

type Check = (
  value: string,
  districts: ReadonlySet<string>,
) => { value: string | number } | { error: string };

const text: Check = (value) => ({ value });
const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    allowed.includes(value) ? { value } : { error: `"${value}" is not one of ${allowed.join('|')}` };
const id: Check = (value) =>
  ID_PATTERN.test(value) ? { value } : { error: `"${value}" is not 1-64 characters of A-Z a-z 0-9 _ -` };
const district: Check = (value, districts) =>
  districts.has(value) ? { value } : { error: `unknown district "${value}" for this city` };
const students: Check = (value) => {
  if (!INTEGER_PATTERN.test(value)) return { error: `"${value}" is not a non-negative integer` };
  const n = Number(value);
  return n <= MAX_STUDENTS ? { value: n } : { error: `${n} students is more than ${MAX_STUDENTS}` };
};

/** The SPEC §4 fields of each file, in the order a template would list them. */
const FIELDS: Record<CsvKind, Record<string, Check>> = {
  schools: {
    id,
    district,
    name: text,
    stage: oneOf('kindergarten', 'primary', 'junior', 'nine_year', 'senior'),
    ownership: oneOf('public', 'private'),
    students,
  },
  institutions: {
    id,
    district,
    name: text,
    category: oneOf('subject', 'non_subject'),
    status: oneOf('active', 'suspended', 'closed'),
  },
  inspectors: { id, district, name: text, role: oneOf('full_time', 'part_time') },
};

/** Longest 责任区 name: a few words (第三责任区, 河西片区). */
const MAX_ZONE_CHARS = 32;
const zone: Check = (value) =>
  value.length <= MAX_ZONE_CHARS
    ? { value }
    : { error: `a zone name has at most ${MAX_ZONE_CHARS} characters` };

/**
 * Columns a file may leave out, or leave empty in a row (SPEC §14: 责任督学, 责任区). A supervisor
 * must be an inspector of the row's district: checked across files in `importRegistryCsv`.
 */
const OPTIONAL_FIELDS: Record<CsvKind, Record<string, Check>> = {
  schools: { supervisor: id, zone },
  institutions: { supervisor: id, zone },
  inspectors: {},
};

/** What csv-parse returns per record with `info: true`: the fields and the line it ended on. */
interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

export interface RegistryRows {
  schools: NewSchool[];
  institutions: NewInstitution[];
  inspectors: NewInspector[];
}

export interface ParsedCsv<K extends CsvKind> {
  rows: RegistryRows[K];
  /** the file's row number of each of `rows` */
  rowNumbers: number[];
  /** the optional columns the header has */
  optionalColumns: string[];
  problems: CsvProblem[];
}

/** Parses and checks one file's text; `rows` is only meaningful when `problems` is empty. */
export function parseRegistryCsv<K extends CsvKind>(
  kind: K,
  content: string,
  options: { file: string; districts: ReadonlySet<string> },
): ParsedCsv<K> {
  const problems: CsvProblem[] = [];
  const problem = (row: number, column: string, message: string) =>
    problems.push({ file: options.file, row, column, message });
  let records: ParsedRecord[];
  try {
    // csv-parse miscounts lines when a quoted field holds CRLF; plain LF keeps `info.lines` exact.
    records = parse(content.replace(/\r\n?/g, '\n'), {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as ParsedRecord[]; // `info: true` wraps each record; the typings do not model it
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    problem(line, '-', `not valid CSV: ${err instanceof Error ? err.message : String(err)}`);
    return { rows: [], rowNumbers: [], optionalColumns: [], problems };
  }
  const [head, ...body] = records;
  if (!head) {
    problem(1, '-', 'the file is empty; expected a header row');
    return { rows: [], rowNumbers: [], optionalColumns: [], problems };
  }
  const fields = FIELDS[kind];
  const header = head.record;
  for (const name of Object.keys(fields))
    if (!header.includes(name))
      problem(1, name, `missing column (expected ${Object.keys(fields).join(',')})`);
  header.forEach((name, i) => {
    if (header.indexOf(name) !== i) problem(1, name, 'column appears twice');
  });
  if (problems.length > 0) return { rows: [], rowNumbers: [], optionalColumns: [], problems };
  const optional = Object.entries(OPTIONAL_FIELDS[kind]).filter(([name]) => header.includes(name));

  const rows: Record<string, string | number | null>[] = [];
  const rowNumbers: number[] = [];
  const firstRowOfId = new Map<string, number>();
  for (const { record, info } of body) {
    // A quoted field may span lines; the row is where the record starts.
    const row = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    if (record.length > header.length)
      problem(row, String(header.length + 1), `unexpected field: the header has ${header.length} columns`);
    const out: Record<string, string | number | null> = {};
    const take = (name: string, check: Check, required: boolean) => {
      const value = record[header.indexOf(name)] ?? '';
      if (value === '') {
        if (required) problem(row, name, 'missing field');
        else out[name] = null;
        return;
      }
      // Bytes that are not UTF-8 (a GBK file from Excel) were read as U+FFFD: refuse, not garble.
      if (value.includes(NOT_UTF8))
        return problem(row, name, 'is not UTF-8 text: save the file as UTF-8 (Excel: "CSV UTF-8")');
      const result = check(value, options.districts);
      if ('error' in result) problem(row, name, result.error);
      else out[name] = result.value;
    };
    for (const [name, check] of Object.entries(fields)) take(name, check, true);
    for (const [name, check] of optional) take(name, check, false);
    const rowId = record[header.indexOf('id')] ?? '';
    const first = firstRowOfId.get(rowId);
    if (rowId !== '' && first !== undefined)
      problem(row, 'id', `duplicate id "${rowId}" (first on row ${first})`);
    else firstRowOfId.set(rowId, row);
    rows.push(out);
    rowNumbers.push(row);
  }
  return {
    // each row holds every field FIELDS[kind] checked, which the types do not tie to RegistryRows[K]
    rows: rows as unknown as RegistryRows[K],
    rowNumbers,
    optionalColumns: optional.map(([name]) => name),
    problems,
  };
}

export type CsvFiles = Partial<Record<CsvKind, string>>;

/** Inspector id → district: those in the database for the city, overridden by the file being imported. */
async function knownInspectors(
  database: Database,
  cityAdcode: string,
  imported: NewInspector[],
): Promise<Map<string, string>> {
  const stored = await database.query<{ id: string; district: string }>(
    'select p.id, p.district from inspectors p join districts d on d.adcode = p.district where d.city_adcode = $1',
    [cityAdcode],
  );
  return new Map([
    ...stored.map((r) => [r.id, r.district] as const),
    ...imported.map((r) => [r.id, r.district] as const),
  ]);
}

/** A 责任督学 must be an inspector of the row's own district. */
function supervisorProblems(
  result: ParsedCsv<'schools' | 'institutions'> & { file: string },
  inspectorDistricts: ReadonlyMap<string, string>,
): CsvProblem[] {
  const out: CsvProblem[] = [];
  result.rows.forEach((row, i) => {
    const supervisor = row.supervisor;
    if (!supervisor) return;
    const district = inspectorDistricts.get(supervisor);
    if (district === row.district) return;
    out.push({
      file: result.file,
      row: result.rowNumbers[i]!,
      column: 'supervisor',
      message:
        district === undefined
          ? `no inspector "${supervisor}" (in this import or the registry)`
          : `inspector "${supervisor}" belongs to district ${district}, not ${row.district}`,
    });
  });
  return out;
}

export type ImportResult =
  { ok: true; counts: Record<CsvKind, number> } | { ok: false; problems: CsvProblem[] };

/**
 * Reads and checks every given file; writes the city pack and all the files in one transaction,
 * and only if every row of every file is clean.
 */
export async function importRegistryCsv(
  database: Database,
  options: { pack: CityPack; files: CsvFiles },
): Promise<ImportResult> {
  const districts = new Set(options.pack.districts.map((d) => d.adcode));
  const parsed: RegistryRows = { schools: [], institutions: [], inspectors: [] };
  const results: Partial<{ [K in CsvKind]: ParsedCsv<K> & { file: string } }> = {};
  const problems: CsvProblem[] = [];
  for (const kind of CSV_KINDS) {
    const path = options.files[kind];
    if (path === undefined) continue;
    const file = basename(path);
    const result = parseRegistryCsv(kind, await readFile(path, 'utf8'), { file, districts });
    problems.push(...result.problems);
    Object.assign(parsed, { [kind]: result.rows });
    Object.assign(results, { [kind]: { ...result, file } });
  }
  if (problems.length === 0) {
    const inspectorDistricts = await knownInspectors(database, options.pack.adcode, parsed.inspectors);
    for (const kind of ['schools', 'institutions'] as const) {
      const result = results[kind];
      if (result) problems.push(...supervisorProblems(result, inspectorDistricts));
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const keeps = (kind: 'schools' | 'institutions') =>
    !results[kind]?.optionalColumns.includes('supervisor') &&
    !results[kind]?.optionalColumns.includes('zone');
  await database.db.transaction(async (tx) => {
    // The districts must be there too: registry reads select rows by the city's districts.
    await upsertCityPack(tx, options.pack);
    await upsertSchools(tx, parsed.schools, { keepResponsibility: keeps('schools') });
    await upsertInstitutions(tx, parsed.institutions, { keepResponsibility: keeps('institutions') });
    await upsertInspectors(tx, parsed.inspectors);
  });
  return {
    ok: true,
    counts: {
      schools: parsed.schools.length,
      institutions: parsed.institutions.length,
      inspectors: parsed.inspectors.length,
    },
  };
}
