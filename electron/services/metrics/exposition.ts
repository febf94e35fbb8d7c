// Parser for the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text.
//
// Why hand-written: the one maintained npm parser (parse-prometheus-text-format 1.1.1) knows
// only the 0.0.4 format. It throws on OpenMetrics exemplars (`… # {trace_id="x"} 1`) and
// `# EOF`, reports no line numbers and builds nested objects per family, which is too slow
// for the 10,000-series-per-second budget. This one scans each line once, keeps samples
// flat and names the line of anything it cannot read.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'unknown' | 'gaugehistogram' | 'stateset' | 'info';

export interface Family {
  readonly name: string;
  type: MetricType;
  help: string | null;
  unit: string | null;
}

export interface Sample {
  readonly name: string;
  /** name + the label text exactly as exposed: identifies the series between two scrapes. */
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Epoch ms when the exposition carried one. */
  readonly timestampMs: number | null;
}

export interface Exposition {
  readonly format: 'text' | 'openmetrics';
  readonly families: ReadonlyMap<string, Family>;
  readonly samples: readonly Sample[];
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'ExpositionError';
  }
}

/**
 * The line readers throw with this line number; parseExposition replaces it with the real
 * one. Line numbers are counted only when something is wrong: the scan jumps over whole
 * runs of unread series without looking at their lines.
 */
const LINE_UNKNOWN = 0;

/** 1-based number of the line that starts at `pos`. */
function lineAt(body: string, pos: number): number {
  let line = 1;
  for (let i = body.indexOf('\n'); i !== -1 && i < pos; i = body.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Where the next line that must be read starts, for a page read with `keep`: a comment, or a
 * line starting with one of the kept names. Finds them with indexOf on the whole page (the
 * way grep looks for a pattern's literals before reading lines) and remembers each answer
 * until the scan passes it, so a run of thousands of unread series costs a few searches.
 */
class NextLine {
  private readonly needles: string[];
  private readonly found: number[];
  constructor(
    private readonly body: string,
    keep: ReadonlySet<string>,
  ) {
    this.needles = ['\n#', ...[...keep].map((name) => `\n${name}`)];
    this.found = this.needles.map(() => -2);
  }

  /** The start of the next line after `pos` worth reading, or the end of the page. */
  after(pos: number): number {
    let next = this.body.length;
    for (let i = 0; i < this.needles.length; i++) {
      let at = this.found[i]!;
      if (at !== -1 && at < pos) this.found[i] = at = this.body.indexOf(this.needles[i]!, pos);
      if (at !== -1 && at + 1 < next) next = at + 1;
    }
    return next;
  }
}

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown', 'gaugehistogram', 'stateset', 'info']);
const SUFFIXES = ['_total', '_created', '_bucket', '_count', '_sum', '_gcount', '_gsum', '_info'];

/** The family a sample belongs to: `x_bucket` → `x`, `x_total` → `x` (when `x` was declared). */
export function familyOf(name: string, families: ReadonlyMap<string, Family>): Family | undefined {
  const direct = families.get(name);
  if (direct) return direct;
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix)) {
      const family = families.get(name.slice(0, -suffix.length));
      if (family) return family;
    }
  }
  return undefined;
}

/** OpenMetrics when the Content-Type says so or the body ends with `# EOF`. */
export function detectFormat(contentType: string | null, body: string): Exposition['format'] {
  if (contentType && /application\/openmetrics-text/i.test(contentType)) return 'openmetrics';
  // Only the tail: a regex anchored at the end still tries every line of a 1 MB page.
  return /(^|\n)# EOF\s*$/.test(body.slice(-64)) ? 'openmetrics' : 'text';
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function parseValue(text: string, line: number, name: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
    case '+inf':
    case 'inf':
      return Infinity;
    case '-Inf':
    case '-inf':
      return -Infinity;
    case 'NaN':
    case 'nan':
      return NaN;
  }
  const value = Number(text);
  // Number('') is 0 and Number('0x10') is 16: neither is a sample value. The regex only runs
  // on what could be one (a leading 0 and more), not on every sample of the page.
  const zeroAt = text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45 ? 1 : 0;
  const radixLike = text.length > zeroAt + 1 && text.charCodeAt(zeroAt) === 48 && /^[+-]?0[xXbBoO]/.test(text);
  if (text === '' || Number.isNaN(value) || radixLike) throw new ExpositionError(line, `${name}: "${text.slice(0, 40)}" is not a number`);
  return value;
}

