// Tokens for the runbook parser. Front matter is found line by line (it is not Markdown);
// the body is parsed with markdown-it, a CommonMark parser, so fences nested in numbered
// lists, indented code, setext headings, HTML comments and tables are read as any
// Markdown viewer reads them. The parser then sees a flat, line-ordered token stream
// (heading, task item, numbered item, fence, text) carrying the file line of each token.
import type { Token as MdToken } from 'markdown-it';
import { lazyRequire, markdownIt } from '../lazy-require';

export interface FrontMatter {
  readonly yaml: string;
  /** File line (1-based) of the first YAML line, used to map YAML positions. */
  readonly firstLine: number;
  /** File line of the opening `---`. */
  readonly openLine: number;
}

export type FrontMatterScan =
  | { readonly kind: 'present'; readonly frontMatter: FrontMatter; readonly bodyStart: number }
  /** Hugo's TOML front matter between `+++` lines: only its title is of use to Firebreak. */
  | { readonly kind: 'toml'; readonly title?: string; readonly bodyStart: number }
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

/** The first line of an ordered (numbered) list item that is not a task item. */
export interface ItemToken {
  readonly kind: 'item';
  /** The item's first line as plain text (`1. **Check the pods**` → `Check the pods`). */
  readonly text: string;
  readonly line: number;
  /** First file line after the item: a fence before it belongs to the item. */
  readonly endLine: number;
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

export type Token = HeadingToken | TaskToken | ItemToken | FenceToken | TextToken;

export function splitLines(source: string): string[] {
  // Strip a BOM and accept CRLF: runbooks are edited on Windows too.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  return text.split(/\r\n|\r|\n/);
}

export function scanFrontMatter(lines: readonly string[]): FrontMatterScan {
  if (lines[0]?.trimEnd() === '+++') {
    const end = lines.findIndex((l, i) => i > 0 && l.trimEnd() === '+++');
    if (end < 0) return { kind: 'unterminated', openLine: 1 };
    // A one-line `title = "…"` is all that is read; a TOML parser for one field is not worth it.
    const title = lines.slice(1, end).map((l) => /^title\s*=\s*(["'])(.*)\1\s*$/.exec(l.trim())?.[2]).find((t) => t !== undefined);
    return { kind: 'toml', ...(title ? { title } : {}), bodyStart: end + 1 };
  }
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

// html: true only so that HTML blocks (comments around retired steps) are recognised as
// blocks; nothing here renders HTML. The renderer parses guidance with html disabled.
const blockParser = lazyRequire(() => {
  const md = new (markdownIt())('default', { html: true, linkify: false, typographer: false });
  // Only the block structure is needed (an inline token's `content` is its raw text), so the
  // inline pass, about half the parse time, is skipped.
  md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join']);
  return md;
});
const TASK_TEXT = /^\[([ xX])\](?:[ \t]+(.*)|[ \t]*)$/;

function indentWidth(ws: string): number {
  let width = 0;
  for (const ch of ws) width += ch === '\t' ? 4 - (width % 4) : 1;
  return width;
}

/** Removes up to `indent` columns of leading whitespace. */
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

function leadingIndent(line: string): number {
  return indentWidth(/^[ \t]*/.exec(line)?.[0] ?? '');
}

/** Inline Markdown to the text a reader sees: `**Check** the \`pods\`` → `Check the pods`. */
export function plainText(inline: string): string {
  return inline
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether the fence's last line closes it; markdown-it runs an unclosed fence to the end. */
function fenceClosed(t: MdToken, lines: readonly string[], start: number, end: number): boolean {
  if (end - 1 <= start) return false;
  const last = (lines[end - 1] ?? '').trim();
  const marker = t.markup.charAt(0);
  return last.length >= t.markup.length && [...last].every((c) => c === marker);
}

/**
 * Tokenizes the body. `firstLine` is the file line number of `lines[0]`, so every token
 * carries the line a person would jump to in an editor. Lines that are not a heading, a
 * list item's first line or a fence come through as text, exactly as written, so the
 * guidance keeps the author's Markdown.
 */
export function scanBody(lines: readonly string[], firstLine: number): Token[] {
  const blocks = blockParser().parse(lines.join('\n'), {});
  const at = new Map<number, { token: Token; end: number }>();
  for (let i = 0; i < blocks.length; i++) {
    const t = blocks[i]!;
    if (!t.map) continue;
    const [start, end] = t.map;
    if (at.has(start)) continue;
    switch (t.type) {
      case 'fence': {
        const closed = fenceClosed(t, lines, start, end);
        at.set(start, {
          token: {
            kind: 'fence',
            indent: leadingIndent(lines[start] ?? ''),
            info: t.info.trim(),
            code: t.content.replace(/\n$/, ''),
            line: firstLine + start,
            closed,
            raw: lines.slice(start, end).join('\n'),
          },
          end,
        });
        break;
      }
      case 'heading_open': {
        const text = (blocks[i + 1]?.content ?? '').trim();
        const level = Number(t.tag.slice(1));
        // A setext heading spans two lines; give the guidance its ATX form.
        const raw = t.markup.startsWith('#') ? (lines[start] ?? '') : `${'#'.repeat(level)} ${text}`;
        at.set(start, { token: { kind: 'heading', level, text, line: firstLine + start, raw }, end });
        break;
      }
      case 'list_item_open': {
        const para = blocks[i + 1];
        const inline = blocks[i + 2];
        if (para?.type !== 'paragraph_open' || para.map?.[0] !== start || inline?.type !== 'inline') break;
        const first = inline.content.split('\n')[0] ?? '';
        const raw = lines[start] ?? '';
        const task = TASK_TEXT.exec(first);
        if (task) {
          const token: TaskToken = { kind: 'task', indent: leadingIndent(raw), checked: task[1] !== ' ', text: (task[2] ?? '').trim(), line: firstLine + start, raw };
          at.set(start, { token, end: start + 1 });
        } else if (t.markup === '.' || t.markup === ')') {
          at.set(start, { token: { kind: 'item', text: plainText(first), line: firstLine + start, endLine: firstLine + end, raw }, end: start + 1 });
        }
        break;
      }
      default:
        break;
    }
  }
  const tokens: Token[] = [];
  for (let i = 0; i < lines.length; ) {
    const found = at.get(i);
    if (found) {
      tokens.push(found.token);
      i = Math.max(found.end, i + 1);
      continue;
    }
    tokens.push({ kind: 'text', text: lines[i] ?? '', line: firstLine + i });
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
