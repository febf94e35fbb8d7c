// Loads runbooks from the bundled folder and the user's folders. A broken file never hides
// the others: each file is parsed on its own, and the result is every good runbook plus
// every diagnostic. User runbooks override bundled ones with the same id.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Severity } from '../../../shared/severity';
import { kindOf } from '../file-kind';
import type { Diagnostic, Runbook, RunbookSource } from './model';
import { idFromPath, parseRunbook, sortDiagnostics } from './parser';
import { checkVariants, languageOfFile, splitVariantFiles } from './variants';

/** Bigger files are not runbooks; refusing them keeps a stray log from stalling the UI. */
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_DEPTH = 6;

export interface RunbookFileReport {
  readonly file: string;
  readonly source: RunbookSource;
  readonly id?: string;
  /** Parsed without errors (it may still have warnings). */
  readonly ok: boolean;
  readonly errors: number;
  readonly warnings: number;
  /** Set on a bundled file whose id a user runbook overrides. */
  readonly overriddenBy?: string;
}

export interface LoadOptions {
  readonly bundledDir?: string;
  readonly userDirs?: readonly string[];
}

export interface LoadResult {
  /** Effective runbooks, one per id, sorted by title. */
  readonly runbooks: readonly Runbook[];
  /** Language variants (`name.ja.md`) of the effective runbooks that lint clean against them. */
  readonly variants: readonly Runbook[];
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly RunbookFileReport[];
}

export interface LintResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly RunbookFileReport[];
}

function isRunbookFileName(name: string): boolean {
  // README.md documents a runbook folder; it is not a runbook itself.
  return name.toLowerCase().endsWith('.md') && name.toLowerCase() !== 'readme.md' && !name.startsWith('.') && !name.startsWith('_');
}

async function collectMarkdown(dir: string, depth: number, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() || entry.isSymbolicLink()) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const st = await stat(full).catch(() => undefined);
      if (st?.isDirectory()) {
        if (depth < MAX_DEPTH) await collectMarkdown(full, depth + 1, out);
        continue;
      }
      if (!st?.isFile()) continue;
    }
    if (isRunbookFileName(entry.name)) out.push(full);
  }
}

/**
 * Expands files and folders into runbook files; an unreadable path becomes a diagnostic.
 * `roots` maps each file to the folder it was found in (its own folder for a file given
 * directly): a runbook without an id is named by its path in that folder.
 */
export async function expandPaths(paths: readonly string[]): Promise<{ files: string[]; roots: ReadonlyMap<string, string>; diagnostics: Diagnostic[] }> {
  const files: string[] = [];
  const roots = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    const full = path.resolve(p);
    const st = await stat(full).catch((err: NodeJS.ErrnoException) => err);
    if (st instanceof Error) {
      diagnostics.push({ file: p, line: 1, severity: 'error', code: 'io', message: `cannot read: ${st.code ?? st.message}` });
      continue;
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      await collectMarkdown(full, 0, found).catch((err: Error) =>
        diagnostics.push({ file: p, line: 1, severity: 'error', code: 'io', message: `cannot list folder: ${err.message}` }),
      );
      files.push(...found.sort());
      for (const f of found) if (!roots.has(f)) roots.set(f, full);
    } else {
      files.push(full);
      if (!roots.has(full)) roots.set(full, path.dirname(full));
    }
  }
  return { files: [...new Set(files)], roots, diagnostics };
}

interface Parsed {
  readonly file: string;
  readonly source: RunbookSource;
  readonly runbook?: Runbook;
  readonly idLine?: number;
  readonly diagnostics: Diagnostic[];
}

async function parseFile(file: string, source: RunbookSource, root = path.dirname(file)): Promise<Parsed> {
  try {
    const st = await stat(file);
    // Reading a FIFO waits for a writer and /dev/zero never ends: refuse by type first.
    if (!st.isFile()) {
      return { file, source, diagnostics: [{ file, line: 1, severity: 'error', code: 'io', message: `${kindOf(st)}, not a runbook file; not read` }] };
    }
    if (st.size > MAX_FILE_BYTES) {
      return { file, source, diagnostics: [{ file, line: 1, severity: 'error', code: 'io', message: `file is ${st.size} bytes; runbooks are limited to ${MAX_FILE_BYTES}` }] };
    }
    const text = await readFile(file, 'utf8');
    const result = parseRunbook(text, { file, source, defaultId: idFromPath(path.relative(root, file)) });
    return {
      file,
      source,
      ...(result.runbook ? { runbook: { ...result.runbook, lang: languageOfFile(file) } } : {}),
      ...(result.idLine !== undefined ? { idLine: result.idLine } : {}),
      diagnostics: [...result.diagnostics],
    };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { file, source, diagnostics: [{ file, line: 1, severity: 'error', code: 'io', message: `cannot read: ${e.code ?? e.message}` }] };
  }
}

/** Parses base files and their language variants (variants.ts); variants never count as duplicate ids. */
interface LayerParse {
  readonly parsed: Parsed[];
  readonly variants: { readonly parsed: Parsed[]; readonly usable: Runbook[] };
}

async function parseWithVariants(files: readonly string[], source: RunbookSource, roots?: ReadonlyMap<string, string>): Promise<LayerParse> {
  const split = splitVariantFiles(files);
  const parsed = await Promise.all(split.bases.map((f) => parseFile(f, source, roots?.get(f))));
  const variantParsed = await Promise.all(split.variants.map(async (v) => ({ ...(await parseFile(v.file, source, roots?.get(v.file))), base: v.base })));
  const usable = checkVariants(parsed, variantParsed);
  return { parsed, variants: { parsed: variantParsed, usable } };
}

