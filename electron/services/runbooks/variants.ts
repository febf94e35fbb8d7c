// Language variants of a runbook: `name.ja.md` beside `name.md` is the same runbook in
// another language. A variant shares the id, the step ids, the variables and the commands
// with its base file; only titles, descriptions and guidance are translated. Progress is
// stored against step ids, so an operator can switch language mid-run, and the drift
// check below is what keeps that promise: a variant that differs in anything that runs is
// a lint error, not a silently different procedure.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CommandBlock, Diagnostic, Runbook, Step } from './model';

/** The language of a runbook file without a `.LANG` suffix. */
export const DEFAULT_RUNBOOK_LANGUAGE = 'en';

// Two letters, optionally a region or script (`ja`, `pt-BR`, `zh-Hant`), as in BCP 47.
const LANG_SUFFIX = /^(.+)\.([a-z]{2}(?:-[A-Za-z]{2,4})?)\.md$/i;

export interface VariantFile {
  readonly file: string;
  /** The base file it translates (`name.md` in the same folder). */
  readonly base: string;
  readonly lang: string;
}

/** `name.ja.md` → { stem: 'name', lang: 'ja' }; a file without a language suffix → undefined. */
export function variantSuffix(file: string): { stem: string; lang: string } | undefined {
  const m = LANG_SUFFIX.exec(path.basename(file));
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { stem: m[1], lang: m[2].toLowerCase() };
}

/**
 * Splits runbook files into base files and variants. A `name.LANG.md` is a variant only
 * when `name.md` is in the same folder; alone it is an ordinary runbook in LANG (so a user
 * may keep a Japanese-only runbook), which languageOfFile reports.
 */
export function splitVariantFiles(files: readonly string[]): { bases: string[]; variants: VariantFile[] } {
  const all = new Set(files);
  const bases: string[] = [];
  const variants: VariantFile[] = [];
  for (const file of files) {
    const suffix = variantSuffix(file);
    const base = suffix ? path.join(path.dirname(file), `${suffix.stem}.md`) : undefined;
    if (suffix && base !== undefined && all.has(base)) variants.push({ file, base, lang: suffix.lang });
    else bases.push(file);
  }
  return { bases, variants };
}

export function languageOfFile(file: string): string {
  return variantSuffix(file)?.lang ?? DEFAULT_RUNBOOK_LANGUAGE;
}

/** A runbook in the language asked for, else its base language (whatever that is). */
export function pickVariant(base: Runbook, variants: readonly Runbook[], lang: string | undefined): Runbook {
  if (lang === undefined) return base;
  return [base, ...variants].find((r) => (r.lang ?? DEFAULT_RUNBOOK_LANGUAGE) === lang) ?? base;
}

// ---- drift -------------------------------------------------------------------------

function stepsOf(r: Runbook): Map<string, Step> {
  return new Map(r.phases.flatMap((p) => p.steps.map((s) => [s.id, s] as const)));
}

/** Everything about a block that changes what runs, except the danger mark (reported on its own). */
function runShape(b: CommandBlock): string {
  const { confirm: _confirm, ...rest } = b.attributes;
  return JSON.stringify({ language: b.language, shell: b.shell, code: b.code, attributes: rest });
}

function firstDifferentLine(a: string, b: string): number {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) if (al[i] !== bl[i]) return i;
  return 0;
}

/**
 * Compares a variant with its base and returns an error for each difference in what the
 * two would do: the id, a phase or step present in one only, step order, a command block
 * present in one only or different (code, language, attributes), a danger mark
 * (`confirm=true`) on one only, a variable declared in one only or declared
 * differently, and a phase time budget that differs. Each error names a line of the variant, and the base's line when the thing
 * is missing from the variant.
 */
