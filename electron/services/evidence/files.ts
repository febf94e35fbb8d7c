import fs from 'node:fs';
import path from 'node:path';
import { assertNever } from '../../../shared/assert';
import { compileUserPattern, type UserPattern } from '../../../shared/user-pattern';
import { copyRange, DEFER_SYNC_BELOW, fsRead, openFile, type StoreSink } from './cas';
import { SmallCopyPool } from './copy-pool';
import type { SmallCopyOutcome } from './small-copy';
import { readableName, type CollectionContext } from './context';
import { errorCode, isInside, walkGlob, type GlobCandidate, type WalkOptions } from './glob';
import { findTailOffset, LineRing, looksBinary } from './lines';
import { acquireSlotHasher, type SlotHasher } from './scan/hash-worker';
import { LineScanner, type LineScanOptions } from './scan/line-scan';
import { sourceInfo, type StatLite } from './owners';
import type { ArtifactDraft, ArtifactStatus, Derivation, SourceInfo } from './types';
import type { LogLevel } from '../../../shared/evidence';
import { levelRank } from './scan/levels';

export interface FileCollectRequest {
  /** Paths or globs (`*`, `?`, `[..]`, `{a,b}`, `**`); a directory means everything under it. */
  readonly paths: readonly string[];
  readonly tail?: number;
  /** ISO time or ms since epoch: files older than this are skipped, and log lines older than it dropped. */
  readonly since?: string | number;
  /** ISO time or ms since epoch: log lines newer than this are dropped (files are not skipped by mtime). */
  readonly until?: string | number;
  readonly grep?: string;
  readonly grepIgnoreCase?: boolean;
  /** Keeps lines of this level and more severe (JSON `level` and plain ERROR/WARN/INFO/DEBUG words). */
  readonly level?: LogLevel;
  /** Most bytes stored per artifact (of the source for a copy, of the output for a filter). */
  readonly maxBytes?: number;
  readonly cwd?: string;
  /** Files copied at once (default 16): overlaps per-file open/fsync/rename latency for many small files; each big file holds at most 6 MiB of buffers. */
  readonly concurrency?: number;
  readonly maxFiles?: number;
  /** Leave out literal paths that do not exist instead of recording them as vanished (presets). */
  readonly skipMissing?: boolean;
  /** The operator confirmed a collection above the large threshold (estimate.ts). */
  readonly confirmLarge?: boolean;
}

export interface FileFilters {
  readonly tail?: number;
  readonly since?: number;
  readonly until?: number;
  readonly grep?: UserPattern;
  readonly level?: LogLevel;
  readonly maxBytes: number;
}

const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;
const OUT_FLUSH = 256 * 1024;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

export function parseSince(since: string | number | undefined): number | undefined {
  return parseWhen(since, 'since');
}

function parseWhen(when: string | number | undefined, field: string): number | undefined {
  if (when === undefined) return undefined;
  const t = typeof when === 'number' ? when : Date.parse(when);
  if (Number.isNaN(t)) throw new Error(`${field}: not a time: ${String(when)}`);
  return t;
}

