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
    return { rows: [], problems };
  }
  const [head, ...body] = records;
  if (!head) {
    problem(1, '-', 'the file is empty; expected a header row');
    return { rows: [], problems };
  }
  const fields = FIELDS[kind];
  const header = head.record;
  for (const name of Object.keys(fields))
    if (!header.includes(name))
      problem(1, name, `missing column (expected ${Object.keys(fields).join(',')})`);
  header.forEach((name, i) => {
    if (header.indexOf(name) !== i) problem(1, name, 'column appears twice');
  });
  if (problems.length > 0) return { rows: [], problems };

  const rows: Record<string, string | number>[] = [];
  const firstRowOfId = new Map<string, number>();
  for (const { record, info } of body) {
    // A quoted field may span lines; the row is where the record starts.
    const row = info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    if (record.length > header.length)
      problem(row, String(header.length + 1), `unexpected field: the header has ${header.length} columns`);
    const out: Record<string, string | number> = {};
    for (const [name, check] of Object.entries(fields)) {
      const value = record[header.indexOf(name)] ?? '';
      if (value === '') {
        problem(row, name, 'missing field');
        continue;
      }
      // Bytes that are not UTF-8 (a GBK file from Excel) were read as U+FFFD: refuse, not garble.
      if (value.includes(NOT_UTF8)) {
        problem(row, name, 'is not UTF-8 text: save the file as UTF-8 (Excel: "CSV UTF-8")');
        continue;
      }
      const result = check(value, options.districts);
      if ('error' in result) problem(row, name, result.error);
      else out[name] = result.value;
    }
    const rowId = record[header.indexOf('id')] ?? '';
    const first = firstRowOfId.get(rowId);
    if (rowId !== '' && first !== undefined)
      problem(row, 'id', `duplicate id "${rowId}" (first on row ${first})`);
    else firstRowOfId.set(rowId, row);
    rows.push(out);
  }
  return { rows: rows as unknown as RegistryRows[K], problems };
}

export type CsvFiles = Partial<Record<CsvKind, string>>;

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
  const problems: CsvProblem[] = [];
  for (const kind of CSV_KINDS) {
    const path = options.files[kind];
    if (path === undefined) continue;
    const result = parseRegistryCsv(kind, await readFile(path, 'utf8'), { file: basename(path), districts });
    problems.push(...result.problems);
    Object.assign(parsed, { [kind]: result.rows });
  }
  if (problems.length > 0) return { ok: false, problems };
  await database.db.transaction(async (tx) => {
    // The districts must be there too: registry reads select rows by the city's districts.
    await upsertCityPack(tx, options.pack);
    await upsertSchools(tx, parsed.schools);
    await upsertInstitutions(tx, parsed.institutions);
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