export function checkVariantDrift(base: Runbook, variant: Runbook): Diagnostic[] {
  const out: Diagnostic[] = [];
  const baseName = path.basename(base.file);
  const err = (line: number, message: string): void => {
    out.push({ file: variant.file, line, severity: 'error', code: 'variant-drift', message: `${message} (variant of ${baseName})` });
  };
  if (variant.id !== base.id) err(1, `id '${variant.id}' differs from '${base.id}'; a language variant must keep the id`);

  // Variables.
  const variantVars = new Map(variant.variables.map((v) => [v.name, v]));
  const baseVars = new Map(base.variables.map((v) => [v.name, v]));
  for (const v of base.variables) {
    const other = variantVars.get(v.name);
    if (!other) err(1, `variable ${v.name} (${baseName}:${v.line}) is missing`);
    else if ((other.default ?? null) !== (v.default ?? null) || other.secret !== v.secret) err(other.line, `variable ${v.name} has a different default or secret flag`);
  }
  for (const v of variant.variables) if (!baseVars.has(v.name)) err(v.line, `variable ${v.name} is not declared in ${baseName}`);

  // Phases (a phase without steps has nothing else to compare).
  const variantPhases = new Set(variant.phases.map((p) => p.id));
  const basePhases = new Set(base.phases.map((p) => p.id));
  for (const p of base.phases) if (!variantPhases.has(p.id)) err(variant.phases[0]?.line ?? 1, `phase '${p.id}' (${baseName}:${p.line}) is missing; give the translated heading {#${p.id}}`);
  const baseBudgets = new Map(base.phases.map((p) => [p.id, p.budgetMinutes]));
  for (const p of variant.phases) {
    if (!basePhases.has(p.id)) err(p.line, `phase '${p.id}' is not in ${baseName}`);
    else if (p.budgetMinutes !== baseBudgets.get(p.id)) err(p.line, `phase '${p.id}' has a time budget of ${p.budgetMinutes ?? 'none'} min, ${baseName} ${baseBudgets.get(p.id) ?? 'none'}`);
  }

  // Steps and their commands.
  const variantSteps = stepsOf(variant);
  const baseSteps = stepsOf(base);
  for (const [id, step] of baseSteps) {
    if (!variantSteps.has(id)) err(nearestLine(variant, base, id), `step '${id}' (${baseName}:${step.line}) is missing; give the translated step {#${id.split('/').pop() ?? id}}`);
  }
  for (const [id, step] of variantSteps) {
    const other = baseSteps.get(id);
    if (!other) {
      err(step.line, `step '${id}' is not in ${baseName}`);
      continue;
    }
    compareCommands(other, step, baseName, err);
  }
  const commonOrder = (r: Runbook, keep: Map<string, Step>) => [...stepsOf(r).keys()].filter((id) => keep.has(id));
  const baseOrder = commonOrder(base, variantSteps);
  const variantOrder = commonOrder(variant, baseSteps);
  const moved = variantOrder.findIndex((id, i) => id !== baseOrder[i]);
  if (moved >= 0) {
    const id = variantOrder[moved] ?? '';
    err(variantSteps.get(id)?.line ?? 1, `step '${id}' is out of order: ${baseName} has '${baseOrder[moved] ?? ''}' here`);
  }
  return out;
}

function compareCommands(base: Step, variant: Step, baseName: string, err: (line: number, message: string) => void): void {
  const baseBlocks = new Map(base.commands.map((b) => [b.id, b]));
  const variantBlocks = new Map(variant.commands.map((b) => [b.id, b]));
  for (const b of base.commands) {
    if (!variantBlocks.has(b.id)) err(variant.line, `command ${b.id} (${baseName}:${b.line}) is missing`);
  }
  for (const b of variant.commands) {
    const other = baseBlocks.get(b.id);
    if (!other) {
      err(b.line, `command ${b.id} is not in ${baseName}`);
      continue;
    }
    if (b.attributes.confirm !== other.attributes.confirm) {
      err(b.line, `command ${b.id} is ${b.attributes.confirm ? '' : 'not '}marked dangerous (confirm=true) here but ${other.attributes.confirm ? 'is' : 'is not'} in ${baseName}:${other.line}`);
    }
    if (runShape(b) !== runShape(other)) {
      const codeLine = b.code === other.code ? 0 : firstDifferentLine(b.code, other.code) + 1;
      err(b.line + codeLine, `command ${b.id} differs from ${baseName}:${other.line + codeLine}; commands must be the same in every language`);
    }
  }
  const order = (blocks: readonly CommandBlock[], keep: Map<string, CommandBlock>) => blocks.filter((b) => keep.has(b.id)).map((b) => b.id);
  if (order(base.commands, variantBlocks).join('\n') !== order(variant.commands, baseBlocks).join('\n')) {
    err(variant.line, `the commands of step '${variant.id}' are in a different order than in ${baseName}:${base.line}`);
  }
}

/** Where a missing step would go in the variant: the line of the step before it, else the first phase. */
function nearestLine(variant: Runbook, base: Runbook, stepId: string): number {
  const variantSteps = stepsOf(variant);
  const order = [...stepsOf(base).keys()];
  for (let i = order.indexOf(stepId) - 1; i >= 0; i--) {
    const found = variantSteps.get(order[i] ?? '');
    if (found) return found.line;
  }
  return variant.phases[0]?.line ?? 1;
}

// ---- loading -----------------------------------------------------------------------

interface ParsedFile {
  readonly file: string;
  readonly runbook?: Runbook;
  readonly diagnostics: Diagnostic[];
}

/**
 * Checks each parsed variant against its parsed base and adds the drift errors to the
 * variant's diagnostics. Returns the variants that may be shown: parsed, with a base that
 * parsed, and without errors (a drifted translation is never offered).
 */
export function checkVariants(bases: readonly ParsedFile[], variants: readonly (ParsedFile & { readonly base: string })[]): Runbook[] {
  const byFile = new Map(bases.map((b) => [b.file, b]));
  const usable: Runbook[] = [];
  for (const v of variants) {
    const base = byFile.get(v.base)?.runbook;
    if (!v.runbook || !base) continue;
    v.diagnostics.push(...checkVariantDrift(base, v.runbook));
    if (!v.diagnostics.some((d) => d.severity === 'error')) usable.push(v.runbook);
  }
  return usable;
}

/**
 * Adds the base file of each variant given without it (`lint x.ja.md`), when it exists,
 * so a variant is always checked against its base.
 */
export function withVariantBases(files: readonly string[]): string[] {
  const out = [...files];
  for (const file of files) {
    const suffix = variantSuffix(file);
    const base = suffix && path.join(path.dirname(file), `${suffix.stem}.md`);
    if (base && !out.includes(base) && existsSync(base)) out.push(base);
  }
  return out;
}
