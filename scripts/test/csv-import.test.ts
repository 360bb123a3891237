import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_PACKS } from '@dudao/domain/cities';
import { loadRegistry, registryCounts } from '@dudao/db';
import { openTestDatabase, type TestDatabase } from '@dudao/testkit';
import { formatProblem, importRegistryCsv, parseRegistryCsv } from '../src/registry/csv-import.ts';

const pack = CITY_PACKS.zhuzhou;
const districts = new Set(pack.districts.map((d) => d.adcode));
const dir = mkdtempSync(join(tmpdir(), 'dudao-csv-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, 'utf8');
  return path;
}

const GOOD_SCHOOLS = [
  '\ufeffid,district,name,stage,ownership,students',
  'tz-001,430211,天元区泰山学校,nine_year,public,2460',
  'tz-002,430211,天元区白鹤小学,primary,public,1830',
  'ls-001,430203,芦淞区建设小学,primary,public,1275',
  'zz-002,430202,"株洲市第二中学",senior,public,3120',
  'hk-001,430202,荷塘区童心幼儿园,kindergarten,private,215',
].join('\r\n');
const GOOD_INSTITUTIONS = [
  'id,district,name,category,status',
  'pi-001,430211,天元区启航教育培训学校,subject,active',
  'pi-002,430203,芦淞区七彩艺术培训中心,non_subject,suspended',
].join('\n');
const GOOD_INSPECTORS = [
  'id,district,name,role',
  'du-001,430211,赵湘兵,full_time',
  'du-002,430211,郑奕,part_time',
  'du-003,430281,李峭,part_time',
].join('\n');

describe('registry CSV import (SPEC §4)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('imports good files in one go, and again to the same rows', async () => {
    const files = {
      schools: file('schools.csv', GOOD_SCHOOLS),
      institutions: file('institutions.csv', GOOD_INSTITUTIONS),
      inspectors: file('inspectors.csv', GOOD_INSPECTORS),
    };
    const result = await importRegistryCsv(t.database, { pack, files });
    expect(result).toEqual({ ok: true, counts: { schools: 5, institutions: 2, inspectors: 3 } });
    const before = await loadRegistry(t.database, pack.adcode);
    expect(await importRegistryCsv(t.database, { pack, files })).toMatchObject({ ok: true });
    const after = await loadRegistry(t.database, pack.adcode);
    expect(after).toEqual(before);
    expect(await registryCounts(t.database, pack.adcode)).toEqual({
      districts: pack.districts.length,
      schools: 5,
      institutions: 2,
      inspectors: 3,
    });
    expect(after.schools.find((s) => s.id === 'zz-002')).toMatchObject({
      name: '株洲市第二中学',
      stage: 'senior',
      students: 3120,
    });
    expect(after.institutions.find((i) => i.id === 'pi-002')?.status).toBe('suspended');
  });

  it('reports every bad row as "row N, column C" and imports nothing', async () => {
    const broken = [
      'id,district,name,stage,ownership,students', // row 1
      'bad-001,430211,天元区栗雨小学,primary,public,1500', // row 2: fine
      'bad-002,110101,北京某小学,primary,public,900', // row 3: unknown district
      'bad-003,430211,天元区马家河中学,middle,public,800', // row 4: bad enum
      'bad-004,430211,,junior,public,12.5', // row 5: missing name, non-integer students
      '', // row 6: blank, skipped
      'bad-001,430203,"芦淞区董家塅', // rows 7-8: a quoted name over two lines, duplicate id
      '小学",primary,private,300',
      'bad-005,430211,天元区群丰学校,nine_year,public', // row 9: missing students
    ].join('\n');
    const files = {
      schools: file('broken-schools.csv', broken),
      inspectors: file('inspectors2.csv', GOOD_INSPECTORS),
    };
    const before = await registryCounts(t.database, pack.adcode);
    const result = await importRegistryCsv(t.database, { pack, files });
    if (result.ok) throw new Error('a broken file must not import');
    expect(result.problems.map(formatProblem)).toEqual([
      'broken-schools.csv: row 3, column district: unknown district "110101" for this city',
      'broken-schools.csv: row 4, column stage: "middle" is not one of kindergarten|primary|junior|nine_year|senior',
      'broken-schools.csv: row 5, column name: missing field',
      'broken-schools.csv: row 5, column students: "12.5" is not a non-negative integer',
      'broken-schools.csv: row 7, column id: duplicate id "bad-001" (first on row 2)',
      'broken-schools.csv: row 9, column students: missing field',
    ]);
    expect(await registryCounts(t.database, pack.adcode)).toEqual(before);
  });

  it('names a missing header column on row 1 and an extra field by its position', () => {
    const missing = parseRegistryCsv('inspectors', 'id,district,name\ndu-9,430211,王芳', {
      file: 'i.csv',
      districts,
    });
    expect(missing.problems.map(formatProblem)).toEqual([
      'i.csv: row 1, column role: missing column (expected id,district,name,role)',
    ]);
    const extra = parseRegistryCsv('inspectors', 'id,district,name,role\ndu-9,430211,王芳,part_time,x', {
      file: 'i.csv',
      districts,
    });
    expect(extra.problems.map(formatProblem)).toEqual([
      'i.csv: row 2, column 5: unexpected field: the header has 4 columns',
    ]);
    const empty = parseRegistryCsv('schools', '', { file: 's.csv', districts });
    expect(empty.problems.map(formatProblem)).toEqual([
      's.csv: row 1, column -: the file is empty; expected a header row',
    ]);
  });

  it('a file that is not CSV (a quote never closed) names its row, and no file of the import is written', async () => {
    const files = {
      inspectors: file('fine-inspectors.csv', GOOD_INSPECTORS),
      schools: file(
        'unclosed.csv',
        [
          'id,district,name,stage,ownership,students',
          'q-001,430211,"天元区未闭合小学,primary,public,900',
        ].join('\n'),
      ),
    };
    const before = await registryCounts(t.database, pack.adcode);
    const result = await importRegistryCsv(t.database, { pack, files });
    if (result.ok) throw new Error('a broken file must not import');
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^unclosed\.csv: row 2, column -: not valid CSV: /),
    ]);
    expect(await registryCounts(t.database, pack.adcode)).toEqual(before);
  });

  it("a file saved in GBK (Excel's default here), not UTF-8, is refused by row and column, not imported garbled", async () => {
    // "天元区白鹤小学" in GBK: valid bytes, but not UTF-8 text.
    const gbkName = Buffer.from([
      0xcc, 0xec, 0xd4, 0xaa, 0xc7, 0xf8, 0xb0, 0xd7, 0xba, 0xd7, 0xd0, 0xa1, 0xd1, 0xa7,
    ]);
    const path = join(dir, 'gbk-schools.csv');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('id,district,name,stage,ownership,students\ng-001,430211,'),
        gbkName,
        Buffer.from(',primary,public,1300\n'),
      ]),
    );
    const before = await registryCounts(t.database, pack.adcode);
    const result = await importRegistryCsv(t.database, { pack, files: { schools: path } });
    if (result.ok) throw new Error('a file that is not UTF-8 must not import');
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^gbk-schools\.csv: row 2, column name: .*UTF-8/),
    ]);
    expect(await registryCounts(t.database, pack.adcode)).toEqual(before);
  });
  it('takes 责任督学 and 责任区 columns (SPEC §14), empty allowed, and keeps them when a later file leaves the columns out', async () => {
    const withResponsibility = [
      'id,district,name,stage,ownership,students,supervisor,zone',
      'tz-001,430211,天元区泰山学校,nine_year,public,2460,du-002,第一责任区',
      'tz-002,430211,天元区白鹤小学,primary,public,1830,,',
    ].join('\n');
    const files = {
      schools: file('resp-schools.csv', withResponsibility),
      inspectors: file('resp-inspectors.csv', GOOD_INSPECTORS),
    };
    expect(await importRegistryCsv(t.database, { pack, files })).toMatchObject({ ok: true });
    const stored = async () => (await loadRegistry(t.database, pack.adcode)).schools;
    expect((await stored()).find((s) => s.id === 'tz-001')).toMatchObject({
      supervisor: 'du-002',
      zone: '第一责任区',
    });
    expect((await stored()).find((s) => s.id === 'tz-002')).toMatchObject({ supervisor: null, zone: null });
    // the same schools without the columns: the assignment stays
    const plain = file('plain-schools.csv', GOOD_SCHOOLS);
    expect(await importRegistryCsv(t.database, { pack, files: { schools: plain } })).toMatchObject({
      ok: true,
    });
    expect((await stored()).find((s) => s.id === 'tz-001')).toMatchObject({
      supervisor: 'du-002',
      zone: '第一责任区',
    });
  });

  it('refuses a 责任督学 who is unknown or of another district, by row and column, and imports nothing', async () => {
    const bad = [
      'id,district,name,category,status,supervisor,zone',
      'pi-101,430211,天元区启航培训学校,subject,active,du-001,第一责任区', // row 2: fine (in the database)
      'pi-102,430211,天元区七彩培训中心,non_subject,active,du-003,第一责任区', // row 3: 醴陵市's inspector
      'pi-103,430211,天元区明德培训学校,subject,active,nobody-1,第二责任区', // row 4: unknown
      `pi-104,430211,天元区博学培训学校,subject,active,du-001,${'区'.repeat(40)}`, // row 5: zone too long
    ].join('\n');
    const before = await registryCounts(t.database, pack.adcode);
    const result = await importRegistryCsv(t.database, {
      pack,
      files: { institutions: file('bad-sup.csv', bad) },
    });
    if (result.ok) throw new Error('a bad supervisor must not import');
    expect(result.problems.map(formatProblem)).toEqual([
      'bad-sup.csv: row 5, column zone: a zone name has at most 32 characters',
    ]);
    const fixed = bad.split('\n').slice(0, 4).join('\n');
    const second = await importRegistryCsv(t.database, {
      pack,
      files: { institutions: file('bad-sup2.csv', fixed) },
    });
    if (second.ok) throw new Error('a bad supervisor must not import');
    expect(second.problems.map(formatProblem)).toEqual([
      'bad-sup2.csv: row 3, column supervisor: inspector "du-003" belongs to district 430281, not 430211',
      'bad-sup2.csv: row 4, column supervisor: no inspector "nobody-1" (in this import or the registry)',
    ]);
    expect(await registryCounts(t.database, pack.adcode)).toEqual(before);
  });
});