export function toFilters(request: Omit<FileCollectRequest, 'paths'>): FileFilters {
  // RE2: linear time, so no pattern can hold a collection (and cancel) for minutes.
  const grep = request.grep ? compileUserPattern(request.grep, { ignoreCase: request.grepIgnoreCase === true }) : undefined;
  const since = parseSince(request.since);
  const until = parseWhen(request.until, 'until');
  if (since !== undefined && until !== undefined && until < since) throw new Error(`until: ${new Date(until).toISOString()} is before since ${new Date(since).toISOString()}`);
  return {
    ...(request.tail !== undefined ? { tail: request.tail } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(grep ? { grep } : {}),
    ...(request.level !== undefined ? { level: request.level } : {}),
    maxBytes: request.maxBytes ?? DEFAULT_MAX_BYTES,
  };
}

/** The error of a pattern that matched no file (its artifact's detail reads "no file matches: PATTERN"). */
const NO_MATCH = 'no file matches';

/** Walks every pattern and collects each match; one bad file only costs its own artifact. */
export async function collectFiles(ctx: CollectionContext, request: FileCollectRequest): Promise<void> {
  const filters = toFilters(request);
  const seen = new Set<string>();
  const caseInsensitive = ctx.platform === 'win32' || ctx.platform === 'darwin';
  let excludedHere = false;
  const walkOptions: WalkOptions = {
    caseInsensitive,
    maxEntries: request.maxFiles ?? 100_000,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.scope ? { exclude: (dir: string) => ctx.scope?.excluded(dir) } : {}),
    onExcluded: (_dir, reason) => {
      excludedHere = true;
      ctx.skipped(`not walked: ${reason}`);
    },
  };
  async function* candidates(): AsyncGenerator<GlobCandidate> {
    for (const pattern of request.paths) {
      let matched = false;
      excludedHere = false;
      for await (const c of walkGlob(pattern, walkOptions, request.cwd)) {
        matched = true;
        if (c.type === 'directory') yield* walkGlob(path.join(c.path, '**', '*'), walkOptions);
        else yield c;
      }
      // A pattern that matched nothing (or whose folder is not there) is said, not dropped:
      // the operator may have mistyped where the logs are (issue 15).
      // A pattern inside a left-out folder was not mistyped: its skip is counted instead.
      if (!matched && !excludedHere) yield { path: pattern, root: pattern, type: 'missing', error: NO_MATCH };
    }
  }
  const iterator = candidates();
  // Plain copies of small files go to worker threads; filtered ones stream here.
  const pool = isFiltering(filters) ? undefined : new SmallCopyPool();
  const worker = async (): Promise<void> => {
    for (;;) {
      ctx.signal?.throwIfAborted();
      const next = await iterator.next();
      if (next.done) return;
      const c = next.value;
      if (c.type === 'missing') {
        // Presets name every usual location; one this machine does not have is not evidence.
        if (request.skipMissing && (c.error === 'ENOENT' || c.error === NO_MATCH)) {
          ctx.skipped('not present');
          continue;
        }
        // A literal path that is not there, or a directory the walk could not list.
        const status = c.error === 'ENOENT' || c.error === NO_MATCH ? 'vanished' : 'unreadable';
        await ctx.add(record(readableName(c.path), 'file', status, null, `${c.error ?? 'missing'}: ${c.path}`));
        continue;
      }
      const draft = await collectOneFile(ctx, next.value, filters, seen, pool);
      if (draft) await ctx.add(draft);
    }
  };
  // allSettled: no worker may still be adding artifacts once the collection is closed.
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, request.concurrency ?? 16) }, worker));
  await pool?.close();
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

const isFiltering = (f: FileFilters): boolean => f.tail !== undefined || f.grep !== undefined || f.since !== undefined || f.until !== undefined || f.level !== undefined;
/** Filters that look at every line (tail alone only counts newlines from the end). */
const isLineFiltering = (f: FileFilters): boolean => f.grep !== undefined || f.since !== undefined || f.until !== undefined || f.level !== undefined;

function filterSuffix(f: FileFilters): string {
  const parts = [f.tail !== undefined ? `tail-${f.tail}` : '', f.grep ? 'grep' : '', f.since !== undefined ? 'since' : '', f.until !== undefined ? 'until' : '', f.level !== undefined ? `level-${f.level}` : ''].filter(Boolean);
  return parts.length ? `.${parts.join('.')}.txt` : '';
}

const record = (
  name: string,
  kind: ArtifactDraft['kind'],
  status: ArtifactStatus,
  source: SourceInfo | null,
  detail: string | null,
): ArtifactDraft => ({
  name,
  kind,
  status,
  detail,
  sha256: null,
  size: null,
  mediaType: 'application/octet-stream',
  binary: false,
  source,
  sourceSha256: null,
  derivation: null,
});

/**
 * Collects one candidate. Returns null for files deliberately skipped (older than `since`,
 * or already collected through another path). Never throws except when cancelled.
 */