/**
 * Parses a whole exposition. Throws ExpositionError naming the line of the first bad one.
 * With `keep`, only lines of those metric names are read and checked (the indicators need a
 * handful of the thousands of series a service exposes); comments are always read.
 */
export function parseExposition(body: string, format: Exposition['format'] = detectFormat(null, body), keep?: ReadonlySet<string>): Exposition {
  const families = new Map<string, Family>();
  const samples: Sample[] = [];
  const openMetrics = format === 'openmetrics';
  const next = keep === undefined ? undefined : new NextLine(body, keep);
  let sawEof = false;
  let pos = 0;
  let lineStart = 0;
  let lastName = '';
  let lastKept = true;
  const length = body.length;
  try {
    while (pos < length) {
      lineStart = pos;
      let end = body.indexOf('\n', pos);
      if (end === -1) end = length;
      // The series of one metric come one after another: the previous line's name is
      // compared in place before a new one is cut out and looked up.
      let name: string | undefined;
      if (!sawEof && isNameStart(body.charCodeAt(pos))) {
        if (lastName !== '' && body.startsWith(lastName, pos) && !isNameChar(body.charCodeAt(pos + lastName.length))) name = lastName;
        else {
          let nameEnd = pos + 1;
          while (nameEnd < end && isNameChar(body.charCodeAt(nameEnd))) nameEnd++;
          name = lastName = body.slice(pos, nameEnd);
          lastKept = keep === undefined || keep.has(name);
        }
        // A series nobody reads is skipped on its name alone, and so is every line up to the
        // next one that may matter: at 10,000 series a second, touching them is most of the cost.
        if (!lastKept) {
          pos = next!.after(end);
          continue;
        }
      }
      let line = body.slice(pos, end);
      pos = end + 1;
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      if (sawEof) {
        if (line.trim() !== '') throw new ExpositionError(LINE_UNKNOWN, 'text after # EOF');
        continue;
      }
      if (line.length === 0) continue;
      const first = line.charCodeAt(0);
      if ((first === 32 || first === 9) && line.trim() === '') continue;
      if (line.charCodeAt(0) === 35 /* # */) {
        if (line === '# EOF') {
          sawEof = true;
          continue;
        }
        parseComment(line, LINE_UNKNOWN, families);
        continue;
      }
      const sample = parseSample(line, LINE_UNKNOWN, openMetrics, keep, name);
      if (sample) samples.push(sample);
    }
  } catch (error) {
    if (error instanceof ExpositionError && error.line === LINE_UNKNOWN) throw new ExpositionError(lineAt(body, lineStart), error.detail);
    throw error;
  }
  if (openMetrics && !sawEof) throw new ExpositionError(lineAt(body, body.endsWith('\n') ? length - 1 : length), 'OpenMetrics exposition does not end with # EOF (truncated?)');
  return { format, families, samples };
}

function parseComment(line: string, lineNo: number, families: Map<string, Family>): void {
  const match = /^#\s+(HELP|TYPE|UNIT)\s+(\S+)(?:\s+(.*))?$/.exec(line);
  if (!match) return; // an ordinary comment
  const [, keyword, name, rest = ''] = match as unknown as [string, 'HELP' | 'TYPE' | 'UNIT', string, string | undefined];
  let family = families.get(name);
  if (!family) {
    family = { name, type: 'untyped', help: null, unit: null };
    families.set(name, family);
  }
  if (keyword === 'TYPE') {
    const type = rest.trim() as MetricType;
    if (!TYPES.has(type)) throw new ExpositionError(lineNo, `unknown metric type "${rest.trim().slice(0, 40)}" for ${name}`);
    family.type = type;
  } else if (keyword === 'HELP') family.help = rest;
  else family.unit = rest.trim() || null;
}

