/**
 * The whole filtered ledger as a download (SPEC §13): CSV (UTF-8 with a BOM, so Excel reads the
 * Chinese) or XLSX (exceljs's streaming writer: frozen header row, column widths). Rows are read
 * page by page and written as they come, waiting whenever the client is slower than the database,
 * so memory stays bounded however long the ledger is (100,000 issues measured in docs/benchmarks.md).
 */
import { EventEmitter, once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { LedgerRow } from '@dudao/domain';
import { cellsOf, LEDGER_COLUMNS, type ExportContext } from './columns.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const SHEET_NAME = '问题台账';
const BOM = '\uFEFF';

/**
 * Waits while a worksheet's rows are waiting to be zipped. exceljs (4.4) gathers a sheet's XML in a
 * buffer of its own that pushes into archiver's input stream for the sheet's entry without heeding
 * that stream's backpressure, so rows written faster than the compressor and the client take them
 * would pile up there: that input, not the file's stream, is what to wait on. From there to the client
 * every stream is piped. ledger-export-backpressure.test.ts fails if a new exceljs moves it.
 */
function zipEntryDrained(sheet: ExcelJS.Worksheet): () => Promise<void> {
  const buffer = 'stream' in sheet ? sheet.stream : undefined;
  const pipes: unknown =
    typeof buffer === 'object' && buffer !== null && 'pipes' in buffer ? buffer.pipes : undefined;
  const entry: unknown = Array.isArray(pipes) ? pipes[0] : undefined;
  const state = entry instanceof EventEmitter && '_writableState' in entry ? entry._writableState : undefined;
  if (
    !(entry instanceof EventEmitter) ||
    typeof state !== 'object' ||
    state === null ||
    !('needDrain' in state)
  )
    throw new Error("exceljs: the worksheet's zip entry stream is not where it was");
  return async () => {
    if (state.needDrain === true) await once(entry, 'drain');
  };
}

function csvStream(pages: AsyncIterable<LedgerRow[]>, ctx: ExportContext): Readable {
  const csv = stringify({ bom: false });
  const out = new PassThrough();
  out.write(BOM);
  csv.pipe(out);
  void (async () => {
    csv.write(LEDGER_COLUMNS.map((c) => c.header));
    for await (const page of pages) {
      for (const row of page) if (!csv.write(cellsOf(row, ctx))) await once(csv, 'drain');
    }
    csv.end();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

function xlsxStream(pages: AsyncIterable<LedgerRow[]>, ctx: ExportContext): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  void (async () => {
    const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = LEDGER_COLUMNS.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.commit();
    const zipped = zipEntryDrained(sheet);
    for await (const page of pages) {
      for (const row of page) sheet.addRow(cellsOf(row, ctx)).commit();
      await zipped();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

/** The file as a stream; errors after the first byte end it early (the download is then incomplete). */
export function exportLedger(
  format: ExportFormat,
  pages: AsyncIterable<LedgerRow[]>,
  ctx: ExportContext,
): Readable {
  return format === 'csv' ? csvStream(pages, ctx) : xlsxStream(pages, ctx);
}
