// Front matter: YAML parsed with a LineCounter so every problem points at the file line
// an operator would open, not at a position inside the extracted YAML text.
import type * as Yaml from 'yaml';
import { parseSeverity, type Severity } from '../../../shared/severity';
import { parseDuration } from './attributes';
import type { Diagnostic, DiagnosticCode, RunbookVariable } from './model';
import type { FrontMatter } from './scanner';
import { yaml } from '../lazy-require';

const isMap = (node: unknown): node is Yaml.YAMLMap => yaml().isMap(node);
const isScalar = (node: unknown): node is Yaml.Scalar => yaml().isScalar(node);

export interface TimeBudgetEntry {
  readonly key: string;
  readonly minutes: number;
  readonly line: number;
}

export interface RunbookMeta {
  readonly id: string;
  readonly idLine: number;
  readonly title: string;
  readonly severities: readonly Severity[];
  /** No severity was given: every one applies (see Runbook.anySeverity). */
  readonly anySeverity: boolean;
  readonly appliesTo: readonly string[];
  readonly version: string;
  readonly description?: string;
  readonly timeBudget: readonly TimeBudgetEntry[];
  readonly variables: readonly RunbookVariable[];
}

const ALL_SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** What a runbook is called when its front matter does not say: its path and first heading. */
export interface MetaDefaults {
  readonly id: string;
  readonly title: string;
}

/** A runbook without front matter: every default, offered for every severity. */
export function defaultMeta(defaults: MetaDefaults, title?: string): RunbookMeta {
  return { id: defaults.id, idLine: 1, title: title ?? defaults.title, severities: ALL_SEVERITIES, anySeverity: true, appliesTo: [], version: '', timeBudget: [], variables: [] };
}