export async function collectOneFile(
  ctx: CollectionContext,
  candidate: GlobCandidate,
  filters: FileFilters,
  seen: Set<string>,
  pool?: SmallCopyPool,
): Promise<ArtifactDraft | null> {
  const name = readableName(candidate.path);
  ctx.progress(0, candidate.path);
  if (pool && candidate.type === 'file') {
    const draft = await copyInWorker(ctx, pool, candidate.path, name, filters, seen);
    if (draft !== 'fallback') return draft;
  }
  let readPath = candidate.path;
  let extra: Partial<SourceInfo> = {};
  // The walk already saw a regular file: skip the lstat and let open + fstat confirm it
  // (O_NOFOLLOW/O_NONBLOCK make a swapped-in symlink or FIFO fail or show, not hang).
  if (candidate.type === 'file') {
    const draft = await openAndCopy(ctx, candidate.path, readPath, name, undefined, extra, filters, seen);
    if (draft !== 'retry') return draft;
  }
  let lst: fs.Stats;
  try {
    lst = await fs.promises.lstat(candidate.path);
  } catch (error) {
    const code = errorCode(error);
    return record(name, 'file', code === 'ENOENT' ? 'vanished' : 'unreadable', null, `${code} on lstat`);
  }
  if (lst.isSymbolicLink()) {
    const linkTarget = await fs.promises.readlink(candidate.path).catch(() => '?');
    const info = sourceInfo(candidate.path, lst, ctx.owners, { linkTarget });
    let real: string;
    let rootReal: string;
    try {
      real = await fs.promises.realpath(candidate.path);
      rootReal = await fs.promises.realpath(candidate.root);
    } catch (error) {
      return record(name, 'symlink', 'symlink-recorded', info, `not followed: ${errorCode(error)} (dangling or looping link)`);
    }
    if (!isInside(rootReal, real)) {
      return record(name, 'symlink', 'symlink-recorded', info, `not followed: target ${real} is outside ${candidate.root}`);
    }
    readPath = real;
    extra = { linkTarget, realPath: real };
    try {
      lst = await fs.promises.lstat(real);
    } catch (error) {
      return record(name, 'symlink', 'vanished', info, `${errorCode(error)} on link target`);
    }
  }
  if (lst.isDirectory()) return null;
  if (!lst.isFile()) {
    return record(name, 'special', 'special-file-skipped', sourceInfo(candidate.path, lst, ctx.owners, extra), `${sourceInfo(candidate.path, lst, ctx.owners).type}: not opened`);
  }
  const draft = await openAndCopy(ctx, candidate.path, readPath, name, lst, extra, filters, seen);
  return draft === 'retry' ? record(name, 'file', 'changed-during-copy', sourceInfo(candidate.path, lst, ctx.owners, extra), 'changed type while being opened; not copied') : draft;
}

/**
 * Opens and copies one regular file. `lst` is the lstat taken before (absent when the walk
 * vouched for the type); 'retry' means the path is not what the walk said it was.
 */
async function openAndCopy(
  ctx: CollectionContext,
  sourcePath: string,
  readPath: string,
  name: string,
  lst: fs.Stats | undefined,
  extra: Partial<SourceInfo>,
  filters: FileFilters,
  seen: Set<string>,
): Promise<ArtifactDraft | null | 'retry'> {
  // O_NONBLOCK: if the path was swapped for a FIFO after listing, open must not hang.
  // O_NOFOLLOW: nor may it have been swapped for a symlink.
  let fd: number;
  try {
    fd = await openFile(readPath, fs.constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error);
    if (!lst && code === 'ELOOP') return 'retry';
    const info = lst ? sourceInfo(sourcePath, lst, ctx.owners, extra) : null;
    return record(name, 'file', code === 'ENOENT' ? 'vanished' : 'unreadable', info, `${code} on open`);
  }
  try {
    const st0 = await fstat(fd);
    const info = sourceInfo(sourcePath, st0, ctx.owners, extra);
    if (!st0.isFile()) {
      if (!lst) return 'retry';
      return record(name, 'file', 'changed-during-copy', info, 'replaced between listing and opening; not copied');
    }
    if (lst && st0.ino !== lst.ino) return record(name, 'file', 'changed-during-copy', info, 'replaced between listing and opening; not copied');
    const identity = `${st0.dev}:${st0.ino}`;
    if (seen.has(identity)) return null;
    seen.add(identity);
    if (filters.since !== undefined && st0.mtimeMs < filters.since) {
      ctx.skipped('older than since');
      return null;
    }
    if (st0.size === 0) return await copyUnsized(ctx, fd, name, info, filters);
    return await copyOne(ctx, fd, name, info, st0, filters);
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    return record(name, 'file', 'unreadable', null, `${errorCode(error)} while reading`);
  } finally {
    fs.close(fd, () => undefined);
  }
}

