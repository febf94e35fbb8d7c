import crypto from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

// SHA-256 of a source on a second thread while the main thread scans the same bytes: the
// scan then costs (nearly) nothing beyond the hash, which is the floor. Chunks are read
// into slots of one SharedArrayBuffer, so nothing is copied between the threads; a slot is
// reused only after the worker said it hashed it. The worker is evaluated from source text
// (as copy-pool.ts does) so the app, the CLI, tsx and vitest run the same code.

const WORKER_SOURCE = `
const crypto = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const memory = Buffer.from(workerData.memory);
const size = workerData.slotSize;
let hash = crypto.createHash('sha256');
parentPort.on('message', (m) => {
  if (m.slot === -1) {
    parentPort.postMessage({ slot: -1, digest: hash.digest('hex') });
    hash = crypto.createHash('sha256'); // ready for the next source
    return;
  }
  hash.update(memory.subarray(m.slot * size, m.slot * size + m.length));
  parentPort.postMessage({ slot: m.slot });
});
`;

/** The hashing side of a scan: `slot(i)` buffers, `hash(i, n)` once bytes are in one. */
export interface SlotHasher {
  readonly slots: number;
  slot(index: number): Buffer;
  /** Hashes the first `length` bytes of a slot; resolves when the slot may be reused. */
  hash(index: number, length: number): Promise<void>;
  digest(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Below this a source is hashed on the main thread: starting a worker costs tens of
 * milliseconds, more than hashing a few MiB, and a preset with --grep filters thousands of
 * small logs.
 */
export const WORKER_HASH_MIN = 16 << 20;

/**
 * A hashing thread whose source was hashed to the end is kept for the next one this long:
 * starting a thread costs 30–40 ms, as much as hashing 50 MiB, and a collection of rotated
 * logs scans one big file after another. Parked, it does not keep the process alive.
 */
const PARK_MS = 5_000;
/** At most one parked thread (with its slots: 16 MiB at the scan's sizes). */
const parked: WorkerHasher[] = [];
let workersStarted = 0;

/** Hashing turns taken now (tests: never more than HASH_WORKERS_AT_ONCE). */
export function hashWorkersInUse(): number {
  return workersInUse;
}

/** How many hashing threads this process has started (tests: a parked one is reused). */
export function hashWorkersStarted(): number {
  return workersStarted;
}

/**
 * Hashing threads in use at once, in the whole process. A scan keeps two threads busy (the
 * one scanning and its hasher), so more scans than half the cores only add memory: slots
 * and an isolate each. A collection of 40 big logs (16 files at a time) peaked at 800 MB.
 */
export const HASH_WORKERS_AT_ONCE = Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2)));
let workersInUse = 0;
const waitingForWorker: Array<() => void> = [];

function releaseWorkerTurn(): void {
  const next = waitingForWorker.shift();
  if (next) next();
  else workersInUse--;
}

/** Resolves when a hashing thread may be used; rejects when `signal` aborts first. */
function workerTurn(signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  if (workersInUse < HASH_WORKERS_AT_ONCE) {
    workersInUse++;
    return Promise.resolve();
  }
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      waitingForWorker.splice(waitingForWorker.indexOf(granted), 1);
      reject(signal!.reason);
    };
    // The turn is handed over as it is: workersInUse stays the same.
    const granted = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    waitingForWorker.push(granted);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Hashes on a worker thread for big sources (waiting, cancellably, while HASH_WORKERS_AT_ONCE
 * are in use); on the main thread for small ones or if a worker cannot be started.
 */
export async function acquireSlotHasher(slots: number, slotSize: number, sourceSize: number, workerMin = WORKER_HASH_MIN, signal?: AbortSignal): Promise<SlotHasher> {
  if (sourceSize < workerMin) return new InlineHasher(slots, Math.max(1, Math.min(slotSize, sourceSize)));
  await workerTurn(signal);
  const reused = parked.findIndex((w) => w.fits(slots, slotSize));
  if (reused !== -1) return parked.splice(reused, 1)[0]!.unpark();
  try {
    return new WorkerHasher(slots, slotSize);
  } catch {
    releaseWorkerTurn();
    return new InlineHasher(slots, slotSize);
  }
}

class WorkerHasher implements SlotHasher {
  private readonly memory: SharedArrayBuffer;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (digest?: string) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  private closed = false;
  /** The digest was handed back with nothing in flight: the thread holds a fresh hash. */
  private finished = false;
  private parkTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly slots: number,
    private readonly slotSize: number,
  ) {
    workersStarted++;
    this.memory = new SharedArrayBuffer(slots * slotSize);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { memory: this.memory, slotSize },
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
    });
    this.worker.on('message', (m: { slot: number; digest?: string }) => {
      const w = this.waiting.get(m.slot);
      this.waiting.delete(m.slot);
      w?.resolve(m.digest);
    });
    const fail = (error: Error): void => {
      this.failure ??= new Error(`the hashing thread stopped: ${error.message}`);
      for (const w of this.waiting.values()) w.reject(this.failure);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`exit code ${code}`));
      const i = parked.indexOf(this);
      if (i !== -1) parked.splice(i, 1);
    });
  }

  fits(slots: number, slotSize: number): boolean {
    return this.slots === slots && this.slotSize === slotSize && !this.failure;
  }

  unpark(): this {
    if (this.parkTimer) clearTimeout(this.parkTimer);
    this.parkTimer = null;
    this.finished = false;
    this.worker.ref();
    return this;
  }

  slot(index: number): Buffer {
    return Buffer.from(this.memory, index * this.slotSize, this.slotSize);
  }

  hash(index: number, length: number): Promise<void> {
    return this.request(index, { slot: index, length }).then(() => undefined);
  }

  async digest(): Promise<string> {
    const digest = (await this.request(-1, { slot: -1 }))!;
    this.finished = this.waiting.size === 0;
    return digest;
  }

  private request(key: number, message: object): Promise<string | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      this.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    if (this.closed || parked.includes(this)) return;
    releaseWorkerTurn();
    // A cancelled or cut scan leaves slots in flight and a half-fed hash: that thread goes.
    if (this.finished && !this.failure && parked.length === 0) {
      this.worker.unref();
      this.parkTimer = setTimeout(() => {
        const i = parked.indexOf(this);
        if (i === -1) return;
        parked.splice(i, 1);
        this.closed = true;
        void this.worker.terminate();
      }, PARK_MS);
      this.parkTimer.unref();
      parked.push(this);
      return;
    }
    this.closed = true;
    await this.worker.terminate();
  }
}

class InlineHasher implements SlotHasher {
  private readonly buffers: Buffer[] = [];
  private readonly sha = crypto.createHash('sha256');
  constructor(
    readonly slots: number,
    private readonly slotSize: number,
  ) {}
  slot(index: number): Buffer {
    // Allocated when first used: a small file needs one.
    return (this.buffers[index] ??= Buffer.allocUnsafe(this.slotSize));
  }
  hash(index: number, length: number): Promise<void> {
    this.sha.update(this.buffers[index]!.subarray(0, length));
    return Promise.resolve();
  }
  digest(): Promise<string> {
    return Promise.resolve(this.sha.digest('hex'));
  }
  async close(): Promise<void> {}
}
