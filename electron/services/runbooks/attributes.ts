// Fence info strings in Runme's convention: a language, then attributes either as
// `{name=collect-logs interactive=false}` or as JSON `{"name":"collect-logs"}`.
// Runme writes JSON values as strings ("true"), so both forms are normalised to strings
// before validation and share one set of rules.
import { compileUserPattern } from '../../../shared/user-pattern';
import type { CommandAttributes, DiagnosticCode, Platform, PromptEnvMode, Shell } from './model';

export interface AttributeProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** 1-based column in the fence line, when it can be pointed at. */
  readonly column?: number;
}

export type LanguageKind = { readonly kind: 'command'; readonly shell: Shell } | { readonly kind: 'example' } | { readonly kind: 'unknown' };

const COMMAND_LANGUAGES: Readonly<Record<string, Shell>> = {
  sh: 'sh',
  bash: 'sh',
  shell: 'sh',
  shellscript: 'sh',
  zsh: 'sh',
  powershell: 'pwsh',
  pwsh: 'pwsh',
  ps1: 'pwsh',
  cmd: 'cmd',
  bat: 'cmd',
  batch: 'cmd',
};

// Fences in these languages are shown as part of the guidance and never executed
// (sample output, config snippets). Programming languages are deliberately absent: a
// ```python block under a step looks runnable but is not, so it is reported instead.
const EXAMPLE_LANGUAGES = new Set([
  'text',
  'txt',
  'plain',
  'plaintext',
  'output',
  'log',
  'console',
  'json',
  'yaml',
  'yml',
  'toml',
  'ini',
  'xml',
  'diff',
  'markdown',
  'md',
  'csv',
  'mermaid',
  // Queries: shown and copyable, never run as a step. The guidance view offers its own Run
  // for promql (Prometheus) and redis/cypher (a probe target), read-only.
  'promql',
  'sql',
  'postgresql',
  'mysql',
  'cypher',
  'redis',
]);

export const COMMAND_LANGUAGE_NAMES: readonly string[] = Object.keys(COMMAND_LANGUAGES);

export function classifyLanguage(language: string): LanguageKind {
  const key = language.toLowerCase();
  const shell = COMMAND_LANGUAGES[key];
  if (shell) return { kind: 'command', shell };
  if (EXAMPLE_LANGUAGES.has(key)) return { kind: 'example' };
  return { kind: 'unknown' };
}

/** Attributes Runme defines that do not change how Firebreak runs a block: accepted, ignored. */
const RUNME_IGNORED = new Set([
  'id',
  'closeTerminalOnSuccess',
  'mimeType',
  'terminalRows',
  'category',
  'interpreter',
  'tag',
  'openTerminalOnError',
  'skipPrompts',
]);

const KNOWN = new Set(['name', 'cwd', 'interactive', 'background', 'excludeFromRunAll', 'promptEnv', 'platform', 'confirm', 'timeout', 'expectExit', 'expectOutput', 'rejectOutput', 'local']);

export interface ParsedInfo {
  readonly language: string;
  readonly attributes: CommandAttributes;
  readonly problems: readonly AttributeProblem[];
}

/** Splits `sh {…}` into the language and the raw attribute text. */
export function splitInfo(info: string): { language: string; rest: string } {
  const m = /^([^\s{]*)\s*(.*)$/s.exec(info);
  return { language: m?.[1] ?? '', rest: (m?.[2] ?? '').trim() };
}

type RawEntry = { key: string; value: string; column: number };
type RawAttrs = { entries: RawEntry[]; problems: AttributeProblem[] };

function parseJsonAttrs(body: string, column: number): RawAttrs {
  const problems: AttributeProblem[] = [];
  const entries: RawEntry[] = [];
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    problems.push({ code: 'attribute-syntax', column, message: `attributes are not valid JSON: ${(err as Error).message}` });
    return { entries, problems };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ code: 'attribute-syntax', column, message: 'JSON attributes must be an object' });
    return { entries, problems };
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') entries.push({ key, value: String(v), column });
    else problems.push({ code: 'attribute-value', column, message: `attribute '${key}' must be a string, number or boolean` });
  }
  return { entries, problems };
}