/** Chunk size for files that report size 0; /proc and /sys files are small. */
const UNSIZED_CHUNK = 64 * 1024;

/**
 * /proc and /sys files report size 0 and hold text all the same: a copy of "size" bytes
 * stored nothing and said "ok". So a file that reports 0 is read until EOF (up to maxBytes),
 * the bytes are staged in a temp file, and that is collected the usual way (filters too);
 * the record says the size was reported as 0 and how much was read.
 */
async function copyUnsized(ctx: CollectionContext, fd: number, name: string, info: SourceInfo, filters: FileFilters): Promise<ArtifactDraft> {
  const chunks: Buffer[] = [];
  let total = 0;
  let capped = false;
  for (;;) {
    ctx.signal?.throwIfAborted();
    const buffer = Buffer.alloc(UNSIZED_CHUNK);
    // Position null: the file's own offset, since some pseudo files ignore pread offsets.
    const n = await new Promise<number>((resolve, reject) => fs.read(fd, buffer, 0, buffer.length, null, (e, read) => (e ? reject(e) : resolve(read))));
    if (n === 0) break;
    chunks.push(buffer.subarray(0, n));
    total += n;
    if (total > filters.maxBytes) {
      capped = true;
      break;
    }
  }
  const staged = await ctx.store.tempPath();
  await fs.promises.writeFile(staged, Buffer.concat(chunks), { mode: 0o600 });
  const stagedFd = await openFile(staged, fs.constants.O_RDONLY);
  try {
    const st = await fstat(stagedFd);
    const draft = await copyOne(ctx, stagedFd, name, info, st, filters);
    const note = total === 0 ? null : `size reported as 0 (a /proc or /sys file): read until EOF, ${total}${capped ? '+' : ''} bytes`;
    return { ...draft, detail: [note, draft.detail].filter(Boolean).join('; ') || null };
  } finally {
    fs.close(stagedFd, () => undefined);
    await fs.promises.rm(staged, { force: true });
  }
}

function fstat(fd: number): Promise<fs.Stats> {
  return new Promise((resolve, reject) => fs.fstat(fd, (e, st) => (e ? reject(e) : resolve(st))));
}

async function copyOne(ctx: CollectionContext, fd: number, name: string, info: SourceInfo, st0: fs.Stats, filters: FileFilters): Promise<ArtifactDraft> {
  const filtering = isFiltering(filters);
  let binary = false;
  if (filtering) {
    const head = Buffer.alloc(Math.min(8192, st0.size));
    if (head.length > 0) await fsRead(fd, head, head.length, 0);
    binary = looksBinary(head);
  }
  // Whole-file and tail copies of big files bypass the page cache; filtered output does not.
  const direct = !(filtering && !binary && isLineFiltering(filters)) && Math.min(st0.size, filters.maxBytes) >= DEFER_SYNC_BELOW;
  const sink = await ctx.store.createSink(ctx.signal, { direct });
  let outcome: CopyOutcome;
  try {
    if (!filtering || binary) {
      const limit = Math.min(st0.size, filters.maxBytes);
      const r = await copyRange(fd, sink, 0, limit, (n) => ctx.progress(n), ctx.signal);
      outcome = { sourceBytes: r.bytesRead, derivation: null, sourceSha256: null, capped: st0.size > limit, binary: binary || looksBinary(r.head) };
    } else if (!isLineFiltering(filters) && filters.tail !== undefined) {
      const from = await findTailOffset(fd, st0.size, filters.tail);
      const limit = Math.min(st0.size - from, filters.maxBytes);
      const r = await copyRange(fd, sink, from, limit, (n) => ctx.progress(n), ctx.signal);
      outcome = {
        sourceBytes: r.bytesRead + from,
        derivation: { tail: filters.tail, fromOffset: from, sourceReadWhole: from === 0 && limit === st0.size },
        sourceSha256: null,
        capped: st0.size - from > limit,
        binary: false,
      };
    } else {
      outcome = { ...(await filterLines(ctx, fd, sink, st0.size, filters)), binary: false };
    }
  } catch (error) {
    await sink.abort();
    throw error;
  }
  const blob = await sink.finish();
  const st1 = await fstat(fd).catch(() => undefined);
  return draftFromCopy(name, info, st0, st1, filters, filtering, outcome, blob);
}

