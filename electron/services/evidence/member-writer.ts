import crypto from 'node:crypto';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ContentStore, StoredBlob } from './cas';

// The members of a remote batch (files under 1 MiB arriving one after another in a tar
// stream) are written to the store by one worker thread. Through StoreSink each member cost
// five or six thread-pool hand-offs (open, a write per 64 KiB of the stream, close, rename),
// each a promise and a thread wake-up on the main thread, which also reads four ssh pipes:
// with 10,000 files that was a quarter of its time, and while it was busy the sessions'
// pipes filled. Here the main thread hashes each chunk and copies it into a slot of shared
// memory; the worker writes the whole member in one run of syscalls (open, write, close) and
// renames it into place once it is vouched for. The worker does no hashing: what it writes
// is the slot the main thread hashed, untouched until the write is done.

/** The biggest member this path takes (bigger ones, e.g. a file that grew since the listing, go through StoreSink). */
export const MEMBER_MAX = 1 << 20;
/** Slots of shared memory: one per batch being received (at most the sessions at once, 4). */
const SLOTS = 4;

// Evaluated from source text (as copy-pool.ts), so the app, the CLI, tsx and vitest share it.
const WORKER_SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const memory = Buffer.from(workerData.memory);
const knownDirs = new Set();
function run(m) {
  switch (m.op) {
    case 'write': {
      // Created read-only (0444) as StoreSink does; a partial file never stays behind.
      const fd = fs.openSync(m.tempPath, 'wx', 0o444);
      try {
        for (let done = 0; done < m.length; ) done += fs.writeSync(fd, memory, m.offset + done, m.length - done, done);
      } catch (error) {
        fs.closeSync(fd);
        fs.rmSync(m.tempPath, { force: true });
        throw error;
      }
      fs.closeSync(fd);
      return false;
    }
    case 'commit': {
      const dir = path.dirname(m.target);
      if (!knownDirs.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        knownDirs.add(dir);
      }
      try {
        // Renaming over an existing blob replaces it with identical bytes (same hash), as ContentStore.commit.
        fs.renameSync(m.tempPath, m.target);
        return false;
      } catch (error) {
        if (!fs.existsSync(m.target)) throw error;
        fs.rmSync(m.tempPath, { force: true });
        return true;
      }
    }
    case 'remove':
      fs.rmSync(m.tempPath, { force: true });
      return false;
  }
  throw new Error('unknown operation ' + m.op);
}
parentPort.on('message', (jobs) => {
  parentPort.postMessage(
    jobs.map((m) => {
      try {
        return { id: m.id, deduplicated: run(m) };
      } catch (error) {
        return { id: m.id, error: { message: String(error && error.message), code: error && error.code } };
      }
    }),
  );
});
`;

type Job = { readonly op: 'write'; readonly tempPath: string; readonly offset: number; readonly length: number } | { readonly op: 'commit'; readonly tempPath: string; readonly target: string } | { readonly op: 'remove'; readonly tempPath: string };

interface Reply {
  readonly id: number;
  readonly deduplicated?: boolean;
  readonly error?: { readonly message: string; readonly code?: string };
}

/** The worker and its slots for one collection: started on the first member, closed with the collection. */
export class MemberWriter {
  private worker: Worker | null = null;
  /** Allocated with the first member: a collection without batches (one big file) never pays for it. */
  private memory: SharedArrayBuffer | null = null;
  private readonly freeSlots = Array.from({ length: SLOTS }, (_, i) => i);
  private readonly slotWaiters: Array<(slot: number) => void> = [];
  private readonly pending = new Map<number, { resolve: (deduplicated: boolean) => void; reject: (error: Error) => void }>();
  private queued: Array<{ readonly id: number } & Job> = [];
  private nextId = 0;
  private broken: Error | null = null;
  private closed = false;

  constructor(private readonly store: ContentStore) {}

  /** A sink for one member of `size` bytes (at most MEMBER_MAX). */
  async sink(size: number, signal?: AbortSignal): Promise<MemberSink> {
    if (size > MEMBER_MAX) throw new Error(`a member of ${size} bytes is over ${MEMBER_MAX}`);
    const slot = await this.acquire();
    try {
      this.memory ??= new SharedArrayBuffer(SLOTS * MEMBER_MAX);
      return new MemberSink(this, this.store, slot, Buffer.from(this.memory, slot * MEMBER_MAX, size), await this.store.tempPath(), signal);
    } catch (error) {
      this.release(slot);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.fail(new Error('the member writer was closed'));
    await this.worker?.terminate();
    this.worker = null;
  }

  /** @internal */
  run(job: Job): Promise<boolean> {
    if (this.broken) return Promise.reject(this.broken);
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Jobs asked for in the same turn (a group of members committed together) go as one message.
      if (this.queued.push({ id, ...job }) === 1) {
        queueMicrotask(() => {
          const jobs = this.queued;
          this.queued = [];
          if (!this.broken) worker.postMessage(jobs);
        });
      }
    });
  }

  /** @internal */
  release(slot: number): void {
    const waiter = this.slotWaiters.shift();
    if (waiter) waiter(slot);
    else this.freeSlots.push(slot);
  }

  private acquire(): Promise<number> {
    const slot = this.freeSlots.pop();
    return slot !== undefined ? Promise.resolve(slot) : new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { memory: (this.memory ??= new SharedArrayBuffer(SLOTS * MEMBER_MAX)) },
      // It makes almost no garbage (a message per member); V8's default young generation would still show up as RSS.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    worker.on('message', (replies: readonly Reply[]) => {
      for (const reply of replies) {
        const p = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (!p) continue;
        if (reply.error) p.reject(Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {}));
        else p.resolve(reply.deduplicated === true);
      }
    });
    worker.on('error', (error) => this.fail(new Error(`the member writer stopped: ${error.message}`)));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`the member writer stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const p of this.pending.values()) p.reject(this.broken);
    this.pending.clear();
  }
}

