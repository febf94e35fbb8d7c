// Variables in commands. Two kinds, one per-incident value map:
//  - references `${NAME}` (UPPER_SNAKE_CASE) that Firebreak replaces before a command is
//    sent to a terminal: context values (INCIDENT_ID, INCIDENT_DIR …), variables declared
//    in the front matter, and prompted variables;
//  - prompted variables, declared Runme-style by an export line in a command block
//    (`export SERVICE=nginx`, `$env:SERVICE = "nginx"`, `set SERVICE=nginx`). The operator
//    is asked once per incident; the answer replaces the export line's value.
// `${NAME}` that is none of these is left alone, so ordinary shell expansions still work.
import { looksSecret } from './front-matter';
import type { CommandBlock, PromptEnvMode, Runbook, Shell, Step } from './model';
import { assertNever } from '../../../shared/assert';

/** Values the run service supplies from the incident; documented in runbooks/README.md. */
export const CONTEXT_VARIABLES: Readonly<Record<string, string>> = {
  INCIDENT_ID: 'Numeric id of the incident',
  INCIDENT_DIR: "The incident's working folder (evidence and transcripts go here)",
  INCIDENT_TITLE: 'Title of the incident',
  INCIDENT_SEVERITY: 'critical, high, medium or low',
  SERVICE: 'First service named on the incident (asked for when the incident names none)',
  RESPONDER: 'Who is running the runbook',
  RUNBOOK_ID: 'Id of the runbook being run',
  STEP_ID: 'Id of the step being run',
  PLATFORM: 'linux, darwin or win32',
};

export interface PromptDeclaration {
  readonly name: string;
  /** Pre-filled answer; absent when the export line has an empty value. */
  readonly default?: string;
  readonly description?: string;
  /** 0-based line within the block's code. */
  readonly codeLine: number;
}

