// A line-based scanner for the small part of Markdown a runbook uses: front matter,
// ATX headings, task-list items, fenced code blocks, and everything else as text.
// It is deliberately not a full CommonMark parser: runbooks must stay readable in any
// editor, so the structure we rely on is the structure a person sees line by line.

export interface FrontMatter {
  readonly yaml: string;
  /** File line (1-based) of the first YAML line, used to map YAML positions. */
  readonly firstLine: number;
  /** File line of the opening `---`. */
  readonly openLine: number;
}

export type FrontMatterScan =
  | { readonly kind: 'present'; readonly frontMatter: FrontMatter; readonly bodyStart: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unterminated'; readonly openLine: number };

export interface HeadingToken {
  readonly kind: 'heading';
  readonly level: number;
  readonly text: string;
  readonly line: number;
  readonly raw: string;
}

export interface TaskToken {
  readonly kind: 'task';
  readonly indent: number;
  readonly checked: boolean;
  readonly text: string;
  readonly line: number;
  readonly raw: string;
}

export interface FenceToken {
  readonly kind: 'fence';
  readonly indent: number;
  /** Everything after the fence characters, trimmed. */
  readonly info: string;
  readonly code: string;
  readonly line: number;
  readonly closed: boolean;
  /** The fence exactly as written, so non-command fences can be kept in guidance. */
  readonly raw: string;
}

export interface TextToken {
  readonly kind: 'text';
  readonly text: string;
  readonly line: number;
}

export type Token = HeadingToken | TaskToken | FenceToken | TextToken;

export function splitLines(source: string): string[] {
  // Strip a BOM and accept CRLF: runbooks are edited on Windows too.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  return text.split(/\r\n|\r|\n/);
}

export function scanFrontMatter(lines: readonly string[]): FrontMatterScan {
  if (lines[0]?.trimEnd() !== '---') return { kind: 'missing' };
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').trimEnd();
    if (line === '---' || line === '...') {
      return {
        kind: 'present',
        frontMatter: { yaml: lines.slice(1, i).join('\n'), firstLine: 2, openLine: 1 },
        bodyStart: i + 1,
      };
    }
  }
  return { kind: 'unterminated', openLine: 1 };
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const TASK = /^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+\[([ xX])\](?:[ \t]+(.*)|[ \t]*)$/;
const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;

function indentWidth(ws: string): number {
  let width = 0;
  for (const ch of ws) width += ch === '\t' ? 4 - (width % 4) : 1;
  return width;
}

/** Removes up to `indent` columns of leading whitespace, as CommonMark does for fences. */
function stripIndent(line: string, indent: number): string {
  let removed = 0;
  let i = 0;
  while (i < line.length && removed < indent) {
    const ch = line[i];
    if (ch === ' ') removed += 1;
    else if (ch === '\t') removed += 4 - (removed % 4);
    else break;
    i++;
  }
  return line.slice(i);
}

/**
 * Tokenizes the body. `firstLine` is the file line number of `lines[0]`, so every token
 * carries the line a person would jump to in an editor.
 */
export function scanBody(lines: readonly string[], firstLine: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i] ?? '';
    const line = firstLine + i;
    if (/^[ \t]*<!--/.test(raw)) {
      // An HTML comment is text even when it spans lines: authors comment out steps.
      let j = i;
      while (j < lines.length && !(lines[j] ?? '').includes('-->')) j++;
      const end = Math.min(j, lines.length - 1);
      for (let k = i; k <= end; k++) tokens.push({ kind: 'text', text: lines[k] ?? '', line: firstLine + k });
      i = end + 1;
      continue;
    }
    const fence = FENCE_OPEN.exec(raw);
    const marker = fence?.[2];
    // A backtick fence's info string may not contain backticks (CommonMark); this keeps
    // inline code like ```foo``` on one line from opening a block.
    if (fence && marker && !(marker.startsWith('`') && (fence[3] ?? '').includes('`'))) {
      const indent = indentWidth(fence[1] ?? '');
      const fenceChar = marker.charAt(0);
      const closing = new RegExp(`^[ \\t]*\\${fenceChar}{${marker.length},}[ \\t]*$`);
      const body: string[] = [];
      let j = i + 1;
      let closed = false;
      while (j < lines.length) {
        const content = lines[j] ?? '';
        if (closing.test(content)) {
          closed = true;
          break;
        }
        body.push(stripIndent(content, indent));
        j++;
      }
      tokens.push({
        kind: 'fence',
        indent,
        info: (fence[3] ?? '').trim(),
        code: body.join('\n'),
        line,
        closed,
        raw: lines.slice(i, closed ? j + 1 : j).join('\n'),
      });
      i = closed ? j + 1 : j;
      continue;
    }
    const heading = HEADING.exec(raw);
    if (heading) {
      tokens.push({ kind: 'heading', level: (heading[1] ?? '').length, text: (heading[2] ?? '').trim(), line, raw });
      i++;
      continue;
    }
    const task = TASK.exec(raw);
    if (task) {
      tokens.push({
        kind: 'task',
        indent: indentWidth(task[1] ?? ''),
        checked: (task[2] ?? ' ') !== ' ',
        text: (task[3] ?? '').trim(),
        line,
        raw,
      });
      i++;
      continue;
    }
    tokens.push({ kind: 'text', text: raw, line });
    i++;
  }
  return tokens;
}

/** Removes the indentation shared by all non-blank lines and trims blank edges. */
export function dedent(lines: readonly string[]): string {
  let min = Infinity;
  for (const l of lines) {
    if (l.trim() === '') continue;
    min = Math.min(min, indentWidth(/^[ \t]*/.exec(l)?.[0] ?? ''));
  }
  const stripped = lines.map((l) => (min === Infinity ? l.trim() : stripIndent(l, min).trimEnd()));
  while (stripped.length > 0 && stripped[0] === '') stripped.shift();
  while (stripped.length > 0 && stripped[stripped.length - 1] === '') stripped.pop();
  // Command blocks are lifted out of the guidance; do not leave their blank lines behind.
  return stripped.filter((l, i) => !(l === '' && stripped[i - 1] === '')).join('\n');
}

/** Slug that keeps letters of any script, so Japanese step titles still get stable ids. */
export function slugify(text: string, maxLength = 48): string {
  const slug = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[`*_~[\]()]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug;
  // Cut at a word boundary so a later edit of the tail of a long step keeps its id.
  const cut = slug.slice(0, maxLength);
  const dash = cut.lastIndexOf('-');
  return dash > maxLength / 2 ? cut.slice(0, dash) : cut;
}

const EXPLICIT_ID = /[ \t]*\{#([A-Za-z0-9][A-Za-z0-9._-]*)\}[ \t]*$/;

/** Splits `Title {#explicit-id}` into its text and id. */
export function splitExplicitId(text: string): { text: string; id?: string } {
  const m = EXPLICIT_ID.exec(text);
  if (!m || m[1] === undefined) return { text };
  return { text: text.slice(0, m.index).trim(), id: m[1] };
}