interface CopyOutcome {
  /** Source bytes read (from the start of the file for a tail). */
  readonly sourceBytes: number;
  readonly derivation: Derivation | null;
  readonly sourceSha256: string | null;
  readonly capped: boolean;
  readonly binary: boolean;
}

/** The artifact record of a finished copy: its status says whether the source held still. */
function draftFromCopy(
  name: string,
  info: SourceInfo,
  st0: StatLite,
  st1: StatLite | undefined,
  filters: FileFilters,
  filtering: boolean,
  outcome: CopyOutcome,
  blob: { readonly sha256: string; readonly size: number },
): ArtifactDraft {
  let status: ArtifactStatus = 'ok';
  let detail: string | null = null;
  const whole = outcome.derivation === null || outcome.derivation.sourceReadWhole;
  if (!st1 || st1.mtimeMs !== st0.mtimeMs || st1.size < st0.size || (whole && outcome.sourceBytes < Math.min(st0.size, filters.maxBytes))) {
    status = st1 && st1.size > st0.size ? 'grew-during-copy' : 'changed-during-copy';
    detail = `size ${st0.size} → ${st1?.size ?? '?'}, mtime ${info.mtime} → ${st1 ? new Date(st1.mtimeMs).toISOString() : '?'} while copying; ${outcome.sourceBytes} bytes read`;
  } else if (st1.size > st0.size) {
    status = 'grew-during-copy';
    detail = `grew from ${st0.size} to ${st1.size} bytes while copying; the first ${st0.size} were stored`;
  } else if (outcome.capped) {
    status = 'truncated-by-cap';
    detail = `stored ${blob.size} bytes: maxBytes is ${filters.maxBytes}`;
  } else if (filtering && outcome.binary) {
    status = 'binary';
    detail = 'binary content stored whole: line filters were not applied';
  }
  if (outcome.derivation && outcome.capped && status !== 'truncated-by-cap' && detail) detail += `; output capped at ${filters.maxBytes} bytes`;
  const derived = outcome.derivation !== null;
  return {
    name: derived ? name + filterSuffix(filters) : name,
    kind: derived ? 'derived' : 'file',
    status,
    detail,
    sha256: blob.sha256,
    size: blob.size,
    mediaType: outcome.binary ? 'application/octet-stream' : 'text/plain; charset=utf-8',
    binary: outcome.binary,
    source: info,
    // A plain copy of the whole file is the source's own hash.
    sourceSha256: outcome.sourceSha256 ?? (!derived && !outcome.capped ? blob.sha256 : derived && outcome.derivation?.sourceReadWhole ? blob.sha256 : null),
    derivation: outcome.derivation,
  };
}

/**
 * A plain copy of a small regular file on a copy worker. 'fallback' hands the file to the
 * streaming path (a symlink, a special file, or a file that turned out to be large).
 */
