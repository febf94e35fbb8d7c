import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BufferPool, CHUNK_SIZE, DIRECT_ALIGN, isDirectWritable } from './chunk-buffers';

/** Writes allowed in flight per sink; together with the read-ahead this bounds memory to a few MiB. */
const MAX_IN_FLIGHT = 4;
/**
 * Start writeback every 64 MiB of buffered writes instead of leaving a whole file's dirty
 * pages for the final fsync: the disk then works while we hash, and the closing fsync has
 * little left to do. (Direct writes are on the device already.)
 */
const SYNC_EVERY = 64 << 20;
/** Not on Windows or macOS; there every write is buffered. */
const O_DIRECT: number | undefined = (fs.constants as Record<string, number | undefined>).O_DIRECT;

const PART_SUFFIX = '.part';
/**
 * Blobs smaller than this are made durable by the batch barrier instead of their own fsync;
 * blobs of at least this size are worth writing with O_DIRECT (see `createSink`).
 */
export const DEFER_SYNC_BELOW = 8 << 20;
/** Temp names: pid (for crash cleanup), a per-process random prefix, a counter. */
const TEMP_PREFIX = crypto.randomBytes(6).toString('hex');
let tempCounter = 0;

export function fsRead(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.read(fd, buffer, 0, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
  );
}

function fsWriteAll(fd: number, buffer: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      fs.write(fd, buffer, offset, buffer.length - offset, position + offset, (error, written) => {
        if (error) return reject(error);
        if (offset + written >= buffer.length) return resolve();
        step(offset + written);
      });
    };
    step(0);
  });
}

export function openFile(file: string, flags: string | number, mode?: number): Promise<number> {
  return new Promise((resolve, reject) => fs.open(file, flags, mode, (error, fd) => (error ? reject(error) : resolve(fd))));
}

const promisify0 =
  (fn: (fd: number, cb: (error: NodeJS.ErrnoException | null) => void) => void) =>
  (fd: number): Promise<void> =>
    new Promise((resolve, reject) => fn(fd, (error) => (error ? reject(error) : resolve())));
const fdatasync = promisify0(fs.fdatasync);
const fsync = promisify0(fs.fsync);
const close = promisify0(fs.close);
const fchmod = (fd: number, mode: number): Promise<void> => new Promise((resolve, reject) => fs.fchmod(fd, mode, (error) => (error ? reject(error) : resolve())));

let syncfsWorks: boolean | undefined = process.platform === 'linux' ? undefined : false;

/**
 * A barrier with at most this many blobs fsyncs them in this process. syncfs(2) is one
 * flush for 10,000 files, but it costs a child process (a fork of this one, with its heap)
 * and waits for every dirty page of the file system, other programs' too: for the one blob
 * of a filtered log that is tens of milliseconds, and more while something else writes.
 */
export const SYNCFS_ABOVE = 32;

/** syncfs(2) through coreutils `sync -f` (Node has no binding): one flush for a whole batch. */
function syncFileSystem(anyPath: string): Promise<boolean> {
  if (syncfsWorks === false) return Promise.resolve(false);
  return new Promise((resolve) =>
    execFile('sync', ['-f', anyPath], { timeout: 120_000 }, (error) => {
      syncfsWorks = !error;
      resolve(!error);
    }),
  );
}

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
  readonly path: string;
  /** The same content was already in the store; the new copy was dropped. */
  readonly deduplicated: boolean;
}

/**
 * Content-addressed store for one incident: `<root>/sha256/ab/cdef…`. Blobs are written to
 * `<root>/tmp/<pid>-<random>.part` on the same file system, fsynced, made read-only and
 * renamed into place, so a blob path either holds complete content or does not exist.
 */
export class ContentStore {
  private readonly knownDirs = new Set<string>();
  private readonly dirtyDirs = new Set<string>();
  private readonly unsynced: string[] = [];
  private barriers: Promise<void> = Promise.resolve();

  constructor(
    readonly root: string,
    /** How a big batch is flushed at once; false: it could not be, fsync each file instead. */
    private readonly flushFileSystem: (anyPath: string) => Promise<boolean> = syncFileSystem,
  ) {}

  get tmpDir(): string {
    return path.join(this.root, 'tmp');
  }

