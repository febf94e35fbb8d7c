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
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionError';
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
  return /(^|\n)# EOF\s*$/.test(body) ? 'openmetrics' : 'text';
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
  // Number('') is 0 and Number('0x10') is 16: neither is a sample value.
  if (text === '' || Number.isNaN(value) || /^[+-]?0[xXbBoO]/.test(text)) throw new ExpositionError(line, `${name}: "${text.slice(0, 40)}" is not a number`);
  return value;
}

/** Parses a whole exposition. Throws ExpositionError naming the line of the first bad one. */
export function parseExposition(body: string, format: Exposition['format'] = detectFormat(null, body)): Exposition {
  const families = new Map<string, Family>();
  const samples: Sample[] = [];
  const openMetrics = format === 'openmetrics';
  let sawEof = false;
  let lineNo = 0;
  let pos = 0;
  const length = body.length;
  while (pos < length) {
    let end = body.indexOf('\n', pos);
    if (end === -1) end = length;
    lineNo++;
    let line = body.slice(pos, end);
    pos = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (sawEof) {
      if (line.trim() !== '') throw new ExpositionError(lineNo, 'text after # EOF');
      continue;
    }
    if (line.length === 0 || /^\s*$/.test(line)) continue;
    if (line.charCodeAt(0) === 35 /* # */) {
      if (line === '# EOF') {
        sawEof = true;
        continue;
      }
      parseComment(line, lineNo, families);
      continue;
    }
    samples.push(parseSample(line, lineNo, openMetrics));
  }
  if (openMetrics && !sawEof) throw new ExpositionError(lineNo, 'OpenMetrics exposition does not end with # EOF (truncated?)');
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

function parseSample(line: string, lineNo: number, openMetrics: boolean): Sample {
  let i = 0;
  const n = line.length;
  if (!isNameStart(line.charCodeAt(0))) throw new ExpositionError(lineNo, `expected a metric name at "${line.slice(0, 40)}"`);
  while (i < n && isNameChar(line.charCodeAt(i))) i++;
  const name = line.slice(0, i);
  let labels: Record<string, string> = EMPTY;
  let labelText = '';
  if (line.charCodeAt(i) === 123 /* { */) {
    const start = i;
    labels = {};
    i++;
    for (;;) {
      while (line.charCodeAt(i) === 32) i++;
      if (line.charCodeAt(i) === 125 /* } */) {
        i++;
        break;
      }
      const nameStart = i;
      if (!isNameStart(line.charCodeAt(i))) throw new ExpositionError(lineNo, `${name}: expected a label name at column ${i + 1}`);
      while (i < n && isNameChar(line.charCodeAt(i))) i++;
      const labelName = line.slice(nameStart, i);
      while (line.charCodeAt(i) === 32) i++;
      if (line.charCodeAt(i) !== 61 /* = */) throw new ExpositionError(lineNo, `${name}: expected = after label ${labelName}`);
      i++;
      while (line.charCodeAt(i) === 32) i++;
      if (line.charCodeAt(i) !== 34 /* " */) throw new ExpositionError(lineNo, `${name}: label ${labelName} value must be quoted`);
      i++;
      let value = '';
      let chunk = i;
      for (;;) {
        if (i >= n) throw new ExpositionError(lineNo, `${name}: unterminated value of label ${labelName}`);
        const c = line.charCodeAt(i);
        if (c === 34) break;
        if (c === 92 /* \ */) {
          value += line.slice(chunk, i);
          const next = line[i + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else throw new ExpositionError(lineNo, `${name}: invalid escape \\${next ?? ''} in label ${labelName}`);
          i += 2;
          chunk = i;
          continue;
        }
        i++;
      }
      value += line.slice(chunk, i);
      i++;
      if (Object.hasOwn(labels, labelName)) throw new ExpositionError(lineNo, `${name}: label ${labelName} given twice`);
      labels[labelName] = value;
      while (line.charCodeAt(i) === 32) i++;
      const sep = line.charCodeAt(i);
      if (sep === 44 /* , */) i++;
      else if (sep !== 125) throw new ExpositionError(lineNo, `${name}: expected , or } after label ${labelName}`);
    }
    labelText = line.slice(start, i);
  }
  if (line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) throw new ExpositionError(lineNo, `${name}: expected a space before the value`);
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  // OpenMetrics exemplar: everything after " # " belongs to it, not to the sample.
  let rest = line.slice(i);
  if (openMetrics) {
    const hash = rest.indexOf(' # ');
    if (hash !== -1) rest = rest.slice(0, hash);
  }
  const parts = rest.trim().split(/[ \t]+/);
  if (parts.length > 2 || parts[0] === '') throw new ExpositionError(lineNo, `${name}: expected "value [timestamp]", got "${rest.slice(0, 60)}"`);
  const value = parseValue(parts[0]!, lineNo, name);
  let timestampMs: number | null = null;
  if (parts.length === 2) {
    const raw = Number(parts[1]);
    if (!Number.isFinite(raw)) throw new ExpositionError(lineNo, `${name}: timestamp "${parts[1]!.slice(0, 30)}" is not a number`);
    // OpenMetrics timestamps are seconds; the 0.0.4 text format's are milliseconds.
    timestampMs = openMetrics ? raw * 1000 : raw;
  }
  return { name, key: labelText ? name + labelText : name, labels, value, timestampMs };
}

const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;