async function copyInWorker(
  ctx: CollectionContext,
  pool: SmallCopyPool,
  sourcePath: string,
  name: string,
  filters: FileFilters,
  seen: Set<string>,
): Promise<ArtifactDraft | null | 'fallback'> {
  let outcome: SmallCopyOutcome;
  try {
    outcome = await pool.copy({ source: sourcePath, tempPath: await ctx.store.tempPath(), blobRoot: ctx.store.blobRoot, maxBytes: filters.maxBytes });
  } catch (error) {
    // The pool broke (a worker died): this file, like every later one, is streamed here.
    ctx.signal?.throwIfAborted();
    return 'fallback';
  }
  switch (outcome.kind) {
    case 'fallback':
      return 'fallback';
    case 'failed': {
      const info = outcome.before ? sourceInfo(sourcePath, outcome.before, ctx.owners) : null;
      const status = outcome.stage === 'open' && outcome.code === 'ENOENT' ? 'vanished' : 'unreadable';
      const where = outcome.stage === 'open' ? 'on open' : outcome.stage === 'read' ? 'while reading' : 'while storing the copy';
      return record(name, 'file', status, info, `${outcome.code} ${where}`);
    }
    case 'copied': {
      const { before, after } = outcome;
      // The blob is in place either way; a second path to the same file adds no record.
      ctx.store.adopt(ctx.store.pathFor(outcome.sha256));
      const identity = `${before.dev}:${before.ino}`;
      if (seen.has(identity)) return null;
      seen.add(identity);
      ctx.progress(outcome.size);
      const capped = before.size > filters.maxBytes;
      const copy: CopyOutcome = { sourceBytes: outcome.size, derivation: null, sourceSha256: null, capped, binary: outcome.binary };
      return draftFromCopy(name, sourceInfo(sourcePath, before, ctx.owners), before, after ?? undefined, filters, false, copy, outcome);
    }
    default:
      return assertNever(outcome);
  }
}

/** What the line scan needs of the filters (remote collection uses it too). */
export function scanOptions(filters: FileFilters, now: number): LineScanOptions {
  return {
    ...(filters.grep ? { grep: filters.grep } : {}),
    ...(filters.since !== undefined ? { since: filters.since } : {}),
    ...(filters.until !== undefined ? { until: filters.until } : {}),
    ...(filters.level !== undefined ? { level: levelRank(filters.level) } : {}),
    now,
  };
}

/** Read slots shared with the hashing thread: one being read, one scanned, the rest hashing. */
const SCAN_SLOTS = 4;
/**
 * 4 MiB reads: each slot costs a read request on the thread pool, two messages to and from the
 * hashing thread and a few promises, and on two cores that work competes with the hash. The
 * bytes held stay ~20 MiB, and a cancel still waits for at most one slot (a few milliseconds).
 */
const SCAN_CHUNK = 4 << 20;
/**
 * The scanner is handed a slot 1 MiB at a time. A line longer than MAX_LINE is cut where the
 * read that took it past MAX_LINE ended (LineSplitter), and reads were 1 MiB when that was
 * what collections recorded: so a long line is still cut at the same offsets, whatever the
 * read size (issue 20: the recorded result must not change).
 */
export const LINE_CUT = 1 << 20;

/**
 * grep/since (and tail of their result): one forward pass. The source is hashed on a worker
 * thread while this thread scans the same bytes (scan/line-scan.ts: literals found with
 * Buffer.indexOf, RE2 only on the lines that hold one). `tuning` is for tests: small reads
 * put lines and matches across read boundaries, and workerHashMin picks the hashing thread.
 */
