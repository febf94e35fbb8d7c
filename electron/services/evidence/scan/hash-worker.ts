import crypto from 'node:crypto';
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
const hash = crypto.createHash('sha256');
parentPort.on('message', (m) => {
  if (m.slot === -1) {
    parentPort.postMessage({ slot: -1, digest: hash.digest('hex') });
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

/** Hashes on a worker thread for big sources; on the main thread for small ones or if a worker cannot be started. */
export function createSlotHasher(slots: number, slotSize: number, sourceSize: number, workerMin = WORKER_HASH_MIN): SlotHasher {
  if (sourceSize < workerMin) return new InlineHasher(slots, Math.max(1, Math.min(slotSize, sourceSize)));
  try {
    return new WorkerHasher(slots, slotSize);
  } catch {
    return new InlineHasher(slots, slotSize);
  }
}

class WorkerHasher implements SlotHasher {
  private readonly memory: SharedArrayBuffer;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (digest?: string) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  private closed = false;

  constructor(
    readonly slots: number,
    private readonly slotSize: number,
  ) {
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
    });
  }

  slot(index: number): Buffer {
    return Buffer.from(this.memory, index * this.slotSize, this.slotSize);
  }

  hash(index: number, length: number): Promise<void> {
    return this.request(index, { slot: index, length }).then(() => undefined);
  }

  async digest(): Promise<string> {
    return (await this.request(-1, { slot: -1 }))!;
  }

  private request(key: number, message: object): Promise<string | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      this.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
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