const LE_NEEDLE = 'le="';

/**
 * A sample whose labels are parsed only when asked for: the label text was already checked
 * in the scan, and most series are only ever looked up by key (name + label text).
 */
class LazySample implements Sample {
  private parsed: Record<string, string> | null = null;
  constructor(
    readonly name: string,
    readonly key: string,
    readonly value: number,
    readonly timestampMs: number | null,
  ) {}

  get labels(): Readonly<Record<string, string>> {
    // The key is the name followed by the label text exactly as exposed.
    this.parsed ??= this.key.length > this.name.length ? parseLabels(this.key.slice(this.name.length)) : EMPTY;
    return this.parsed;
  }

  /** One label's value without building the others (a histogram's `le`, thousands a scrape). */
  label(label: string): string | undefined {
    if (this.parsed !== null) return this.parsed[label];
    const key = this.key;
    const needle = label === 'le' ? LE_NEEDLE : `${label}="`;
    // A plain value (no escapes) straight from the text; anything else through parseLabels.
    for (let at = key.indexOf(needle, this.name.length); at !== -1; at = key.indexOf(needle, at + 1)) {
      const before = key.charCodeAt(at - 1);
      if (before !== 123 && before !== 44 && before !== 32) continue; // inside another label's name or value
      const start = at + label.length + 2;
      const close = key.indexOf('"', start);
      const slash = key.indexOf('\\', start);
      if (slash !== -1 && slash < close) break;
      return key.slice(start, close);
    }
    return this.labels[label];
  }
}

/** One label of a sample; cheap for the parser's own samples. */
export function labelOf(sample: Sample, label: string): string | undefined {
  return sample instanceof LazySample ? sample.label(label) : sample.labels[label];
}

/** `{a="x",b="y\"z"}` (already validated by scanLabels) → { a: 'x', b: 'y"z' }. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 1;
  const n = text.length;
  while (i < n) {
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 44) i++;
    if (text.charCodeAt(i) === 125) break;
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq).trim();
    i = text.indexOf('"', eq) + 1;
    let value = '';
    let chunk = i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        value += text.slice(chunk, i);
        const next = text[i + 1];
        value += next === 'n' ? '\n' : next!;
        i += 2;
        chunk = i;
        continue;
      }
      i++;
    }
    value += text.slice(chunk, i);
    labels[name] = value;
    i++;
  }
  return labels;
}

/**
 * Checks `{…}` starting at `i` (label names, = , quoted values with valid escapes, no name
 * twice) without building anything, and returns the index after the closing brace.
 */