function parseKeyValueAttrs(body: string, column: number): RawAttrs {
  const problems: AttributeProblem[] = [];
  const entries: RawEntry[] = [];
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /[\s,]/.test(body.charAt(i))) i++;
    if (i >= body.length) break;
    const start = i;
    while (i < body.length && !/[\s=]/.test(body.charAt(i))) i++;
    const key = body.slice(start, i);
    if (!/^[A-Za-z_][\w-]*$/.test(key)) {
      problems.push({ code: 'attribute-syntax', column: column + start, message: `'${key}' is not an attribute name` });
      while (i < body.length && !/\s/.test(body.charAt(i))) i++;
      continue;
    }
    if (body.charAt(i) !== '=') {
      // A bare flag (`{confirm}`) reads naturally as "true".
      entries.push({ key, value: 'true', column: column + start });
      continue;
    }
    i++;
    const quote = body.charAt(i);
    let value: string;
    if (quote === '"' || quote === "'") {
      const end = body.indexOf(quote, i + 1);
      if (end < 0) {
        problems.push({ code: 'attribute-syntax', column: column + i, message: `unterminated quote in attribute '${key}'` });
        break;
      }
      value = body.slice(i + 1, end);
      i = end + 1;
    } else {
      const vs = i;
      while (i < body.length && !/\s/.test(body.charAt(i))) i++;
      value = body.slice(vs, i);
    }
    entries.push({ key, value, column: column + start });
  }
  return { entries, problems };
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hours?)?$/i;

/** Parses `30s`, `5m`, `1h`, `500ms`, `2 min`; a bare number is `defaultUnit`. */
export function parseDuration(text: string, defaultUnit: 's' | 'm' = 's'): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? defaultUnit).toLowerCase();
  if (unit === 'ms') return n;
  if (unit.startsWith('s')) return n * 1000;
  if (unit.startsWith('m')) return n * 60_000;
  return n * 3_600_000;
}

function parseBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === '0') return false;
  return undefined;
}

function parsePromptEnv(value: string): PromptEnvMode | undefined {
  const v = value.toLowerCase();
  if (v === 'auto') return 'auto';
  if (v === 'true' || v === 'yes' || v === 'always') return 'always';
  if (v === 'false' || v === 'no' || v === 'never') return 'never';
  return undefined;
}

const PLATFORM_ALIASES: Readonly<Record<string, readonly Platform[]>> = {
  linux: ['linux'],
  darwin: ['darwin'],
  macos: ['darwin'],
  mac: ['darwin'],
  win32: ['win32'],
  windows: ['win32'],
  posix: ['linux', 'darwin'],
  unix: ['linux', 'darwin'],
};

function parsePlatforms(value: string): Platform[] | undefined {
  const out: Platform[] = [];
  for (const part of value.split(/[,|]/)) {
    const list = PLATFORM_ALIASES[part.trim().toLowerCase()];
    if (!list) return undefined;
    for (const p of list) if (!out.includes(p)) out.push(p);
  }
  return out.length > 0 ? out : undefined;
}

