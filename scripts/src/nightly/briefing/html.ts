/**
 * The briefing page (督导简报): one self-contained HTML file in the look of an official report — red
 * masthead, issue number, issuing office and date over a red rule, numbered sections, bordered
 * tables, the charts inline as SVG, and the distribution block (版记) at the end. A4 print CSS. The
 * monthly report (督导月报) is the same page with the month's sections.
 */
import { REPORT_FONT } from './charts.ts';
import type { BriefingData } from './data.ts';
import { chineseDate, escapeHtml } from './format.ts';
import type { MonthlyData } from './monthly-data.ts';
import {
  FigureCounter,
  monthComplaints,
  monthCoverage,
  monthInstitutions,
  monthIssues,
  monthOverdue,
  monthOverview,
  monthPlans,
  monthTrend,
} from './monthly-sections.ts';
import { complaints, districts, institutions, overdue, overview, plans, themes, trend } from './sections.ts';

/** Titles in a heavy Song face (小标宋 in print shops), headings in a Hei face. */
const TITLE_FONT =
  '"FZXiaoBiaoSong-B05S", "STZhongsong", "Songti SC", "SimSun", "Noto Serif CJK SC", "Noto Sans CJK SC", serif';
const HEADING_FONT = '"SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif';
const OFFICIAL_RED = '#c8161d';

const CSS = `
@page { size: A4; margin: 20mm 18mm 18mm; }
* { box-sizing: border-box; }
html { background: #e8e8e8; }
body { margin: 0; font-family: ${REPORT_FONT}; color: #111; font-size: 15px; line-height: 1.8; }
.page { width: 210mm; min-height: 297mm; margin: 16px auto; padding: 20mm 18mm 18mm; background: #fff;
  box-shadow: 0 1px 8px rgba(0, 0, 0, 0.25); }
.masthead { text-align: center; color: ${OFFICIAL_RED}; }
.masthead h1 { font-family: ${TITLE_FONT}; font-size: 46px; font-weight: 700; letter-spacing: 0.45em;
  margin: 4mm 0 2mm; padding-left: 0.45em; line-height: 1.2; }
.masthead .no { color: #111; font-size: 16px; margin: 0; text-align: center; text-indent: 0; }
.issuer { display: flex; justify-content: space-between; font-size: 15px; margin-top: 6mm; padding: 0 2px 2mm;
  border-bottom: 2.5px solid ${OFFICIAL_RED}; }
.title { font-family: ${TITLE_FONT}; font-size: 21px; font-weight: 700; text-align: center; margin: 7mm 0 4mm;
  line-height: 1.5; }
h2 { font-family: ${HEADING_FONT}; font-size: 16.5px; font-weight: 700; margin: 5mm 0 1.5mm; break-after: avoid; }
p { text-indent: 2em; margin: 0 0 2mm; text-align: justify; }
p.note { text-indent: 0; font-size: 13px; color: #444; }
table { width: 100%; border-collapse: collapse; font-size: 13px; line-height: 1.5; margin: 2mm 0 4mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #333; padding: 1.2mm 2mm; text-align: center; }
th { background: #f1f1f1; font-family: ${HEADING_FONT}; font-weight: 700; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: 700; }
figure { margin: 2mm 0 5mm; text-align: center; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #333; }
.colophon { margin-top: 10mm; border-top: 1px solid #111; border-bottom: 1px solid #111; font-size: 14px;
  line-height: 2; break-inside: avoid; }
.colophon div { padding: 0 2px; }
.colophon .printed { display: flex; justify-content: space-between; border-top: 1px solid #111; }
@media print {
  html { background: none; }
  .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
`;

export interface BriefingMeta {
  /** the day the briefing is printed (印发), `YYYY-MM-DD` */
  printedOn: string;
}

/** One report page: the masthead (督导简报 or 督导月报), the title, the numbered sections, the 版记. */
export interface ReportPage {
  masthead: string;
  issueNo: number;
  cityName: string;
  /** the area (全市 or a district) and its period, as the title says them */
  area: string;
  period: string;
  /** what the title calls the document: 督导工作情况, 督导工作月报 */
  subject: string;
  /** `data-*` attributes of the page (`day`, `month`, `scope`): where tests and tools find it */
  data: Record<string, string>;
  body: string;
}

export function renderReportPage(page: ReportPage, meta: BriefingMeta): string {
  const city = escapeHtml(page.cityName);
  const issuer = `${city}教育督导办公室`;
  const data = Object.entries(page.data)
    .map(([k, val]) => ` data-${k}="${escapeHtml(val)}"`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.masthead} 第${page.issueNo}期 ${escapeHtml(page.area)} ${page.period}</title>
<style>${CSS}</style>
</head>
<body>
<article class="page"${data}>
<header class="masthead">
<h1>${page.masthead}</h1>
<p class="no">第${page.issueNo}期</p>
</header>
<div class="issuer"><span>${issuer}</span><span>${page.period}</span></div>
<div class="title">${escapeHtml(page.area)}“双减”${page.subject}<br>（${page.period}）</div>
${page.body}
<footer class="colophon">
<div>报：${city}人民政府，市教育局党组</div>
<div>送：市人民政府教育督导委员会各成员单位</div>
<div>发：各县市区教育局、教育督导室，各责任督学</div>
<div class="printed"><span>${issuer}</span><span>${chineseDate(meta.printedOn)}印发</span></div>
</footer>
</article>
</body>
</html>
`;
}

export function renderBriefingHtml(d: BriefingData, meta: BriefingMeta): string {
  const sections = [overview, districts, overdue, themes, institutions, complaints, plans, trend];
  return renderReportPage(
    {
      masthead: '督导简报',
      issueNo: d.issueNo,
      cityName: d.city.name,
      area: d.area,
      period: chineseDate(d.day),
      subject: '督导工作情况',
      data: { day: d.day, scope: d.scope },
      body: sections.map((section) => section(d)).join('\n'),
    },
    meta,
  );
}

/** The 月报 (督导月报): the same page, the month's sections. */
export function renderMonthlyHtml(d: MonthlyData, meta: BriefingMeta): string {
  const fig = new FigureCounter();
  const body = [
    monthOverview(d),
    monthCoverage(d, fig),
    monthIssues(d, fig),
    monthOverdue(d, fig),
    monthPlans(d),
    monthComplaints(d),
    monthInstitutions(d),
    monthTrend(d, fig),
  ];
  return renderReportPage(
    {
      masthead: '督导月报',
      issueNo: d.issueNo,
      cityName: d.city.name,
      area: d.area,
      period: `${d.month.slice(0, 4)}年${Number(d.month.slice(5, 7))}月`,
      subject: '督导工作月报',
      data: { month: d.month, scope: d.scope },
      body: body.join('\n'),
    },
    meta,
  );
}
