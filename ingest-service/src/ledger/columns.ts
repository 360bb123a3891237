/**
 * The exported ledger's columns (SPEC §13): Chinese headers, widths for Excel, and each cell's value.
 * CSV and XLSX share them, so both files hold the same table.
 */
import { CATEGORY_ZH, labelOf, SEVERITY_ZH, TARGET_KIND_ZH, type LedgerRow } from '@dudao/domain';

const STATUS: Record<LedgerRow['status'], string> = { open: '整改中', submitted: '待复查', closed: '已销号' };

export interface ExportContext {
  districtName: (adcode: string) => string;
  /** a time as the city reads it: `YYYY-MM-DD HH:mm` */
  localTime: (iso: string) => string;
}

export interface LedgerColumn {
  header: string;
  /** Excel column width, in characters */
  width: number;
  value: (row: LedgerRow, ctx: ExportContext) => string | number;
}

const time = (iso: string | null, ctx: ExportContext) => (iso ? ctx.localTime(iso) : '');

export const LEDGER_COLUMNS: LedgerColumn[] = [
  { header: '问题编号', width: 16, value: (r) => r.id },
  { header: '区县', width: 10, value: (r, ctx) => ctx.districtName(r.district) },
  { header: '督导对象', width: 28, value: (r) => r.target.name },
  { header: '对象类型', width: 10, value: (r) => TARGET_KIND_ZH[r.target.kind] },
  { header: '问题类别', width: 12, value: (r) => labelOf(CATEGORY_ZH, r.category) },
  { header: '严重程度', width: 9, value: (r) => labelOf(SEVERITY_ZH, r.severity) },
  { header: '状态', width: 9, value: (r) => STATUS[r.status] },
  { header: '逾期天数', width: 9, value: (r) => r.daysOverdue },
  { header: '督学', width: 10, value: (r) => r.inspector?.name ?? '' },
  { header: '问题描述', width: 40, value: (r) => r.description ?? '' },
  { header: '整改措施', width: 30, value: (r) => r.measures ?? '' },
  { header: '责任人', width: 10, value: (r) => r.responsible ?? '' },
  { header: '发现时间', width: 17, value: (r, ctx) => time(r.raisedAt, ctx) },
  { header: '整改期限', width: 17, value: (r, ctx) => time(r.deadline, ctx) },
  { header: '整改提交时间', width: 17, value: (r, ctx) => time(r.submittedAt, ctx) },
  { header: '销号时间', width: 17, value: (r, ctx) => time(r.closedAt, ctx) },
  { header: '退回次数', width: 9, value: (r) => r.reopenCount },
  { header: '督办次数', width: 9, value: (r) => r.urges },
];

export const cellsOf = (row: LedgerRow, ctx: ExportContext): (string | number)[] =>
  LEDGER_COLUMNS.map((c) => c.value(row, ctx));

/** `YYYY-MM-DD HH:mm` in `timezone`. */
export function localTimeFormatter(timezone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('sv-SE', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (iso) => format.format(new Date(iso));
}
