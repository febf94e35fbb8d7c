import type cryptoModule from 'node:crypto';
import type fsModule from 'node:fs';
import type { StatLite } from './owners';

// Copy + hash of one small regular file, done synchronously on a worker thread (see
// copy-pool.ts). With 10,000 small files the per-file cost is syscalls, not bytes: the
// async path pays a thread-pool hand-off and a promise for each of ~9 steps per file, and
// hashes on the main thread only. Here each file is one tight run of syscalls, and the
// workers (copy-pool.ts) hash side by side.
//
// `copySmallFile` runs inside the worker from its source text (Function.prototype.toString),
// so it must not refer to anything outside its own body: modules and settings arrive as
// arguments. It is an ordinary function too, so tests call it directly.

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
      /** The blob was already there and could not be replaced (Windows): no new file. */
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
  const errno = (error: unknown): string | undefined => {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  };
  // Only system call failures become outcomes; anything else is a bug and must break the
  // pool loudly (the collector then streams the files itself) rather than mark files unreadable.
  const failed = (stage: 'open' | 'read' | 'store', error: unknown, before: StatLite | null): SmallCopyOutcome => {
    const code = errno(error);
    if (code === undefined) throw error;
    return { kind: 'failed', stage, code, before };
  };
  const lite = (st: fsModule.Stats): StatLite => ({ dev: st.dev, ino: st.ino, mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, mtimeMs: st.mtimeMs });
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
  let fd: number;
  try {
    fd = fs.openSync(job.source, flags);
  } catch (error) {
    // A symlink (ELOOP) is the async collector's to judge against the requested roots.
    if (errno(error) === 'ELOOP') return { kind: 'fallback', reason: 'symlink' };
    return failed('open', error, null);
  }
  let before: StatLite | null = null;
  try {
    let st: fsModule.Stats;
    try {
      st = fs.fstatSync(fd);
    } catch (error) {
      return failed('read', error, null);
    }
    if (!st.isFile()) return { kind: 'fallback', reason: 'not a regular file' };
    before = lite(st);
    if (st.size >= scratch.length) return { kind: 'fallback', reason: 'large' };
    // /proc and /sys report 0 and hold bytes: the streaming path reads those until EOF.
    if (st.size === 0) return { kind: 'fallback', reason: 'reports size 0' };
    // Exactly what the file held when it was opened (as the streaming path does): growth
    // after that shows in the second fstat and is reported, not silently stored.
    const limit = Math.min(st.size, job.maxBytes);
    let length = 0;
    try {
      while (length < limit) {
        const n = fs.readSync(fd, scratch, length, limit - length, length);
        if (n === 0) break;
        length += n;
      }
    } catch (error) {
      return failed('read', error, before);
    }
    const data = scratch.subarray(0, length);
    const sha256 = crypto.createHash('sha256').update(data).digest('hex');
    const dir = `${job.blobRoot}/${sha256.slice(0, 2)}`;
    const blobPath = `${dir}/${sha256.slice(2)}`;
    let deduplicated = false;
    try {
      // Always written and renamed into place, as ContentStore.commit does: an existing blob
      // may be a crash leftover that never reached the disk, and renaming over it replaces
      // it with bytes known to be right.
      const out = fs.openSync(job.tempPath, 'wx', 0o444);
      try {
        for (let written = 0; written < length; ) written += fs.writeSync(out, data, written, length - written, written);
      } finally {
        fs.closeSync(out);
      }
      if (!knownDirs.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        knownDirs.add(dir);
      }
      try {
        fs.renameSync(job.tempPath, blobPath);
      } catch (error) {
        // Windows will not replace a read-only file: the blob is there, with the same bytes.
        if (!fs.existsSync(blobPath)) throw error;
        fs.rmSync(job.tempPath, { force: true });
        deduplicated = true;
      }
    } catch (error) {
      try {
        fs.rmSync(job.tempPath, { force: true });
      } catch {
        // The temp file is swept at the next start.
      }
      return failed('store', error, before);
    }
    let after: StatLite | null = null;
    try {
      after = lite(fs.fstatSync(fd));
    } catch {
      after = null;
    }
    return { kind: 'copied', sha256, size: length, deduplicated, before, after, binary: looksBinary(scratch.subarray(0, Math.min(length, 8192))) };
  } finally {
    fs.closeSync(fd);
  }
}
