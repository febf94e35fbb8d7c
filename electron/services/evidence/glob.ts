import fs from 'node:fs';
import path from 'node:path';

// A small glob walker: `*`, `?`, `[...]`, `{a,b}` within one path segment and `**` for any
// number of directories. It never follows a symlink while walking: symlinks are reported as
// they are found, and the collector decides (by real path) whether they stay inside a root.

const GLOB_CHARS = /[*?[{]/;

export interface GlobCandidate {
  /** Absolute path as found by the walk (not resolved). */
  readonly path: string;
  /** The directory the pattern was anchored at: symlinks may only resolve inside it. */
  readonly root: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'special' | 'missing';
  readonly error?: string;
}

export interface WalkOptions {
  readonly caseInsensitive?: boolean;
  readonly maxEntries?: number;
  readonly signal?: AbortSignal;
  /** Why a folder must not be walked (a pseudo filesystem, the profile), or undefined; see scope.ts. */
  readonly exclude?: (dir: string) => string | undefined;
  /** Told once per folder left out, so the collection can say so. */
  readonly onExcluded?: (dir: string, reason: string) => void;
}

/** Translates one path segment of a glob into an anchored regular expression. */
export function segmentToRegExp(segment: string, caseInsensitive = false): RegExp {
  let out = '';
  let inClass = false;
  let braceDepth = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case '*':
        out += '[^/]*';
        break;
      case '?':
        out += '[^/]';
        break;
      case '[':
        inClass = true;
        out += '[';
        if (segment[i + 1] === '!') {
          out += '^';
          i++;
        }
        break;
      case '{':
        braceDepth++;
        out += '(?:';
        break;
      case '}':
        if (braceDepth > 0) {
          braceDepth--;
          out += ')';
        } else out += '\\}';
        break;
      case ',':
        out += braceDepth > 0 ? '|' : ',';
        break;
      default:
        out += c.replace(/[.+^$()|\\\]]/g, '\\$&');
    }
  }
  if (inClass) throw new Error(`unclosed [ in glob segment "${segment}"`);
  return new RegExp(`^${out}$`, caseInsensitive ? 'i' : '');
}

export interface ParsedGlob {
  /** Longest leading part without glob characters: the walk starts (and is rooted) here. */
  readonly base: string;
  /** The remaining segments; empty when the pattern is a literal path. */
  readonly segments: readonly string[];
}

export function parseGlob(pattern: string, cwd = process.cwd()): ParsedGlob {
  const absolute = path.resolve(cwd, pattern);
  // Split on both separators so Windows patterns work; `path.resolve` has made it absolute.
  const parts = absolute.split(/[\\/]+/);
  const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
  if (firstGlob === -1) return { base: absolute, segments: [] };
  const baseParts = parts.slice(0, firstGlob);
  const base = baseParts.length === 1 && baseParts[0] === '' ? path.sep : baseParts.join(path.sep) || path.sep;
  return { base: /^[A-Za-z]:$/.test(base) ? base + path.sep : base, segments: parts.slice(firstGlob) };
}

/** Lists the matches of one pattern, sorted by path, without following symlinks. */
export async function* walkGlob(pattern: string, options: WalkOptions = {}, cwd?: string): AsyncGenerator<GlobCandidate> {
  const { base, segments } = parseGlob(pattern, cwd);
  if (segments.length === 0) {
    // A literal path: its directory is the root, so a symlink next to it may be followed.
    yield await describe(base, path.dirname(base));
    return;
  }
  const regexps = segments.map((s) => (s === '**' ? null : segmentToRegExp(s, options.caseInsensitive)));
  let count = 0;
  const seen = new Set<string>();
  const excludedSeen = new Set<string>();
  async function* visit(dir: string, index: number): AsyncGenerator<GlobCandidate> {
    options.signal?.throwIfAborted();
    if (index >= regexps.length) return;
    const why = options.exclude?.(dir);
    if (why !== undefined) {
      if (!excludedSeen.has(dir)) {
        excludedSeen.add(dir);
        options.onExcluded?.(dir, why);
      }
      return;
    }
    const regexp = regexps[index] ?? null;
    if (regexp === null) {
      // `**`: match zero directories here, then descend into every real subdirectory.
      yield* visit(dir, index + 1);
    }
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (dir !== base || index > 0) yield { path: dir, root: base, type: 'missing', error: errorCode(error) };
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (regexp === null) {
        // Only real directories are descended into: a symlinked directory is never entered.
        if (entry.isDirectory()) yield* visit(full, index);
        continue;
      }
      if (!regexp.test(entry.name)) continue;
      const last = index === regexps.length - 1;
      if (entry.isDirectory()) {
        if (!last) yield* visit(full, index + 1);
        continue;
      }
      if (!last && !entry.isSymbolicLink()) continue;
      if (seen.has(full)) continue;
      seen.add(full);
      if (options.maxEntries !== undefined && ++count > options.maxEntries) return;
      yield {
        path: full,
        root: base,
        type: entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'symlink' : 'special',
      };
    }
  }
  yield* visit(base, 0);
}

async function describe(file: string, root: string): Promise<GlobCandidate> {
  try {
    const st = await fs.promises.lstat(file);
    const type = st.isFile() ? 'file' : st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : 'special';
    return { path: file, root, type };
  } catch (error) {
    return { path: file, root, type: 'missing', error: errorCode(error) };
  }
}

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}

/** Whether `candidate` (a real path) is `root` or inside it. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
