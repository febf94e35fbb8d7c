// Markdown on both sides of the template: record values are escaped into safe Markdown
// before they reach a template, and the rendered Markdown is turned into HTML by a small
// converter for the subset reports use (headings, paragraphs, lists, tables, code, quotes,
// rules, emphasis). The converter escapes every character of text it emits, so nothing a
// responder typed (or a log line carried) can become markup in the HTML or PDF.

const ESCAPABLE = /[\\`*<>|#~]/g;

/** Text as Markdown that renders back to exactly this text. Keeps line breaks. */
export function mdText(raw: string): string {
  return (
    raw
      .replace(/\r\n?/g, '\n')
      .replace(ESCAPABLE, (c) => `\\${c}`)
      // Brackets only make a link when `](` or `][` follows, so `[REDACTED]` stays readable.
      .replace(/\](?=[([:])/g, '\\]')
      // `_` only matters at a word boundary (intraword underscores are literal), so file
      // names like main_recent.log stay readable in the Markdown.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
      // A line that starts like a list, heading or quote would change the structure.
      .replace(/^(\s*)([-+=])(\s)/gm, (_m, sp: string, mark: string, ws: string) => `${sp}\\${mark}${ws}`)
      .replace(/^(\s*\d+)([.)])(\s)/gm, (_m, num: string, mark: string, ws: string) => `${num}\\${mark}${ws}`)
  );
}

/** Text for one line (a table cell, a list item): line breaks become " / ". */
export function mdInline(raw: string): string {
  return mdText(raw.replace(/\s*\r?\n\s*/g, ' / ').trim());
}

/**
 * A code span that survives any backticks in the text. In a table cell a `|` must be `\|`
 * even inside code (GFM splits cells first), so table cells ask for that.
 */
export function mdCode(raw: string, inTable = true): string {
  let text = raw.replace(/\s*\r?\n\s*/g, ' ⏎ ').trim();
  if (inTable) text = text.replace(/\|/g, '\\|');
  if (text === '') return '';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c] ?? '')};`);
}

/** The marker a template line carries where the HTML shows a chart (an HTML comment: invisible in Markdown viewers). */
export const CHART_MARKER = /^<!-- firebreak:chart (\d+) -->$/;

export interface MarkdownToHtmlOptions {
  /** Inline SVG for chart marker N, already safe. */
  readonly chart?: (index: number) => string | undefined;
}

// ---------------------------------------------------------------- inline

function inline(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < n && /[\\`*_[\]<>|#~+\-=.)!(]/.test(text[i + 1]!)) {
      out += escapeHtml(text[i + 1]!);
      i += 2;
      continue;
    }
    if (c === '`') {
      let run = 0;
      while (text[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      const end = text.indexOf(fence, i + run);
      if (end > 0 && text[end + run] !== '`') {
        let code = text.slice(i + run, end);
        if (code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
        out += `<code>${escapeHtml(code)}</code>`;
        i = end + run;
        continue;
      }
      out += escapeHtml(fence);
      i += run;
      continue;
    }
    if (c === '*' && text[i + 1] === '*') {
      const end = findClose(text, '**', i + 2);
      if (end > i + 2) {
        out += `<strong>${inline(text.slice(i + 2, end))}</strong>`;
        i = end + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && text[i + 1] !== ' ' && (c === '*' || !/[A-Za-z0-9]/.test(text[i - 1] ?? ''))) {
      const end = findClose(text, c, i + 1);
      if (end > i + 1 && (c === '*' || !/[A-Za-z0-9]/.test(text[end + 1] ?? ''))) {
        const body = text.slice(i + 1, end);
        // `_[To be completed: …]_` prompts stand out on screen and on paper.
        const prompt = body.startsWith('[') && body.endsWith(']');
        out += prompt ? `<em class="prompt">${inline(body)}</em>` : `<em>${inline(body)}</em>`;
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      // Links are shown as text plus their address: a self-contained report loads nothing.
      const m = /^\[([^\]\\]*(?:\\.[^\]\\]*)*)\]\(([^()\s]*)\)/.exec(text.slice(i));
      if (m) {
        out += `${inline(m[1]!)} (${escapeHtml(m[2]!)})`;
        i += m[0].length;
        continue;
      }
    }
    out += escapeHtml(c);
    i++;
  }
  return out;
}

/** Index of the closing delimiter, skipping backslash escapes. */
function findClose(text: string, delim: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text.startsWith(delim, i) && text[i - 1] !== ' ') return i;
  }
  return -1;
}

// ---------------------------------------------------------------- blocks