  pathFor(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 digest: ${sha256}`);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2));
  }

  /** `<root>/sha256`, under which blobs live in two-hex-digit shards. */
  get blobRoot(): string {
    return path.join(this.root, 'sha256');
  }

  /** A fresh temp path (named so `cleanTemp` can tell whose it is) in an existing tmp dir. */
  async tempPath(): Promise<string> {
    await this.ensureDir(this.tmpDir);
    return path.join(this.tmpDir, `${process.pid}-${TEMP_PREFIX}-${++tempCounter}${PART_SUFFIX}`);
  }

  /**
   * A blob put in place by someone else (a copy worker) the same way `commit` would: its
   * data and directory entry are made durable by the next barrier. Also when the worker
   * found it already there: another worker may have renamed it a moment ago, with its own
   * adopt still on the way.
   */
  adopt(blobPath: string): void {
    this.dirtyDirs.add(path.dirname(blobPath));
    this.unsynced.push(blobPath);
  }

  /**
   * `direct`: for big blobs, also open the file with O_DIRECT, so whole aligned chunks go
   * from the read buffer to the device without passing through the page cache. That keeps
   * a gigabyte of evidence from evicting the working set of a machine in trouble, and on a
   * VM where fresh page-cache memory is slow to come by it is also the faster way to disk.
   */
  async createSink(signal?: AbortSignal, options: { readonly direct?: boolean } = {}): Promise<StoreSink> {
    const tempPath = await this.tempPath();
    const direct = options.direct === true && O_DIRECT !== undefined;
    // Created read-only (0444): the descriptor we hold may still write, nobody else can, and
    // no separate chmod is needed (one syscall less per file counts with 10,000 files). A
    // direct sink opens the file a second time, so it starts 0600 and is made 0444 at the end.
    const fd = await openFile(tempPath, 'wx', direct ? 0o600 : 0o444);
    let directFd: number | null = null;
    if (direct) directFd = await openFile(tempPath, fs.constants.O_WRONLY | (O_DIRECT as number)).catch(() => null); // e.g. tmpfs
    return new StoreSink(this, fd, tempPath, signal, { directFd, makeReadOnly: direct });
  }

  /** Stores a small in-memory value (snapshots, listings) through the same path as files. */
  async putBuffer(data: Buffer | string): Promise<StoredBlob> {
    const sink = await this.createSink();
    try {
      const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let offset = 0; offset < buffer.length; offset += CHUNK_SIZE) await sink.write(buffer.subarray(offset, offset + CHUNK_SIZE));
      return await sink.finish();
    } catch (error) {
      await sink.abort();
      throw error;
    }
  }

  /** @internal Moves a finished temp file to its content address. */
  async commit(tempPath: string, sha256: string): Promise<{ path: string; deduplicated: boolean }> {
    const target = this.pathFor(sha256);
    const dir = path.dirname(target);
    await this.ensureDir(dir);
    try {
      // Renaming over an existing blob replaces it with identical bytes (same hash), so no
      // existence check first; Windows refuses to replace the read-only file instead.
      await fs.promises.rename(tempPath, target);
    } catch (error) {
      if (!fs.existsSync(target)) throw error;
      await fs.promises.rm(tempPath, { force: true });
      return { path: target, deduplicated: true };
    }
    this.dirtyDirs.add(dir);
    return { path: target, deduplicated: false };
  }

  /**
   * Durability barrier, called before artifact rows are committed, so a committed row never
   * names a blob a power cut could take back. Small blobs were not fsynced one by one (with
   * 10,000 files each fsync is a journal commit and a disk flush): on Linux one syncfs(2)
   * (`sync -f`) flushes more than SYNCFS_ABOVE of them with the renames; a few, or where
   * syncfs is missing, are fsynced here, in parallel, and the touched shard directories after them.
   */
  barrier(): Promise<void> {
    // One at a time: a barrier that finds its files already taken by a running one (another
    // collection on the same incident) must not return before that one is done.
    const run = this.barriers.then(() => this.flushUnsynced());
    this.barriers = run.catch(() => undefined);
    return run;
  }

  private async flushUnsynced(): Promise<void> {
    const files = this.unsynced.splice(0);
    const dirs = [...this.dirtyDirs];
    this.dirtyDirs.clear();
    if (files.length === 0 && dirs.length === 0) return;
    if (files.length > SYNCFS_ABOVE && (await this.flushFileSystem(this.root))) return;
    await inParallel(files, 8, async (file) => {
      const handle = await fs.promises.open(file, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    await inParallel(dirs, 8, async (dir) => {
      try {
        const handle = await fs.promises.open(dir, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch {
        // Windows cannot open a directory for fsync; NTFS journals the rename itself.
      }
    });
  }

  /** @internal A blob renamed into place whose data is not yet known to be on disk. */
  deferSync(file: string): void {
    this.unsynced.push(file);
  }

  /**
   * Removes temp files left by processes that are no longer running (a crash mid-copy).
   * Files of live processes are left alone: the CLI may be collecting while the app starts.
   */
  async cleanTemp(isAlive: (pid: number) => boolean): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.tmpDir);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      if (!name.endsWith(PART_SUFFIX)) continue;
      const pid = Number(name.split('-')[0]);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
      const file = path.join(this.tmpDir, name);
      await fs.promises.rm(file, { force: true });
      removed.push(file);
    }
    return removed;
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    await fs.promises.mkdir(dir, { recursive: true });
    this.knownDirs.add(dir);
  }
}

/**
 * One blob being written. `write` hashes the chunk synchronously and queues its write
 * without waiting for it, so hashing the next chunk overlaps the write of this one
 * (writes run on libuv's thread pool). At most MAX_IN_FLIGHT writes are queued.
 */
export class StoreSink {
  private readonly hash = crypto.createHash('sha256');
  private readonly inFlight: Promise<void>[] = [];
  private readonly syncs: Promise<void>[] = [];
  private readonly makeReadOnly: boolean;
  /** O_DIRECT descriptor of the same file, or null (not asked for, not supported, or refused a write). */
  private directFd: number | null;
  private directUsable: boolean;
  private position = 0;
  private bufferedSinceSync = 0;
  private syncing = false;
  private failure: unknown;
  private closed = false;
  private sealedSha256: string | null = null;

  constructor(
    private readonly store: ContentStore,
    private readonly fd: number,
    readonly tempPath: string,
    private readonly signal?: AbortSignal,
    options: { readonly directFd?: number | null; readonly makeReadOnly?: boolean } = {},
  ) {
    this.directFd = options.directFd ?? null;
    this.directUsable = this.directFd !== null;
    this.makeReadOnly = options.makeReadOnly ?? false;
  }

  get bytesWritten(): number {
    return this.position;
  }

  /** `release` is called once the chunk's bytes are on their way to disk and the buffer may be reused. */
  async write(chunk: Buffer, release?: () => void): Promise<void> {
    if (this.failure || this.signal?.aborted) {
      // The caller's buffer goes back to its pool even when the chunk is refused.
      release?.();
      if (this.failure) throw this.failure;
      this.signal?.throwIfAborted();
    }
    this.hash.update(chunk);
    const position = this.position;
    this.position += chunk.length;
    // Whole aligned chunks go direct; a short last chunk (or any unaligned write) is buffered.
    const direct = this.directUsable && this.directFd !== null && position % DIRECT_ALIGN === 0 && isDirectWritable(chunk);
    if (!direct) this.bufferedSinceSync += chunk.length;
    const written = direct
      ? fsWriteAll(this.directFd as number, chunk, position).catch((error: unknown) => {
          // A device wanting a larger alignment than 4 KiB says EINVAL: go buffered from here on.
          if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
          this.directUsable = false;
          this.bufferedSinceSync += chunk.length;
          return fsWriteAll(this.fd, chunk, position);
        })
      : fsWriteAll(this.fd, chunk, position);
    this.inFlight.push(
      written.then(
        () => release?.(),
        (error: unknown) => {
          this.failure ??= error;
          release?.();
        },
      ),
    );
    if (this.bufferedSinceSync >= SYNC_EVERY && !this.syncing) {
      this.bufferedSinceSync = 0;
      // Not awaited: it only has to be done before finish(). Never more than one at a time:
      // each blocks a libuv thread until the disk is done, and stacked ones would leave no
      // thread for the reads and writes that hashing waits on.
      this.syncing = true;
      this.syncs.push(
        fdatasync(this.fd)
          .catch(() => undefined)
          .finally(() => (this.syncing = false)),
      );
    }
    while (this.inFlight.length >= MAX_IN_FLIGHT) await this.inFlight.shift();
    if (this.failure) throw this.failure;
  }

  /** SHA-256 of every byte written so far, without ending the sink (to check it against another hash before committing). */
  sha256SoFar(): string {
    return this.sealedSha256 ?? this.hash.copy().digest('hex');
  }

  /**
   * Ends the writing: the temp file complete and closed, its hash known, but not yet moved
   * into the store. A sink that must wait before it may commit (a batch member waiting for
   * the server's hash) then holds no descriptor. `finish` commits it, `abort` removes it.
   */
  async seal(): Promise<void> {
    if (this.sealedSha256 !== null) return;
    await this.drain();
    if (this.failure) {
      await this.abort();
      throw this.failure;
    }
    if (this.makeReadOnly) await fchmod(this.fd, 0o444);
    // Big blobs are fsynced now: one fsync covers the file whichever descriptor wrote it
    // (buffered writeback has been running since the first 64 MiB, direct data is on the
    // device and needs only its cache flushed). Small ones wait for the batch barrier.
    if (this.position >= DEFER_SYNC_BELOW) await fsync(this.fd);
    await this.closeAll();
    this.sealedSha256 = this.hash.digest('hex');
  }

  async finish(): Promise<StoredBlob> {
    await this.seal();
    const sha256 = this.sealedSha256!;
    const deferred = this.position < DEFER_SYNC_BELOW;
    const { path: blobPath, deduplicated } = await this.store.commit(this.tempPath, sha256);
    if (deferred && !deduplicated) this.store.deferSync(blobPath);
    return { sha256, size: this.position, path: blobPath, deduplicated };
  }

  async abort(): Promise<void> {
    await this.drain();
    await this.closeAll().catch(() => undefined);
    await fs.promises.rm(this.tempPath, { force: true });
  }

  private async closeAll(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.directFd !== null) await close(this.directFd).catch(() => undefined);
    await close(this.fd);
  }

  private async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight.shift();
    await Promise.all(this.syncs);
  }
}

export interface CopyRangeResult {
  readonly bytesRead: number;
  /** The first bytes of the source (up to 8 KiB), for binary detection, without a second read. */
  readonly head: Buffer;
}

/**
 * Copies `[start, start+limit)` of an open file into a sink in one pass. The next read is
 * issued before the current chunk is hashed, and writes are not awaited, so read, hash
 * and write of neighbouring chunks run at the same time with a fixed set of buffers.
 */
export async function copyRange(
  fd: number,
  sink: StoreSink,
  start: number,
  limit: number,
  onChunk?: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<CopyRangeResult> {
  // A file of one chunk needs two buffers (one spare for a short read); big files get the full pipeline.
  const chunks = Math.ceil(limit / CHUNK_SIZE);
  const pool = new BufferPool(Math.min(chunks + 1, MAX_IN_FLIGHT + 2));
  let head = Buffer.alloc(0);
  let position = start;
  let remaining = limit;
  let total = 0;
  let buffer = await pool.acquire();
  let pending: Promise<number> | null = remaining > 0 ? fsRead(fd, buffer, Math.min(CHUNK_SIZE, remaining), position) : null;
  // Whether `buffer` is ours (being read into) rather than handed to the sink.
  let holding = true;
  try {
    while (pending) {
      signal?.throwIfAborted();
      const n = await pending;
      if (n === 0) {
        pending = null;
        break;
      }
      const current = buffer;
      holding = false;
      position += n;
      remaining -= n;
      total += n;
      if (head.length === 0) head = Buffer.from(current.subarray(0, Math.min(n, 8192)));
      if (remaining > 0) {
        buffer = await pool.acquire();
        holding = true;
        pending = fsRead(fd, buffer, Math.min(CHUNK_SIZE, remaining), position);
      } else {
        pending = null;
      }
      // sink.write releases `current` once written, or at once if it refuses (abort, failure).
      await sink.write(current.subarray(0, n), () => pool.release(current));
      onChunk?.(n);
    }
  } finally {
    // Never leave a read outstanding on a descriptor the caller is about to close.
    if (pending) await pending.catch(() => 0);
    if (holding) pool.release(buffer);
    void pool.dispose();
  }
  return { bytesRead: total, head };
}
