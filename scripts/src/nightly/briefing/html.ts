/**
 * The briefing page (督导简报): one self-contained HTML file in the look of an official report — red
 * masthead, issue number, issuing office and date over a red rule, numbered sections, bordered
 * tables, the charts inline as SVG, and the distribution block (版记) at the end. A4 print CSS.
 */
import { REPORT_FONT } from './charts.ts';
import type { BriefingData } from './data.ts';
import { escapeHtml } from './format.ts';
import { chineseDate } from './format.ts';
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

export function renderBriefingHtml(d: BriefingData, meta: BriefingMeta): string {
  const city = escapeHtml(d.city.name);
  const issuer = `${city}教育督导办公室`;
  const date = chineseDate(d.day);
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>督导简报 第${d.issueNo}期 ${escapeHtml(d.area)} ${date}</title>
<style>${CSS}</style>
</head>
<body>
<article class="page" data-day="${d.day}" data-scope="${d.scope}">
<header class="masthead">
<h1>督导简报</h1>
<p class="no">第${d.issueNo}期</p>
</header>
<div class="issuer"><span>${issuer}</span><span>${date}</span></div>
<div class="title">${escapeHtml(d.area)}“双减”督导工作情况<br>（${date}）</div>
${overview(d)}
${districts(d)}
${overdue(d)}
${themes(d)}
${institutions(d)}
${complaints(d)}
${plans(d)}
${trend(d)}
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
