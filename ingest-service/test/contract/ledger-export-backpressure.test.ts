/**
 * SPEC §13, the export in bounded memory: the ledger is read page by page only as fast as the file
 * is taken. A client that stops reading stops the reading of pages (the writer waits for the stream
 * to drain); once it reads on, the file comes out whole. CSV and XLSX; the pages are made here, so
 * no database is needed and nothing is timed. The rows hardly compress, so the XLSX (≈10 MB zipped)
 * is far more than what archiver itself holds back (1 MB each way) before its input waits.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { LedgerRow } from '@dudao/domain';
import { exportLedger, type ExportFormat } from '../../src/ledger/export.ts';

const PAGES = 200;
const PAGE_ROWS = 50;
const ctx = { districtName: () => '天元区', localTime: (iso: string) => iso.slice(0, 16).replace('T', ' ') };

/** 2 KB of hex that deflate cannot shrink much, different in every row. */
const noise = (n: number) =>
  Array.from({ length: 16 }, (_, k) => createHash('sha512').update(`${n}/${k}`).digest('hex')).join('');

function rowOf(n: number): LedgerRow {
  return {
    id: `bp-${n}`,
    district: '430211',
    target: { kind: 'school', id: `S-${n % 7}`, name: `株洲市第${n % 7}中学` },
    category: 'homework',
    severity: 'minor',
    status: 'open',
    overdue: false,
    daysOverdue: 0,
    raisedAt: '2026-11-20T01:00:00.000Z',
    deadline: '2026-12-04T01:00:00.000Z',
    submittedAt: null,
    closedAt: null,
    reopenCount: 0,
    inspectionId: null,
    inspector: { id: 'P-1', name: '李督学' },
    description: `作业公示栏未按要求更新（${noise(n)}）`,
    measures: '建立作业公示与年级统筹制度，每周抽查作业时长并公示结果',
    responsible: '分管教学副校长',
    urges: 0,
  };
}

/** PAGES pages of PAGE_ROWS rows, counting how many the export has asked for. */
function countedLedger() {
  let pulled = 0;
  async function* pages() {
    for (let p = 0; p < PAGES; p++) {
      pulled++;
      yield Array.from({ length: PAGE_ROWS }, (_, i) => rowOf(p * PAGE_ROWS + i));
    }
  }
  return { pages: pages(), pulled: () => pulled };
}

/** The count once it has stopped moving over three looks in a row (the writer is parked, or done). */
async function settled(count: () => number): Promise<number> {
  let still = 0;
  let last = count();
  while (still < 3) {
    await sleep(50);
    still = count() === last ? still + 1 : 0;
    last = count();
  }
  return last;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function dataRows(format: ExportFormat, file: Buffer): Promise<number> {
  if (format === 'csv') return file.toString('utf8').trimEnd().split('\n').length - 1;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  return workbook.worksheets[0]!.rowCount - 1;
}

describe.each<ExportFormat>(['csv', 'xlsx'])('a %s download nobody reads', (format) => {
  it('reads only a few pages until the client reads on, then the whole ledger', async () => {
    const ledger = countedLedger();
    const file = exportLedger(format, ledger.pages, ctx);

    const parked = await settled(ledger.pulled);
    expect(parked).toBeGreaterThan(0);
    expect(parked).toBeLessThan(PAGES / 2);

    expect(await dataRows(format, await readAll(file))).toBe(PAGES * PAGE_ROWS);
    expect(ledger.pulled()).toBe(PAGES);
  }, 120_000);
});
