import type cryptoModule from 'node:crypto';
import type fsModule from 'node:fs';

// Copy + hash of one small regular file, done synchronously on a worker thread (see
// copy-pool.ts). With 10,000 small files the per-file cost is syscalls, not bytes: the
// async path pays a thread-pool hand-off and a promise for each of ~9 steps per file, and
// hashes on the main thread only. Here each file is one tight run of syscalls, and two
// workers hash at once.
//
// `copySmallFile` runs inside the worker from its source text (Function.prototype.toString),
// so it must not refer to anything outside its own body: modules and settings arrive as
// arguments. It is an ordinary function too, so tests call it directly.

/** The parts of fs.Stats a record needs; fs.Stats fits it. */
export interface StatLite {
  readonly dev: number;
  readonly ino: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface SmallCopyJob {
  readonly source: string;
  /** Where the copy is written before it is renamed to its content address. */
  readonly tempPath: string;
  /** `<store>/sha256`: the blob goes to `<blobRoot>/ab/cdef…`. */
  readonly blobRoot: string;
  /** Most bytes stored (the collection's maxBytes). */
  readonly maxBytes: number;
}

export type SmallCopyOutcome =
  | {
      readonly kind: 'copied';
      readonly sha256: string;
      readonly size: number;
      readonly blobPath: string;
      readonly deduplicated: boolean;
      readonly before: StatLite;
      /** Null when the second fstat failed. */
      readonly after: StatLite | null;
      /** Judged on the first 8 KiB (lines.ts `looksBinary`), here rather than by shipping them back. */
      readonly binary: boolean;
    }
  /** Not for this path (a symlink, not a regular file, too big): the async collector takes it. */
  | { readonly kind: 'fallback'; readonly reason: string }
  /** open/read/write failed; `stage` says which, `code` is the errno name. */
  | { readonly kind: 'failed'; readonly stage: 'open' | 'read' | 'store'; readonly code: string; readonly before: StatLite | null };

export interface SmallCopyDeps {
  readonly fs: typeof fsModule;
  readonly crypto: typeof cryptoModule;
  /** Holds a whole small file plus one byte (to see it grew); reused for every file. */
  readonly scratch: Buffer;
  /** Shard directories already created, so each is made once per worker. */
  readonly knownDirs: Set<string>;
  readonly looksBinary: (head: Buffer) => boolean;
}

export function copySmallFile(job: SmallCopyJob, deps: SmallCopyDeps): SmallCopyOutcome {
  const { fs, crypto, scratch, knownDirs, looksBinary } = deps;
  const code = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? 'EIO');
  const lite = (st: fsModule.Stats): StatLite => ({ dev: st.dev, ino: st.ino, mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, mtimeMs: st.mtimeMs });
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
  let fd: number;
  try {
    fd = fs.openSync(job.source, flags);
  } catch (error) {
    // A symlink (ELOOP) is the async collector's to judge against the requested roots.
    if (code(error) === 'ELOOP') return { kind: 'fallback', reason: 'symlink' };
    return { kind: 'failed', stage: 'open', code: code(error), before: null };
  }
  let before: StatLite | null = null;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { kind: 'fallback', reason: 'not a regular file' };
    before = lite(st);
    if (st.size >= scratch.length) return { kind: 'fallback', reason: 'large' };
    const limit = job.maxBytes < st.size ? job.maxBytes : scratch.length;
    let length = 0;
    try {
      for (;;) {
        const n = fs.readSync(fd, scratch, length, limit - length, length);
        if (n === 0) break;
        length += n;
        if (length >= limit) break;
      }
    } catch (error) {
      return { kind: 'failed', stage: 'read', code: code(error), before };
    }
    // It grew past what fits while being read: the streaming path copies it instead.
    if (length >= scratch.length) return { kind: 'fallback', reason: 'large' };
    const stored = Math.min(length, job.maxBytes);
    const data = scratch.subarray(0, stored);
    const sha256 = crypto.createHash('sha256').update(data).digest('hex');
    const dir = `${job.blobRoot}/${sha256.slice(0, 2)}`;
    const blobPath = `${dir}/${sha256.slice(2)}`;
    let deduplicated = false;
    try {
      if (fs.existsSync(blobPath)) deduplicated = true;
      else {
        // Created read-only: the descriptor may still write, nobody else can.
        const out = fs.openSync(job.tempPath, 'wx', 0o444);
        try {
          for (let written = 0; written < stored; ) written += fs.writeSync(out, data, written, stored - written, written);
        } finally {
          fs.closeSync(out);
        }
        if (!knownDirs.has(dir)) {
          fs.mkdirSync(dir, { recursive: true });
          knownDirs.add(dir);
        }
        fs.renameSync(job.tempPath, blobPath);
      }
    } catch (error) {
      try {
        fs.rmSync(job.tempPath, { force: true });
      } catch {
        // The temp file is swept at the next start.
      }
      return { kind: 'failed', stage: 'store', code: code(error), before };
    }
    let after: StatLite | null = null;
    try {
      after = lite(fs.fstatSync(fd));
    } catch {
      after = null;
    }
    return { kind: 'copied', sha256, size: stored, blobPath, deduplicated, before, after, binary: looksBinary(scratch.subarray(0, Math.min(length, 8192))) };
  } finally {
    fs.closeSync(fd);
  }
}