export const RUNBOOK_ID = /^[a-z0-9][a-z0-9._-]*$/;
export const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;
const SECRET_NAME = /(PASS(WORD)?|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)$/;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Front matter with an `id` is Firebreak's own: id, title, severity and version are
 * required and checked as always. Any other front matter (Hugo's title/weight/aliases,
 * Jekyll's layout …) is someone else's: the fields Firebreak knows are read when they make
 * sense, the rest is ignored without a word, and the defaults fill the gaps.
 */
export function parseFrontMatter(fm: FrontMatter, file: string, defaults: MetaDefaults): { meta?: RunbookMeta; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc: Yaml.Document = parseDocument(fm.yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined): number => (offset === undefined ? fm.openLine : fm.firstLine + lineCounter.linePos(offset).line - 1);
  const at = (node: Yaml.Node | null | undefined): number => lineOf(node?.range?.[0]);
  const push = (line: number, code: DiagnosticCode, message: string, severity: 'error' | 'warning' = 'error', column?: number) =>
    diagnostics.push({ file, line, ...(column !== undefined ? { column } : {}), severity, code, message });

  for (const err of doc.errors) {
    const pos = lineCounter.linePos(err.pos[0]);
    push(fm.firstLine + pos.line - 1, 'yaml', `front matter is not valid YAML: ${err.message.split('\n')[0]}`, 'error', pos.col);
  }
  if (doc.errors.length > 0) return { diagnostics };

  const root = doc.contents;
  if (!isMap(root)) {
    push(fm.openLine, 'front-matter', 'front matter must be a YAML mapping (id: …, title: …)');
    return { diagnostics };
  }

  const fields = new Map<string, { keyNode: Yaml.Node; value: Yaml.Node | null; line: number }>();
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const keyNode = pair.key as Yaml.Node;
    if (key === undefined) {
      push(at(keyNode), 'front-matter', 'front matter keys must be plain names');
      continue;
    }
    // Unknown fields (Hugo's weight, Runme's runme:, a team's owner:) are none of our business.
    fields.set(key, { keyNode, value: (pair.value as Yaml.Node | null) ?? null, line: at(keyNode) });
  }
  const strict = fields.has('id');
  const js = (name: string): unknown => {
    const v = fields.get(name)?.value;
    return v && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : undefined;
  };
  const lineFor = (name: string): number => {
    const f = fields.get(name);
    return f ? (f.value ? at(f.value) : f.line) : fm.openLine;
  };
  const given = (name: string) => fields.has(name) && js(name) !== undefined && js(name) !== null;
  const required = (name: string): boolean => {
    if (given(name)) return true;
    if (strict) push(lineFor(name), 'front-matter', `front matter is missing required field '${name}'`);
    return false;
  };
  if (!strict) {
    const meta = foreignMeta(defaults, js, fields, at, push);
    return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { meta, diagnostics };
  }

  let id = '';
  if (required('id')) {
    const v = js('id');
    if (typeof v === 'string' && RUNBOOK_ID.test(v)) id = v;
    else push(lineFor('id'), 'front-matter', `id ${JSON.stringify(v)} is invalid: use lower-case letters, digits, ".", "_" or "-"`);
  }
  let title = '';
  if (required('title')) {
    const v = js('title');
    if (typeof v === 'string' && v.trim() !== '') title = v.trim();
    else push(lineFor('title'), 'front-matter', 'title must be a non-empty string');
  }
  const severities: Severity[] = [];
  if (required('severity')) {
    const v = js('severity');
    const list = Array.isArray(v) ? v : [v];
    for (const item of list) {
      const s = typeof item === 'string' ? parseSeverity(item) : undefined;
      if (!s) push(lineFor('severity'), 'front-matter', `severity ${JSON.stringify(item)} is invalid: use critical, high, medium, low or P0–P3`);
      else if (!severities.includes(s)) severities.push(s);
    }
    if (list.length === 0) push(lineFor('severity'), 'front-matter', 'severity must list at least one severity');
  }
  const appliesTo: string[] = [];
  if (!fields.has('applies_to')) {
    push(fm.openLine, 'front-matter', "front matter has no 'applies_to' scenario tags; the runbook cannot be suggested for an incident", 'warning');
  } else {
    const v = js('applies_to');
    const list = Array.isArray(v) ? v : [v];
    for (const item of list) {
      if (typeof item === 'string' && item.trim() !== '') appliesTo.push(item.trim().toLowerCase());
      else push(lineFor('applies_to'), 'front-matter', `applies_to entry ${JSON.stringify(item)} must be a non-empty string`);
    }
  }
  let version = '';
  if (required('version')) {
    const v = js('version');
    if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number') version = String(v);
    else push(lineFor('version'), 'front-matter', 'version must be a string or number');
  }
  let description: string | undefined;
  if (fields.has('description')) {
    const v = js('description');
    if (typeof v === 'string') description = v.trim();
    else push(lineFor('description'), 'front-matter', 'description must be a string');
  }

  const timeBudget = parseTimeBudget(fields.get('time_budget')?.value ?? null, at, push);
  const variables = parseVariables(fields.get('variables')?.value ?? null, at, push);

  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  if (hasErrors) return { diagnostics };
  return {
    meta: {
      id,
      idLine: lineFor('id'),
      title,
      severities,
      anySeverity: false,
      appliesTo,
      version,
      ...(description !== undefined ? { description } : {}),
      timeBudget,
      variables,
    },
    diagnostics,
  };
}

type Push = (line: number, code: DiagnosticCode, message: string, severity?: 'error' | 'warning') => void;