function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (inCode && c === '\\' && row[i + 1] === '|') {
      // GFM: `\|` inside code in a table cell is a literal pipe.
      cell += '|';
      i++;
    } else if (c === '\\' && i + 1 < row.length) {
      cell += c + row[i + 1]!;
      i++;
    } else if (c === '`') {
      inCode = !inCode;
      cell += c;
    } else if (c === '|' && !inCode) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** Times and numbers never wrap mid-value in a table (print layout). */
function cellClass(cell: string): string {
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC$/.test(cell)) return ' class="time"';
  // A SHA-256 on one line, so it can be compared (and copied from the PDF) whole.
  if (/^`[0-9a-f]{64}`$/.test(cell)) return ' class="hash"';
  if (/^-?\d+(\.\d+)?( ?[%A-Za-z]{1,3})?( \d+[a-z])?$/.test(cell)) return ' class="num"';
  return '';
}

const isTableSeparator = (line: string) => /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);
const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;

export function markdownToHtml(markdown: string, options: MarkdownToHtmlOptions = {}): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p>${paragraph.map(inline).join('<br>\n')}</p>`);
    paragraph = [];
  };
  while (i < lines.length) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '') {
      flush();
      i++;
      continue;
    }
    const chart = CHART_MARKER.exec(trimmed);
    if (chart) {
      flush();
      const svg = options.chart?.(Number(chart[1]));
      if (svg) out.push(`<figure class="chart">${svg}</figure>`);
      i++;
      continue;
    }
    if (/^<!--.*-->$/.test(trimmed)) {
      i++;
      continue;
    }
    const fence = /^(`{3,}|~{3,})/.exec(trimmed);
    if (fence) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(trimmed);
    if (heading) {
      flush();
      const level = heading[1]!.length;
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (/^(\*\s*){3,}$|^(-\s*){3,}$|^(_\s*){3,}$/.test(trimmed)) {
      flush();
      out.push('<hr>');
      i++;
      continue;
    }
    if (trimmed.includes('|') && i + 1 < lines.length && isTableSeparator(lines[i + 1]!)) {
      flush();
      const head = splitRow(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.includes('|')) rows.push(splitRow(lines[i++]!));
      out.push(
        // Wide tables (five or more columns) get a class so print CSS can relax them without :has().
        `<table${head.length >= 5 ? ' class="wide"' : ''}><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${head.map((_, k) => `<td${cellClass(r[k] ?? '')}>${inline(r[k] ?? '')}</td>`).join('')}</tr>`)
          .join('\n')}</tbody></table>`,
      );
      continue;
    }
    if (trimmed.startsWith('>')) {
      flush();
      const quoted: string[] = [];
      while (i < lines.length && lines[i]!.trim().startsWith('>')) quoted.push(lines[i++]!.trim().replace(/^>\s?/, ''));
      out.push(`<blockquote>${markdownToHtml(quoted.join('\n'), options)}</blockquote>`);
      continue;
    }
    if (LIST_ITEM.test(line)) {
      flush();
      i = list(lines, i, out);
      continue;
    }
    paragraph.push(trimmed);
    i++;
  }
  flush();
  return out.join('\n');
}

/** A list and its nested lists (deeper indentation); returns the next line index. */
function list(lines: readonly string[], start: number, out: string[]): number {
  const first = LIST_ITEM.exec(lines[start]!)!;
  const indent = first[1]!.length;
  const ordered = /\d/.test(first[2]!);
  out.push(ordered ? '<ol>' : '<ul>');
  let i = start;
  let open = false;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      const next = lines[i + 1];
      const nextItem = next === undefined ? null : LIST_ITEM.exec(next);
      // A blank line continues the list only with an item of the same kind (not ul → ol).
      if (nextItem && (nextItem[1]!.length > indent || (nextItem[1]!.length === indent && /\d/.test(nextItem[2]!) === ordered))) {
        i++;
        continue;
      }
      break;
    }
    const m = LIST_ITEM.exec(line);
    if (m && m[1]!.length > indent) {
      i = list(lines, i, out);
      continue;
    }
    if (m && m[1]!.length === indent && /\d/.test(m[2]!) !== ordered) break;
    if (m && m[1]!.length === indent) {
      if (open) out.push('</li>');
      const task = /^\[([ xX])\]\s+(.*)$/.exec(m[3]!);
      out.push(task ? `<li class="task">${task[1] === ' ' ? '☐' : '☑'} ${inline(task[2]!)}` : `<li>${inline(m[3]!)}`);
      open = true;
      i++;
      continue;
    }
    if (!m && /^\s+/.test(line) && open) {
      out.push(`<br>${inline(line.trim())}`);
      i++;
      continue;
    }
    break;
  }
  if (open) out.push('</li>');
  out.push(ordered ? '</ol>' : '</ul>');
  return i;
}
