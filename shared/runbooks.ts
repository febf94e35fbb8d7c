// The parsed runbook model. These are plain data (no methods) so they can cross the
// contract as they are and be stored with a run to record which version was followed.
import type { Severity } from './severity';

export const PLATFORMS = ['linux', 'darwin', 'win32'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** How a command block is executed: POSIX shell, PowerShell, or Windows cmd.exe. */
export type Shell = 'sh' | 'pwsh' | 'cmd';

/**
 * Runme's promptEnv modes: `auto` asks for exported variables that have no remembered
 * value, `always` asks every time (pre-filled), `never` runs the export lines as written.
 */
export type PromptEnvMode = 'auto' | 'always' | 'never';

export interface CommandAttributes {
  readonly name?: string;
  /** Working directory; may contain ${VARIABLES}. Default: the incident folder. */
  readonly cwd?: string;
  /** Needs the operator at the keyboard (tail -f, top, prompts). Never part of "Run all". */
  readonly interactive: boolean;
  /** Long-running; started and left running, not awaited for an exit code. */
  readonly background: boolean;
  readonly excludeFromRunAll: boolean;
  readonly promptEnv: PromptEnvMode;
  /** Restricts the block to these platforms; absent means "decided by the shell". */
  readonly platform?: readonly Platform[];
  /** Dangerous: the operator must type a confirmation before it runs. */
  readonly confirm: boolean;
  readonly timeoutMs?: number;
  /**
   * What success means (issue 15): the exit code expected (default 0), a pattern (RE2) the
   * output must match and one it must not. A command ending in `|| echo "health check failed"`
   * exits 0; `rejectOutput="health check failed"` makes that a failure.
   */
  readonly expectExit?: number;
  readonly expectOutput?: string;
  readonly rejectOutput?: string;
  /**
   * Runs on this laptop even when the run's terminal is on a target (Runme-style
   * `{"local":true}` / `{local=true}`): a check from outside, a curl to the public URL.
   */
  readonly local?: boolean;
}

export interface CommandBlock {
  /** `<step id>#<name>` when named, else `<step id>#<index>`; stable like the step id. */
  readonly id: string;
  /** The fence language as written (sh, bash, pwsh, powershell, cmd …). */
  readonly language: string;
  readonly shell: Shell;
  readonly code: string;
  readonly attributes: CommandAttributes;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** Sample output the block showed after its prompts: displayed, never typed. */
  readonly expectedOutput?: string;
  /**
   * A command that changes or stops something (kubectl delete, rm -r, FLUSHALL …), found
   * by Firebreak whether or not the author marked the block: running it needs the typed
   * confirmation, like confirm=true.
   */
  readonly danger?: DangerNote;
}

export interface DangerNote {
  /** What was recognised, for lint and the UI: `kubectl delete`, `SQL DELETE without WHERE`. */
  readonly what: string;
  readonly text: string;
  /** 1-based file line of the dangerous command. */
  readonly line: number;
}

/** Whether the operator must type a confirmation before the block runs. */
export function needsConfirmation(block: Pick<CommandBlock, 'attributes' | 'danger'>): boolean {
  return block.attributes.confirm || block.danger !== undefined;
}

/**
 * `checklist`: Firebreak's own format, steps are `- [ ]` items. `document`: any other
 * Markdown runbook; each shell fence is a step under its numbered item or heading.
 */
export type RunbookFormat = 'checklist' | 'document';

export interface Step {
  /** `<runbook id>/<phase id>/<explicit {#name} or slug of the step text>`. */
  readonly id: string;
  readonly text: string;
  /** Markdown shown under the step: why and what to look for. Excludes command blocks. */
  readonly guidance: string;
  readonly line: number;
  readonly commands: readonly CommandBlock[];
}

export interface Phase {
  /** Slug of the heading, or its explicit `{#id}`. */
  readonly id: string;
  readonly title: string;
  readonly budgetMinutes?: number;
  readonly description: string;
  readonly line: number;
  readonly steps: readonly Step[];
}

export interface RunbookVariable {
  readonly name: string;
  readonly description?: string;
  readonly default?: string;
  readonly secret: boolean;
  readonly line: number;
}

export type RunbookSource = 'bundled' | 'user';

export interface Runbook {
  readonly id: string;
  readonly title: string;
  readonly severities: readonly Severity[];
  /**
   * The file names no severity (most runbooks written for other tools): it is listed for
   * every incident but suggested only when its tags match the incident's, so a collection
   * of hundreds does not bury the suggestions.
   */
  readonly anySeverity?: boolean;
  readonly appliesTo: readonly string[];
  readonly version: string;
  readonly description: string;
  readonly file: string;
  readonly source: RunbookSource;
  /** SHA-256 of the file as read, so a run can record exactly which text it followed. */
  readonly sha256: string;
  /** Absent in runbooks stored by older versions: those are checklists. */
  readonly format?: RunbookFormat;
  /**
   * Language of the text (`name.ja.md` → 'ja'; no suffix → 'en'). Set by the loader;
   * language variants of a runbook share everything but their prose (see variants.ts).
   */
  readonly lang?: string;
  /**
   * Variables declared in the front matter (`variables:`), then the placeholders found in
   * command blocks (`<POD_NAME>`, `{{ .Labels.instance }}`, an unassigned `$NAMESPACE`).
   */
  readonly variables: readonly RunbookVariable[];
  readonly phases: readonly Phase[];
}

export type DiagnosticSeverity = 'error' | 'warning';

export type DiagnosticCode =
  | 'io'
  | 'yaml'
  | 'front-matter'
  | 'structure'
  | 'step-text'
  | 'duplicate-name'
  | 'duplicate-id'
  | 'code-outside-step'
  | 'language'
  | 'attribute-syntax'
  | 'attribute-unknown'
  | 'attribute-value'
  | 'unclosed-fence'
  | 'time-budget'
  | 'variable'
  | 'unsafe-command'
  | 'variant-drift';

export interface Diagnostic {
  readonly file: string;
  /** 1-based line in the file (YAML errors are mapped from the front matter). */
  readonly line: number;
  readonly column?: number;
  readonly severity: DiagnosticSeverity;
  readonly code: DiagnosticCode;
  readonly message: string;
}

/** A runbook file that did not load, with its first error: `file:line: reason`. */
export interface NotLoaded {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  /** Errors in the file in all (`firebreak runbook lint` lists each). */
  readonly errors: number;
}

/** Every file that did not load: a file is left out exactly when it has an error. */
export function notLoaded(diagnostics: readonly Diagnostic[]): NotLoaded[] {
  const byFile = new Map<string, { first: Diagnostic; errors: number }>();
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const seen = byFile.get(d.file);
    if (!seen) byFile.set(d.file, { first: d, errors: 1 });
    else if (d.line < seen.first.line) byFile.set(d.file, { first: d, errors: seen.errors + 1 });
    else seen.errors++;
  }
  return [...byFile.values()].map(({ first, errors }) => ({ file: first.file, line: first.line, reason: first.message, errors }));
}

export interface ParseResult {
  /** Absent when the file has errors: a half-understood runbook must not be runnable. */
  readonly runbook?: Runbook;
  readonly diagnostics: readonly Diagnostic[];
  /** Line of the front matter `id:` field, for pointing at duplicate ids across files. */
  readonly idLine?: number;
}