const SH_EXPORT = /^(\s*export\s+)([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const PWSH_ENV = /^(\s*\$env:)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$/i;
const CMD_SET = /^(\s*set\s+)("?)([A-Za-z_][A-Za-z0-9_]*)=(.*?)("?)\s*$/i;

/**
 * Splits an assignment's right-hand side into a literal default, or undefined when the
 * value is computed (command substitution, another variable): Runme resolves those by
 * running them, and so do we.
 */
function literalValue(rhs: string, shell: Shell): { value?: string; comment?: string } | undefined {
  let text = rhs.trim();
  let comment: string | undefined;
  const q = text.charAt(0);
  if (q === '"' || q === "'") {
    const end = text.indexOf(q, 1);
    if (end < 0) return undefined;
    const inner = text.slice(1, end);
    const tail = text.slice(end + 1).trim();
    if (tail !== '' && !tail.startsWith('#')) return undefined;
    if (tail.startsWith('#')) comment = tail.slice(1).trim();
    // In double quotes `$` and backticks still expand, so such a value is computed.
    if (q === '"' && /[$`]/.test(inner)) return undefined;
    return { value: inner, ...(comment ? { comment } : {}) };
  }
  const hash = shell === 'cmd' ? -1 : text.search(/\s#/);
  if (hash >= 0) {
    comment = text.slice(hash).trim().slice(1).trim();
    text = text.slice(0, hash).trim();
  }
  if (/[$`()|;&<>]/.test(text) || /\s/.test(text)) return undefined;
  return { value: text, ...(comment ? { comment } : {}) };
}

/** Finds the Runme-style prompt declarations in a block (empty when promptEnv=never). */
export function promptDeclarations(block: Pick<CommandBlock, 'code' | 'shell'> & { attributes: { promptEnv: PromptEnvMode } }): PromptDeclaration[] {
  if (block.attributes.promptEnv === 'never') return [];
  const out: PromptDeclaration[] = [];
  block.code.split('\n').forEach((line, codeLine) => {
    const decl = matchAssignment(line, block.shell);
    if (!decl) return;
    const lit = literalValue(decl.rhs, block.shell);
    if (!lit) return;
    out.push({
      name: decl.name,
      ...(lit.value !== undefined && lit.value !== '' ? { default: lit.value } : {}),
      ...(lit.comment ? { description: lit.comment } : {}),
      codeLine,
    });
  });
  return out;
}

function matchAssignment(line: string, shell: Shell): { name: string; rhs: string; prefix: string } | undefined {
  switch (shell) {
    case 'sh': {
      const m = SH_EXPORT.exec(line);
      return m ? { prefix: `${m[1]}${m[2]}=`, name: m[2] ?? '', rhs: m[3] ?? '' } : undefined;
    }
    case 'pwsh': {
      const m = PWSH_ENV.exec(line);
      return m ? { prefix: `${m[1]}${m[2]}${m[3]}`, name: m[2] ?? '', rhs: m[4] ?? '' } : undefined;
    }
    case 'cmd': {
      const m = CMD_SET.exec(line);
      return m ? { prefix: m[1] ?? '', name: m[3] ?? '', rhs: m[4] ?? '' } : undefined;
    }
    default:
      return assertNever(shell, 'shell');
  }
}

const REFERENCE = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

/** Every `${NAME}` in a text, in order of first appearance. */
export function findVariableReferences(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(REFERENCE)) if (m[1] !== undefined && !names.includes(m[1])) names.push(m[1]);
  return names;
}

/** Quotes a value for a shell, outside any quotes. */
export function quoteForShell(value: string, shell: Shell): string {
  switch (shell) {
    case 'sh':
      return /^[\w./:@%+,=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
    case 'pwsh':
      return /^[\w./\\:@%+,=-]+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
    case 'cmd':
      // cmd.exe has no reliable escape for % or "; values go in as they are, in quotes if spaced.
      return /\s/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
    default:
      return assertNever(shell, 'shell');
  }
}

type QuoteState = 'none' | 'single' | 'double' | 'heredoc' | 'literal';

function escapeInContext(value: string, shell: Shell, state: QuoteState): string {
  if (state === 'none') return quoteForShell(value, shell);
  if (state === 'literal') return value;
  if (state === 'heredoc') return value.replace(/[\\$`]/g, (c) => `\\${c}`);
  switch (shell) {
    case 'sh':
      return state === 'double' ? value.replace(/[\\"$`]/g, (c) => `\\${c}`) : value.replace(/'/g, `'\\''`);
    case 'pwsh':
      return state === 'double' ? value.replace(/[`"$]/g, (c) => `\`${c}`) : value.replace(/'/g, "''");
    case 'cmd':
      return value.replace(/"/g, '');
    default:
      return assertNever(shell, 'shell');
  }
}

/**
 * Replaces `${NAME}` for every NAME in `vars`; unknown references stay as they are.
 * With `shell`, each value is escaped for where it appears (inside double quotes, single
 * quotes or bare), so a value can never break out into a second command.
 */
export function substituteVariables(command: string, vars: Readonly<Record<string, string>>, shell?: Shell): string {
  if (!shell) return command.replace(REFERENCE, (all, name: string) => (Object.hasOwn(vars, name) ? (vars[name] ?? '') : all));
  const out: string[] = [];
  let state: QuoteState = 'none';
  let heredoc: { delimiter: string; literal: boolean; tabs: boolean } | undefined;
  for (const line of command.split('\n')) {
    if (heredoc) {
      // Here-document bodies are their own quoting context (sh only): an unquoted
      // delimiter still expands $ and backticks, a quoted one keeps text as it is.
      const end = (heredoc.tabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter;
      out.push(end ? line : substituteLine(line, vars, shell, heredoc.literal ? 'literal' : 'heredoc').text);
      if (end) heredoc = undefined;
      continue;
    }
    const result = substituteLine(line, vars, shell, state);
    out.push(result.text);
    state = result.state;
    if (shell === 'sh' && state === 'none') {
      const m = /<<(-?)[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line);
      if (m && m[3] !== undefined) heredoc = { delimiter: m[3], literal: m[2] !== '', tabs: m[1] === '-' };
    }
  }
  return out.join('\n');
}

function substituteLine(line: string, vars: Readonly<Record<string, string>>, shell: Shell, start: QuoteState): { text: string; state: QuoteState } {
  let out = '';
  let state = start;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (ch === '#' && state === 'none' && shell !== 'cmd' && (i === 0 || /\s/.test(line.charAt(i - 1)))) {
      // A comment: an apostrophe in "# the service's log" must not open a quote.
      out += line.slice(i);
      break;
    }
    if (ch === '$' && line.charAt(i + 1) === '{') {
      // Substituted in every quoting context, single quotes included: inside a runbook
      // `'${INCIDENT_DIR}'` means the Firebreak value, escaped so it stays one word.
      const m = /^\$\{([A-Z_][A-Z0-9_]*)\}/.exec(line.slice(i));
      if (m && m[1] !== undefined && Object.hasOwn(vars, m[1])) {
        out += escapeInContext(vars[m[1]] ?? '', shell, state);
        i += m[0].length - 1;
        continue;
      }
    }
    out += ch;
    if (state !== 'heredoc' && state !== 'literal') state = nextQuoteState(state, ch, line.charAt(i - 1), shell);
  }
  return { text: out, state };
}

function nextQuoteState(state: QuoteState, ch: string, prev: string, shell: Shell): QuoteState {
  const escaped = shell === 'sh' ? prev === '\\' : shell === 'pwsh' ? prev === '`' : false;
  if (state === 'none') {
    if (ch === '"' && !escaped) return 'double';
    if (ch === "'" && !escaped && shell !== 'cmd') return 'single';
    return 'none';
  }
  if (state === 'double') return ch === '"' && !escaped ? 'none' : 'double';
  return ch === "'" ? 'none' : 'single';
}

function rewriteAssignment(prefix: string, name: string, value: string, shell: Shell): string {
  switch (shell) {
    case 'sh':
      return `${prefix}${quoteForShell(value, shell)}`;
    case 'pwsh':
      // Always quoted: a bare word after `=` would run as a command in PowerShell.
      return `${prefix}'${value.replace(/'/g, "''")}'`;
    case 'cmd':
      return `${prefix}"${name}=${value.replace(/"/g, '')}"`;
    default:
      return assertNever(shell, 'shell');
  }
}

export interface PreparedCommand {
  readonly code: string;
  readonly cwd?: string;
  /** Variables the command references that had no value (left unreplaced). */
  readonly missing: readonly string[];
}

/**
 * Turns a block into what is typed into the terminal: prompted export lines get the
 * remembered answer, then `${NAME}` references are substituted. `vars` is the incident's
 * value map (context values plus remembered answers).
 */
export function prepareCommand(block: CommandBlock, vars: Readonly<Record<string, string>>, knownNames?: ReadonlySet<string>): PreparedCommand {
  const lines = block.code.split('\n');
  for (const decl of promptDeclarations(block)) {
    const line = lines[decl.codeLine];
    const assignment = line === undefined ? undefined : matchAssignment(line, block.shell);
    const value = vars[decl.name];
    if (!assignment || value === undefined || !Object.hasOwn(vars, decl.name)) continue;
    lines[decl.codeLine] = rewriteAssignment(assignment.prefix, decl.name, value, block.shell);
  }
  const code = substituteVariables(lines.join('\n'), vars, block.shell);
  const cwd = block.attributes.cwd === undefined ? undefined : substituteVariables(block.attributes.cwd, vars);
  const refs = findVariableReferences(`${block.code}\n${block.attributes.cwd ?? ''}`);
  const missing = refs.filter((n) => !Object.hasOwn(vars, n) && (knownNames === undefined || knownNames.has(n)));
  return { code, ...(cwd !== undefined ? { cwd } : {}), missing };
}

export interface VariableRequirement {
  readonly name: string;
  readonly description?: string;
  readonly default?: string;
  readonly secret: boolean;
  /** Supplied by the run service from the incident (may still be missing, e.g. SERVICE). */
  readonly context: boolean;
  /** promptEnv=always on some block: ask even when a value is remembered. */
  readonly always: boolean;
  readonly stepIds: readonly string[];
}

/** Names Firebreak substitutes in a runbook: context, front-matter and prompted variables. */
export function firebreakVariableNames(runbook: Runbook): Set<string> {
  const names = new Set(Object.keys(CONTEXT_VARIABLES));
  for (const v of runbook.variables) names.add(v.name);
  for (const phase of runbook.phases)
    for (const step of phase.steps) for (const block of step.commands) for (const d of promptDeclarations(block)) names.add(d.name);
  return names;
}

/**
 * The variables a runbook (or one of its steps) needs, merged by name, for prompting
 * once per incident. Pass `step` to limit the list to that step.
 */
export function variablesFor(runbook: Runbook, step?: Step): VariableRequirement[] {
  const known = firebreakVariableNames(runbook);
  const declared = new Map(runbook.variables.map((v) => [v.name, v]));
  const acc = new Map<string, { description?: string; default?: string; secret: boolean; always: boolean; stepIds: string[] }>();
  const add = (name: string, stepId: string, extra: { description?: string; default?: string; always?: boolean }) => {
    const d = declared.get(name);
    const cur = acc.get(name) ?? {
      secret: d?.secret ?? looksSecret(name),
      always: false,
      stepIds: [],
      ...(d?.description ?? CONTEXT_VARIABLES[name] ? { description: d?.description ?? CONTEXT_VARIABLES[name] } : {}),
      ...(d?.default !== undefined ? { default: d.default } : {}),
    };
    if (cur.description === undefined && extra.description !== undefined) cur.description = extra.description;
    if (cur.default === undefined && extra.default !== undefined) cur.default = extra.default;
    if (extra.always) cur.always = true;
    if (!cur.stepIds.includes(stepId)) cur.stepIds.push(stepId);
    acc.set(name, cur);
  };
  const steps = step ? [step] : runbook.phases.flatMap((p) => p.steps);
  for (const s of steps) {
    for (const block of s.commands) {
      for (const d of promptDeclarations(block)) {
        add(d.name, s.id, {
          ...(d.description !== undefined ? { description: d.description } : {}),
          ...(d.default !== undefined ? { default: d.default } : {}),
          always: block.attributes.promptEnv === 'always',
        });
      }
      for (const name of findVariableReferences(`${block.code}\n${block.attributes.cwd ?? ''}`)) if (known.has(name)) add(name, s.id, {});
    }
  }
  return [...acc.entries()].map(([name, v]) => ({ name, ...v, context: Object.hasOwn(CONTEXT_VARIABLES, name), stepIds: v.stepIds }));
}

/**
 * The requirements the operator must be asked for, given the values already known.
 * An empty answer is an answer (a Redis without a password): it is not asked again.
 * The run service should therefore leave out context values it does not have (SERVICE
 * on an incident that names no service) rather than pass them as ''.
 */
export function variablesToPrompt(requirements: readonly VariableRequirement[], known: Readonly<Record<string, string>>): VariableRequirement[] {
  return requirements.filter((r) => r.always || !Object.hasOwn(known, r.name));
}