/**
 * One member: bytes hashed and copied into its slot as they arrive; `seal` has the worker
 * write the temp file (complete, closed, read-only) and frees the slot; `finish` renames it to
 * its content address (made durable by the store's next barrier, as StoreSink's small blobs);
 * `abort` removes whatever exists. Until sealed nothing is on disk, so a cut stream leaves nothing.
 */
export class MemberSink {
  private readonly hash = crypto.createHash('sha256');
  private position = 0;
  private slotHeld = true;
  /** A temp file may exist (its write was started and it is not yet renamed away). */
  private onDisk = false;
  private sealedSha256: string | null = null;

  constructor(
    private readonly writer: MemberWriter,
    private readonly store: ContentStore,
    private readonly slot: number,
    private readonly buffer: Buffer,
    readonly tempPath: string,
    private readonly signal?: AbortSignal,
  ) {}

  get bytesWritten(): number {
    return this.position;
  }

  async write(chunk: Buffer): Promise<void> {
    this.signal?.throwIfAborted();
    if (this.sealedSha256 !== null || !this.slotHeld) throw new Error('write after the member was sealed');
    if (this.position + chunk.length > this.buffer.length) throw new Error(`the member is longer than its ${this.buffer.length} bytes`);
    this.hash.update(chunk);
    chunk.copy(this.buffer, this.position);
    this.position += chunk.length;
  }

  sha256SoFar(): string {
    return this.sealedSha256 ?? this.hash.copy().digest('hex');
  }

  async seal(): Promise<void> {
    if (this.sealedSha256 !== null) return;
    this.onDisk = true;
    try {
      await this.writer.run({ op: 'write', tempPath: this.tempPath, offset: this.slot * MEMBER_MAX, length: this.position });
    } finally {
      this.freeSlot();
    }
    this.sealedSha256 = this.hash.digest('hex');
  }

  async finish(): Promise<StoredBlob> {
    await this.seal();
    const sha256 = this.sealedSha256!;
    const blobPath = this.store.pathFor(sha256);
    const deduplicated = await this.writer.run({ op: 'commit', tempPath: this.tempPath, target: blobPath });
    this.onDisk = false;
    if (!deduplicated) this.store.adopt(blobPath);
    return { sha256, size: this.position, path: blobPath, deduplicated };
  }

  async abort(): Promise<void> {
    this.freeSlot();
    if (!this.onDisk) return;
    this.onDisk = false;
    // A writer that stopped cannot remove it: then this thread does.
    await this.writer.run({ op: 'remove', tempPath: this.tempPath }).catch(() => fs.promises.rm(this.tempPath, { force: true }));
  }

  private freeSlot(): void {
    if (!this.slotHeld) return;
    this.slotHeld = false;
    this.writer.release(this.slot);
  }
}