export async function filterLines(
  ctx: CollectionContext,
  fd: number,
  sink: StoreSink,
  size: number,
  filters: FileFilters,
  tuning: { readonly chunkSize?: number; readonly workerHashMin?: number; readonly hasher?: SlotHasher } = {},
): Promise<{ sourceBytes: number; derivation: Derivation; sourceSha256: string | null; capped: boolean }> {
  const chunkSize = tuning.chunkSize ?? SCAN_CHUNK;
  const cut = Math.min(chunkSize, LINE_CUT);
  const scanner = new LineScanner(scanOptions(filters, ctx.now()));
  // Buffer.indexOf costs about twice as much per call on SharedArrayBuffer memory (measured:
  // a newline search per line of a 256 MiB log, 229 ms against 131 ms read included), so a scan
  // that searches once per line reads a private copy of the slot (a memcpy: ~15 ms per 256 MiB).
  const scratch = scanner.visitsEveryLine ? new ArrayBuffer(chunkSize) : null;
  const ring = filters.tail !== undefined ? new LineRing(filters.tail) : undefined;
  let out: Buffer[] = [];
  let outLength = 0;
  let written = 0;
  let capped = false;
  let kept = 0;
  let reported = 0;
  const emit = async (line: Buffer, force = false): Promise<void> => {
    if (line.length > 0) {
      if (written + outLength + line.length > filters.maxBytes) capped = true;
      else {
        out.push(line);
        outLength += line.length;
      }
    }
    if (outLength >= OUT_FLUSH || (force && outLength > 0)) {
      const chunk = Buffer.concat(out);
      out = [];
      written += chunk.length;
      outLength = 0;
      await sink.write(chunk);
    }
  };
  const take = async (line: Buffer): Promise<void> => {
    kept++;
    if (ring) ring.push(line);
    else await emit(Buffer.from(line));
  };
  // Nothing between here and `try` throws: the hasher holds one of the process's hashing turns until closed.
  const hasher = tuning.hasher ?? (await acquireSlotHasher(SCAN_SLOTS, chunkSize, size, tuning.workerHashMin, ctx.signal));
  const slots = hasher.slots;
  // A slot is read into only after the worker has hashed what it held before.
  const hashed: Array<Promise<void>> = Array.from({ length: slots }, () => Promise.resolve());

  const read = (slot: number, at: number): Promise<number> => fsRead(fd, hasher.slot(slot), Math.min(chunkSize, size - at), at);
  let position = 0;
  let slot = 0;
  let pending: Promise<number> | null = size > 0 ? read(0, 0) : null;
  try {
    while (pending) {
      const n = await pending;
      pending = null;
      if (n === 0) break;
      const inSlot = hasher.slot(slot).subarray(0, n);
      // A new Buffer object per chunk either way: the scanners cache searches per buffer object.
      const chunk = scratch && inSlot.buffer instanceof SharedArrayBuffer ? Buffer.from(scratch, 0, n) : inSlot;
      if (chunk !== inSlot) chunk.set(inSlot);
      position += n;
      const done = hasher.hash(slot, n);
      done.catch(() => undefined); // awaited before the slot is reused; this only marks it handled
      hashed[slot] = done;
      const next = (slot + 1) % slots;
      if (position < size) {
        await untilAborted(hashed[next]!, ctx.signal);
        pending = read(next, position);
      }
      ctx.progress(n);
      for (let at = 0; at < n; at += cut) for (const line of scanner.push(n <= cut ? chunk : chunk.subarray(at, Math.min(n, at + cut)))) await take(line);
      ctx.matched?.(kept - reported);
      reported = kept;
      // Checked after every slot: a cancel stops the scan with at most one more slot read.
      ctx.signal?.throwIfAborted();
      slot = next;
    }
    for (const line of scanner.flush()) await take(line);
    ctx.matched?.(kept - reported);
    if (ring) for (const line of ring.drain()) await emit(line);
    await emit(Buffer.alloc(0), true);
    const readWhole = position === size;
    await Promise.all(hashed);
    const sourceSha256 = readWhole ? await hasher.digest() : null;
    return {
      sourceBytes: position,
      sourceSha256,
      capped,
      derivation: {
        ...(filters.tail !== undefined ? { tail: filters.tail } : {}),
        ...(filters.grep ? { grep: filters.grep.source } : {}),
        ...(filters.since !== undefined ? { since: new Date(filters.since).toISOString(), sinceMode: 'lines' as const } : {}),
        ...(filters.until !== undefined ? { until: new Date(filters.until).toISOString() } : {}),
        ...(filters.level !== undefined ? { level: filters.level } : {}),
        sourceReadWhole: readWhole,
        linesKept: ring ? Math.min(kept, filters.tail ?? kept) : kept,
      },
    };
  } finally {
    // The read in flight is one bounded slot; the hashing thread is not waited for after a cancel.
    if (pending) await pending.catch(() => 0);
    const closed = hasher.close();
    if (ctx.signal?.aborted) closed.catch(() => undefined);
    else await closed;
  }
}

/**
 * `p`, or the signal's reason as soon as it is aborted. Waiting for the hashing thread to hand
 * back a slot is the one wait in the scan with no bound (a worker still starting on a busy
 * machine, a slot mid-hash): a cancel must not sit behind it. The listener goes with the wait,
 * so a long scan adds none to the signal.
 */
function untilAborted(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