/** Parses a command fence's info string into its language and validated attributes. */
export function parseFenceInfo(info: string, infoColumn: number): ParsedInfo {
  const { language, rest } = splitInfo(info);
  const problems: AttributeProblem[] = [];
  const restColumn = infoColumn + info.length - rest.length;
  let raw: RawAttrs = { entries: [], problems: [] };
  if (rest !== '') {
    if (!rest.startsWith('{') || !rest.endsWith('}')) {
      problems.push({ code: 'attribute-syntax', column: restColumn, message: `attributes must be written in braces, e.g. ${language || 'sh'} {name=collect-logs}` });
    } else {
      const inner = rest.slice(1, -1).trim();
      if (inner.startsWith('"')) raw = parseJsonAttrs(rest, restColumn);
      else if (inner !== '') raw = parseKeyValueAttrs(rest.slice(1, -1), restColumn + 1);
    }
  }
  problems.push(...raw.problems);

  let name: string | undefined;
  let cwd: string | undefined;
  let interactive = false;
  let background = false;
  let excludeFromRunAll = false;
  let promptEnv: PromptEnvMode = 'auto';
  let platform: Platform[] | undefined;
  let confirm = false;
  let timeoutMs: number | undefined;
  let expectExit: number | undefined;
  let expectOutput: string | undefined;
  let rejectOutput: string | undefined;
  let local = false;
  const pattern = (key: string, value: string): string | undefined => {
    try {
      compileUserPattern(value);
      return value;
    } catch (error) {
      problems.push({ code: 'attribute-value', column, message: `attribute ${key}: ${error instanceof Error ? error.message : String(error)}` });
      return undefined;
    }
  };
  const seen = new Set<string>();
  let column = restColumn;
  const bad = (key: string, value: string, expected: string) =>
    problems.push({ code: 'attribute-value', column, message: `attribute ${key}=${JSON.stringify(value)} is invalid: expected ${expected}` });
  const bool = (key: string, value: string, current: boolean): boolean => {
    const b = parseBool(value);
    if (b === undefined) bad(key, value, 'true or false');
    return b ?? current;
  };

  for (const entry of raw.entries) {
    const { key, value } = entry;
    column = entry.column;
    if (seen.has(key)) problems.push({ code: 'attribute-syntax', column, message: `attribute '${key}' is given twice` });
    seen.add(key);
    if (RUNME_IGNORED.has(key)) continue;
    if (!KNOWN.has(key)) {
      problems.push({
        code: 'attribute-unknown',
        column,
        message: `unknown attribute '${key}' (known: ${[...KNOWN].join(', ')})`,
      });
      continue;
    }
    switch (key) {
      case 'name':
        if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) name = value;
        else bad(key, value, 'letters, digits, ".", "_" or "-"');
        break;
      case 'cwd':
        if (value.trim() !== '') cwd = value;
        else bad(key, value, 'a directory');
        break;
      case 'interactive':
        interactive = bool(key, value, interactive);
        break;
      case 'background':
        background = bool(key, value, background);
        break;
      case 'excludeFromRunAll':
        excludeFromRunAll = bool(key, value, excludeFromRunAll);
        break;
      case 'confirm':
        confirm = bool(key, value, confirm);
        break;
      case 'promptEnv': {
        const mode = parsePromptEnv(value);
        if (mode) promptEnv = mode;
        else bad(key, value, 'auto, always/yes/true or never/no/false');
        break;
      }
      case 'platform':
        platform = parsePlatforms(value);
        if (!platform) bad(key, value, 'linux, darwin or win32 (comma-separated)');
        break;
      case 'timeout': {
        const ms = parseDuration(value, 's');
        if (ms !== undefined && ms > 0) timeoutMs = ms;
        else bad(key, value, 'a duration such as 30s, 5m or 1h');
        break;
      }
      case 'expectExit':
        if (/^\d{1,3}$/.test(value) && Number(value) <= 255) expectExit = Number(value);
        else bad(key, value, 'an exit code from 0 to 255');
        break;
      case 'expectOutput':
        expectOutput = pattern(key, value);
        break;
      case 'rejectOutput':
        rejectOutput = pattern(key, value);
        break;
      case 'local':
        local = bool(key, value, local);
        break;
      default:
        // KNOWN and this switch list the same names; reaching here is a programming error.
        throw new Error(`attribute '${key}' is known but not handled`);
    }
  }

  const attributes: CommandAttributes = {
    ...(name !== undefined ? { name } : {}),
    ...(cwd !== undefined ? { cwd } : {}),
    interactive,
    background,
    excludeFromRunAll,
    promptEnv,
    ...(platform !== undefined ? { platform } : {}),
    confirm,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(expectExit !== undefined ? { expectExit } : {}),
    ...(expectOutput !== undefined ? { expectOutput } : {}),
    ...(rejectOutput !== undefined ? { rejectOutput } : {}),
    ...(local ? { local } : {}),
  };
  return { language, attributes, problems };
}