/**
 * Within one layer an id may appear once: later files (in path order) get an error and
 * are dropped, so which runbook runs never depends on directory listing order.
 */
function dedupeLayer(parsed: readonly Parsed[]): Map<string, Parsed> {
  const byId = new Map<string, Parsed>();
  for (const p of parsed) {
    if (!p.runbook) continue;
    const first = byId.get(p.runbook.id);
    if (first) {
      p.diagnostics.push({
        file: p.file,
        line: p.idLine ?? 1,
        severity: 'error',
        code: 'duplicate-id',
        message: `runbook id '${p.runbook.id}' is already used by ${first.file}`,
      });
      continue;
    }
    byId.set(p.runbook.id, p);
  }
  return byId;
}

function report(p: Parsed, overriddenBy?: string): RunbookFileReport {
  const errors = p.diagnostics.filter((d) => d.severity === 'error').length;
  return {
    file: p.file,
    source: p.source,
    ...(p.runbook ? { id: p.runbook.id } : {}),
    ok: errors === 0,
    errors,
    warnings: p.diagnostics.length - errors,
    ...(overriddenBy !== undefined ? { overriddenBy } : {}),
  };
}

export async function loadRunbooks(options: LoadOptions): Promise<LoadResult> {
  const diagnostics: Diagnostic[] = [];
  const layer = async (dirs: readonly string[], source: RunbookSource): Promise<LayerParse> => {
    // A configured user folder that does not exist yet is normal, not an error.
    const existing = source === 'user' ? dirs.filter((d) => existsSync(d)) : dirs;
    const expanded = await expandPaths(existing);
    diagnostics.push(...expanded.diagnostics);
    return parseWithVariants(expanded.files, source, expanded.roots);
  };
  const { parsed: bundled, variants: bundledVariants } = options.bundledDir ? await layer([options.bundledDir], 'bundled') : { parsed: [], variants: { parsed: [], usable: [] } };
  const { parsed: user, variants: userVariants } = await layer(options.userDirs ?? [], 'user');
  const bundledById = dedupeLayer(bundled);
  const userById = dedupeLayer(user);

  const effective = new Map<string, Runbook>();
  for (const [id, p] of bundledById) if (p.runbook) effective.set(id, p.runbook);
  for (const [id, p] of userById) if (p.runbook) effective.set(id, p.runbook);

  const files: RunbookFileReport[] = [];
  for (const p of bundled) {
    const id = p.runbook?.id;
    const overriding = id !== undefined && bundledById.get(id) === p ? userById.get(id) : undefined;
    files.push(report(p, overriding?.file));
  }
  for (const p of user) files.push(report(p));
  for (const p of [...bundledVariants.parsed, ...userVariants.parsed]) files.push(report(p));
  for (const p of [...bundled, ...user, ...bundledVariants.parsed, ...userVariants.parsed]) diagnostics.push(...p.diagnostics);

  // A user runbook replaces the bundled one with all its languages.
  const variants = [
    ...bundledVariants.usable.filter((v) => effective.get(v.id)?.source === 'bundled'),
    ...userVariants.usable.filter((v) => effective.get(v.id)?.source === 'user'),
  ];
  const runbooks = [...effective.values()].sort((a, b) => a.title.localeCompare(b.title));
  return { runbooks, variants, diagnostics: sortDiagnostics(diagnostics), files };
}

/**
 * Lints files and folders as one set (what `firebreak runbook lint PATH…` checks): every
 * parse problem, plus an error for an id used by more than one file.
 */
export async function lintRunbooks(paths: string[]): Promise<LintResult> {
  const expanded = await expandPaths(paths);
  const { parsed, variants } = await parseWithVariants(expanded.files, 'user', expanded.roots);
  dedupeLayer(parsed);
  const all = [...parsed, ...variants.parsed];
  const diagnostics = [...expanded.diagnostics, ...all.flatMap((p) => p.diagnostics)];
  return { diagnostics: sortDiagnostics(diagnostics), files: all.map((p) => report(p)) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line[:column]: severity: message`, the shape editors and CI annotate from. */
export function formatDiagnostic(d: Diagnostic, options: { relativeTo?: string } = {}): string {
  const file = options.relativeTo ? path.relative(options.relativeTo, d.file) || d.file : d.file;
  const column = d.column !== undefined ? `:${d.column}` : '';
  return `${file}:${d.line}${column}: ${d.severity}: ${d.message}`;
}

/** Walks up from `start` to the folder holding the bundled runbooks (dev tree or packaged app). */
export function findBundledRunbooksDir(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'runbooks');
    if (existsSync(path.join(candidate, 'initial-response.md'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface RunbookSuggestion {
  readonly runbook: Runbook;
  /** Scenario tags of the incident that the runbook applies to. */
  readonly matchedTags: readonly string[];
}

/**
 * Runbooks for an incident: those listing its severity, ordered by how many of the
 * incident's tags they apply to, then by title. A runbook that names no severity is
 * suggested only when a tag matches.
 */
export function runbooksFor(runbooks: readonly Runbook[], incident: { severity?: Severity; tags?: readonly string[] }): RunbookSuggestion[] {
  const tags = (incident.tags ?? []).map((t) => t.toLowerCase());
  return runbooks
    .filter((r) => incident.severity === undefined || r.severities.includes(incident.severity))
    .map((runbook) => ({ runbook, matchedTags: runbook.appliesTo.filter((t) => tags.includes(t)) }))
    .filter((s) => !s.runbook.anySeverity || s.matchedTags.length > 0)
    .sort((a, b) => b.matchedTags.length - a.matchedTags.length || a.runbook.title.localeCompare(b.runbook.title));
}
