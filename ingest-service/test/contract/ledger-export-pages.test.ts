/**
 * SPEC §13, the export read page by page: with three rows a page, a ledger whose issues share their
 * `raisedAt` in runs longer than a page comes out whole, in the API's order (newest raised first,
 * then id), once each — across page boundaries that fall inside a run of ties, with the filters
 * that look at the raised event and the target's name. Both backends.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRow } from '@dudao/domain';
import { ev, HT, testClock } from '@dudao/testkit';
import { startTestService, type TestService } from '../../testing/index.ts';

const PAGE = 3;
const clock = testClock('2026-11-26T10:00:00+08:00');
let svc: TestService;

const DEADLINE = '2026-12-20T18:00:00+08:00';
/** Runs of ties on raisedAt (5, 1, 4, 3, 2 issues), ids deliberately not in raising order. */
const RUNS: [string, string[]][] = [
  ['2026-11-20T09:00:00+08:00', ['keyset-07', 'keyset-02', 'keyset-11', 'keyset-05', 'keyset-09']],
  ['2026-11-21T09:00:00+08:00', ['keyset-01']],
  ['2026-11-22T15:30:00+08:00', ['keyset-13', 'keyset-03', 'keyset-08', 'keyset-10']],
  ['2026-11-23T08:00:00+08:00', ['keyset-04', 'keyset-12', 'keyset-06']],
  ['2026-11-24T11:00:00+08:00', ['keyset-15', 'keyset-14']],
];
const ISSUES = RUNS.flatMap(([at, ids]) =>
  ids.map((issueId, i) => {
    const n = Number(issueId.split('-')[1]);
    return ev.raised(at, DEADLINE, {
      issueId,
      ...(n % 3 === 0
        ? { district: HT, target: { kind: 'school', id: 'S-HT-1' }, inspector: 'P-HT-1' }
        : {
            target: { kind: 'school', id: i % 2 ? 'S-TY-1' : 'S-TY-2' },
            inspector: n % 2 ? 'P-TY-1' : 'P-TY-2',
          }),
      ...(n % 2 === 0 ? { description: `午休时间被占用（第${n}号）` } : {}),
    }) as ReturnType<typeof ev.raised> & { inspector: string; description?: string };
  }),
);
/** The ledger's order: newest raised first, ties by id, descending. */
const inOrder = (issues: typeof ISSUES) =>
  [...issues]
    .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || (a.issueId < b.issueId ? 1 : -1))
    .map((e) => e.issueId);

beforeAll(async () => {
  svc = await startTestService({ clock, exportPageSize: PAGE });
  const stored = await svc.post(ISSUES);
  expect(stored.body.rejected).toEqual([]);
}, 180_000);
afterAll(() => svc.close());

/** The API's rows for a filter, read by cursor `limit` at a time. */
async function apiRows(query: string, limit: number): Promise<LedgerRow[]> {
  const rows: LedgerRow[] = [];
  let cursor: string | null = null;
  do {
    const res = await svc.get(
      `/api/v1/issues?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      svc.keys.admin,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    rows.push(...(res.body.items as LedgerRow[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return rows;
}

async function download(query: string, format: 'csv' | 'xlsx'): Promise<ExcelJS.Worksheet> {
  const res = await fetch(`${svc.url}/api/v1/issues?${query}&format=${format}`, {
    headers: { authorization: `Bearer ${svc.keys.admin}` },
  });
  expect(res.status).toBe(200);
  const bytes = await res.arrayBuffer();
  const book = new ExcelJS.Workbook();
  if (format === 'xlsx') {
    await book.xlsx.load(bytes);
    return book.worksheets[0]!;
  }
  return book.csv.read(Readable.from([Buffer.from(bytes, 3).toString('utf8')]));
}

/** The file's body rows as header → cell. */
function bodyOf(sheet: ExcelJS.Worksheet): Record<string, unknown>[] {
  const table = (sheet.getSheetValues().filter(Boolean) as unknown[][]).map((r) => r.slice(1));
  const header = table[0] as string[];
  return table.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

describe('export across page boundaries, ties on raisedAt', () => {
  it('the API pages by (raisedAt, id) through every run of ties, each issue once', async () => {
    const all = inOrder(ISSUES);
    expect(all.length).toBeGreaterThan(4 * PAGE);
    for (const limit of [1, 2, PAGE, 500]) {
      expect((await apiRows('scope=city', limit)).map((r) => r.id)).toEqual(all);
    }
  });

  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format.toUpperCase()}: the whole city, page by page, equals the API's rows`, async () => {
      const rows = await apiRows('scope=city', 500);
      const body = bodyOf(await download('scope=city', format));
      expect(body.map((r) => r['问题编号'])).toEqual(inOrder(ISSUES));
      expect(body.map((r) => r['问题编号'])).toEqual(rows.map((r) => r.id));
      expect(body.map((r) => r['督学'])).toEqual(rows.map((r) => r.inspector?.name ?? ''));
      expect(body.map((r) => r['督导对象'])).toEqual(rows.map((r) => r.target.name));
      expect(body.map((r) => r['问题描述'] ?? '')).toEqual(rows.map((r) => r.description ?? ''));
    });
  }

  it('filters on the raised event and the target name hold on every page', async () => {
    const filters: [string, typeof ISSUES][] = [
      ['scope=city&inspector=P-TY-1', ISSUES.filter((e) => e.inspector === 'P-TY-1')],
      ['scope=city&q=%E5%8D%88%E4%BC%91', ISSUES.filter((e) => e.description?.includes('午休'))],
      ['scope=city&q=S-HT', ISSUES.filter((e) => e.district === HT)],
      ['scope=city&q=keyset-1', ISSUES.filter((e) => e.issueId.startsWith('keyset-1'))],
      [`scope=${HT}`, ISSUES.filter((e) => e.district === HT)],
      ['scope=city&from=2026-11-20&to=2026-11-22', ISSUES.filter((e) => e.occurredAt < '2026-11-23')],
    ];
    for (const [query, expected] of filters) {
      const want = inOrder(expected);
      expect(want.length, query).toBeGreaterThan(PAGE);
      expect(
        (await apiRows(query, 2)).map((r) => r.id),
        query,
      ).toEqual(want);
      for (const format of ['csv', 'xlsx'] as const) {
        const body = bodyOf(await download(query, format));
        expect(
          body.map((r) => r['问题编号']),
          `${query} ${format}`,
        ).toEqual(want);
      }
    }
  });

  it('a school name matches its issues on every page', async () => {
    const school = (await apiRows('scope=city&school=S-TY-2', 500))[0]!.target.name;
    const want = inOrder(ISSUES.filter((e) => e.target.id === 'S-TY-2'));
    expect(want.length).toBeGreaterThan(PAGE);
    const body = bodyOf(await download(`scope=city&q=${encodeURIComponent(school)}`, 'csv'));
    expect(body.map((r) => r['问题编号'])).toEqual(want);
  });
});