function scanLabels(line: string, i: number, lineNo: number, metric: string): number {
  const n = line.length;
  let seen: string[] | null = null;
  i++;
  for (;;) {
    while (line.charCodeAt(i) === 32) i++;
    if (line.charCodeAt(i) === 125 /* } */) return i + 1;
    const nameStart = i;
    if (!isNameStart(line.charCodeAt(i))) throw new ExpositionError(lineNo, `${metric}: expected a label name at column ${i + 1}`);
    while (i < n && isNameChar(line.charCodeAt(i))) i++;
    const labelName = line.slice(nameStart, i);
    if (seen === null) seen = [labelName];
    else if (seen.includes(labelName)) throw new ExpositionError(lineNo, `${metric}: label ${labelName} given twice`);
    else seen.push(labelName);
    while (line.charCodeAt(i) === 32) i++;
    if (line.charCodeAt(i) !== 61 /* = */) throw new ExpositionError(lineNo, `${metric}: expected = after label ${labelName}`);
    i++;
    while (line.charCodeAt(i) === 32) i++;
    if (line.charCodeAt(i) !== 34 /* " */) throw new ExpositionError(lineNo, `${metric}: label ${labelName} value must be quoted`);
    i++;
    // Most values have no escapes: jump to the closing quote; check escapes only when a
    // backslash comes before it.
    const quote = line.indexOf('"', i);
    const slash = quote === -1 ? -1 : line.indexOf('\\', i);
    if (quote !== -1 && (slash === -1 || slash > quote)) i = quote;
    for (;;) {
      if (i >= n) throw new ExpositionError(lineNo, `${metric}: unterminated value of label ${labelName}`);
      const c = line.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        const next = line.charCodeAt(i + 1);
        if (next !== 110 /* n */ && next !== 92 && next !== 34) throw new ExpositionError(lineNo, `${metric}: invalid escape \\${line[i + 1] ?? ''} in label ${labelName}`);
        i += 2;
        continue;
      }
      i++;
    }
    i++;
    while (line.charCodeAt(i) === 32) i++;
    const sep = line.charCodeAt(i);
    if (sep === 44 /* , */) i++;
    else if (sep !== 125) throw new ExpositionError(lineNo, `${metric}: expected , or } after label ${labelName}`);
  }
}

/** Reads a sample line; null when its name is not in `keep`. `known` is its name when the scan already read it. */
function parseSample(line: string, lineNo: number, openMetrics: boolean, keep: ReadonlySet<string> | undefined, known?: string): Sample | null {
  let i = 0;
  const n = line.length;
  let name: string;
  if (known !== undefined) {
    name = known;
    i = known.length;
  } else {
    if (!isNameStart(line.charCodeAt(0))) throw new ExpositionError(lineNo, `expected a metric name at "${line.slice(0, 40)}"`);
    while (i < n && isNameChar(line.charCodeAt(i))) i++;
    name = line.slice(0, i);
  }
  const kept = known !== undefined || keep === undefined || keep.has(name);
  // A series nobody reads is not checked further: a malformed line of some other library's
  // metric must not blind the console to the ones it needs (Prometheus would drop the page).
  if (!kept) return null;
  let key = name;
  if (line.charCodeAt(i) === 123 /* { */) {
    i = scanLabels(line, i, lineNo, name);
    key = line.slice(0, i);
  }
  const space = line.charCodeAt(i);
  if (space !== 32 && space !== 9) throw new ExpositionError(lineNo, `${name}: expected a space before the value`);
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  // The value runs to the next blank; then an optional timestamp; then (OpenMetrics) " # exemplar".
  let valueEnd = i;
  while (valueEnd < n && line.charCodeAt(valueEnd) !== 32 && line.charCodeAt(valueEnd) !== 9) valueEnd++;
  const valueText = line.slice(i, valueEnd);
  if (valueText === '') throw new ExpositionError(lineNo, `${name}: expected "value [timestamp]", got nothing`);
  const value = parseValue(valueText, lineNo, name);
  let timestampMs: number | null = null;
  if (valueEnd < n) {
    let rest = line.slice(valueEnd);
    if (openMetrics) {
      const hash = rest.indexOf(' # ');
      if (hash !== -1) rest = rest.slice(0, hash);
    }
    rest = rest.trim();
    if (rest !== '') {
      if (/[ \t]/.test(rest)) throw new ExpositionError(lineNo, `${name}: expected "value [timestamp]", got "${line.slice(i, i + 60)}"`);
      const raw = Number(rest);
      if (!Number.isFinite(raw)) throw new ExpositionError(lineNo, `${name}: timestamp "${rest.slice(0, 30)}" is not a number`);
      // OpenMetrics timestamps are seconds; the 0.0.4 text format's are milliseconds.
      timestampMs = openMetrics ? raw * 1000 : raw;
    }
  }
  return new LazySample(name, key, value, timestampMs);
}

const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;
