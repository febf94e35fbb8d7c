import { createHash } from 'node:crypto';
import { escapeHtml, markdownToHtml } from './markdown';

// The self-contained HTML document: one <style> element, no scripts, no external URLs,
// laid out for screen and print. The console previews it in a sandboxed iframe, whose
// document inherits the console's CSP; that CSP allows exactly this stylesheet by hash
// (REPORT_CSS_HASH, kept in sync by a test), so the preview looks like the saved file.

export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 2rem 2.5rem; font: 11pt/1.45 "DejaVu Sans", "Noto Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1b1f23; background: #fff; }
h1 { font-size: 19pt; margin: 0 0 .6rem; padding-bottom: .35rem; border-bottom: 3px solid #b3261e; }
h2 { font-size: 13.5pt; margin: 1.5rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid #d0d7de; color: #24292f; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 1.1rem 0 .4rem; break-after: avoid; }
p { margin: .4rem 0; }
ul, ol { margin: .3rem 0 .5rem; padding-left: 1.4rem; }
li { margin: .12rem 0; }
li.task { list-style: none; margin-left: -1.1rem; }
table { width: 100%; border-collapse: collapse; margin: .5rem 0 .8rem; font-size: 9pt; }
th, td { border: 1px solid #d0d7de; padding: .22rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f3f4f6; font-weight: 600; }
td.time, td.num, td.hash { white-space: nowrap; overflow-wrap: normal; }
td.hash code { font-size: 7pt; overflow-wrap: normal; }
th { overflow-wrap: normal; }
/* Wide tables (commands: five columns) let a hash wrap rather than crush the command. */
table.wide td.hash { white-space: normal; }
table.wide td.hash code { overflow-wrap: anywhere; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
code { font: 8.5pt/1.3 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f3f4f6; padding: 0 .2rem; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
blockquote { margin: .5rem 0; padding: .2rem .8rem; border-left: 4px solid #d0d7de; color: #57606a; }
em.prompt { font-style: normal; background: #fff4ce; color: #7a4d00; padding: 0 .25rem; border: 1px dashed #d4a72c; border-radius: 3px; }
strong { font-weight: 700; }
hr { border: 0; border-top: 1px solid #d0d7de; margin: 1.2rem 0; }
figure.chart { margin: .5rem 0 1rem; break-inside: avoid; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
@page { margin: 16mm 14mm 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, figure { break-inside: auto; }
  em.prompt { background: none; border: 1px dashed #7a4d00; }
}
`.trim();

export const REPORT_CSS_HASH = `sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}`;

export function htmlDocument(markdown: string, title: string, charts: readonly string[], lang: 'en' | 'ja' = 'en'): string {
  const body = markdownToHtml(markdown, { chart: (i) => charts[i] });
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '${REPORT_CSS_HASH}'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Firebreak">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