/** Meta from someone else's front matter: what Firebreak can use, defaults for the rest. */
function foreignMeta(
  defaults: MetaDefaults,
  js: (name: string) => unknown,
  fields: ReadonlyMap<string, { value: Yaml.Node | null }>,
  at: (n: Yaml.Node | null | undefined) => number,
  push: Push,
): RunbookMeta {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  const title = strings(js('title'))[0]?.trim();
  // An alert's severity (warning, info) is not an incident severity: then it suits any.
  const severities = strings(js('severity')).map((s) => parseSeverity(s));
  const valid = severities.length > 0 && severities.every((s) => s !== undefined);
  const version = js('version');
  const description = strings(js('description'))[0] ?? strings(js('summary'))[0];
  return {
    ...defaultMeta(defaults, title),
    ...(valid ? { severities: [...new Set(severities as Severity[])], anySeverity: false } : {}),
    appliesTo: strings(fields.has('applies_to') ? js('applies_to') : js('tags')).map((t) => t.trim().toLowerCase()),
    version: typeof version === 'string' || typeof version === 'number' ? String(version) : '',
    ...(description !== undefined ? { description: description.trim() } : {}),
    timeBudget: parseTimeBudget(fields.get('time_budget')?.value ?? null, at, push),
    variables: parseVariables(fields.get('variables')?.value ?? null, at, push),
  };
}

function parseTimeBudget(node: Yaml.Node | null, at: (n: Yaml.Node | null | undefined) => number, push: Push): TimeBudgetEntry[] {
  const out: TimeBudgetEntry[] = [];
  if (node === null) return out;
  if (!isMap(node)) {
    push(at(node), 'time-budget', 'time_budget must map phase titles (or slugs) to minutes, e.g. "Status check: 2m"');
    return out;
  }
  for (const pair of node.items) {
    const keyNode = pair.key as Yaml.Node;
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const raw = isScalar(pair.value) ? pair.value.value : undefined;
    const line = at(keyNode);
    // A bare number means minutes: budgets in the seeds are all given in minutes.
    const ms = typeof raw === 'number' ? raw * 60_000 : typeof raw === 'string' ? parseDuration(raw, 'm') : undefined;
    if (key === '' || ms === undefined || ms <= 0) {
      push(line, 'time-budget', `time_budget for '${key}' must be a positive duration such as 5, "5m" or "1h"`);
      continue;
    }
    out.push({ key, minutes: ms / 60_000, line });
  }
  return out;
}

function parseVariables(node: Yaml.Node | null, at: (n: Yaml.Node | null | undefined) => number, push: Push): RunbookVariable[] {
  const out: RunbookVariable[] = [];
  if (node === null) return out;
  if (!isMap(node)) {
    push(at(node), 'variable', 'variables must map NAME to a description or {description, default, secret}');
    return out;
  }
  for (const pair of node.items) {
    const keyNode = pair.key as Yaml.Node;
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const line = at(keyNode);
    if (!VARIABLE_NAME.test(name)) {
      push(line, 'variable', `variable name '${name}' must be UPPER_SNAKE_CASE`);
      continue;
    }
    const value = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null;
    if (value === null || typeof value === 'string') {
      out.push({ name, ...(typeof value === 'string' ? { description: value } : {}), secret: looksSecret(name), line });
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      push(line, 'variable', `variable ${name} must be a description or {description, default, secret}`);
      continue;
    }
    const v = value as Record<string, unknown>;
    const extra = Object.keys(v).filter((k) => k !== 'description' && k !== 'default' && k !== 'secret');
    if (extra.length > 0) push(line, 'variable', `variable ${name} has unknown field(s): ${extra.join(', ')}`);
    if (v.description !== undefined && typeof v.description !== 'string') push(line, 'variable', `variable ${name}: description must be a string`);
    if (v.default !== undefined && typeof v.default !== 'string' && typeof v.default !== 'number') push(line, 'variable', `variable ${name}: default must be a string`);
    if (v.secret !== undefined && typeof v.secret !== 'boolean') push(line, 'variable', `variable ${name}: secret must be true or false`);
    out.push({
      name,
      ...(typeof v.description === 'string' ? { description: v.description } : {}),
      ...(typeof v.default === 'string' || typeof v.default === 'number' ? { default: String(v.default) } : {}),
      secret: typeof v.secret === 'boolean' ? v.secret : looksSecret(name),
      line,
    });
  }
  return out;
}
