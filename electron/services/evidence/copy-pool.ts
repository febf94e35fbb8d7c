import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { looksBinary } from './lines';
import { copySmallFile, type SmallCopyJob, type SmallCopyOutcome } from './small-copy';

/**
 * Files below this go through the workers whole; bigger ones stream on the main thread,
 * where bytes, not syscalls, are the cost. Each worker holds one buffer of this size.
 */
export const SMALL_FILE_MAX = 1 << 20;
/** Jobs queued per worker, so a worker never waits for the main thread between files. */
const QUEUE_PER_WORKER = 8;

// The worker runs `copySmallFile` (and `looksBinary`) from their source text: no bundler entry or file path to
// resolve, so the same code works in the app, the CLI, tsx and vitest. `__name` covers
// tools that wrap functions to keep their names (esbuild's keepNames, used by tsx).
const WORKER_SOURCE = `
const __name = (f) => f;
const fs = require('node:fs');
const crypto = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const copySmallFile = ${copySmallFile.toString()};
const looksBinary = ${looksBinary.toString()};
const deps = { fs, crypto, scratch: Buffer.allocUnsafe(workerData.scratchBytes), knownDirs: new Set(), looksBinary };
parentPort.on('message', ({ id, job }) => {
  // An exception here is a bug, not a file's problem: it ends the worker ('error'), and the
  // pool's callers stream their files on the main thread instead.
  parentPort.postMessage({ id, outcome: copySmallFile(job, deps) });
});
`;

interface Pending {
  readonly job: SmallCopyJob;
  readonly resolve: (outcome: SmallCopyOutcome) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A few worker threads copying and hashing small files for one collection. Started on the
 * first file, closed when the collection ends. A worker is added only when every running
 * one has QUEUE_PER_WORKER files queued, so a trickle of files uses one. If a worker dies,
 * its files and every later one are rejected (never left hanging): callers fall back to
 * streaming them on the main thread.
 */
export class SmallCopyPool {
  private readonly workers: Array<{ worker: Worker; inFlight: Map<number, Pending> }> = [];
  private readonly queue: Array<{ id: number } & Pending> = [];
  private nextId = 0;
  private broken: Error | null = null;
  private closed = false;

  constructor(private readonly size = defaultPoolSize()) {}

  copy(job: SmallCopyJob): Promise<SmallCopyOutcome> {
    if (this.closed) return Promise.reject(new Error('the copy pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.nextId, job, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const failure = new Error('the copy pool was closed');
    for (const p of this.queue.splice(0)) p.reject(failure);
    for (const { inFlight } of this.workers) {
      for (const p of inFlight.values()) p.reject(failure);
      inFlight.clear();
    }
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
    this.workers.length = 0;
  }

  private pump(): void {
    if (this.workers.length < this.size && this.workers.every((w) => w.inFlight.size >= QUEUE_PER_WORKER)) this.start();
    for (;;) {
      const next = this.queue[0];
      if (!next) return;
      const target = this.workers.reduce<(typeof this.workers)[number] | undefined>((best, w) => (!best || w.inFlight.size < best.inFlight.size ? w : best), undefined);
      if (!target || target.inFlight.size >= QUEUE_PER_WORKER) return;
      this.queue.shift();
      target.inFlight.set(next.id, next);
      target.worker.postMessage({ id: next.id, job: next.job });
    }
  }

  private start(): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { scratchBytes: SMALL_FILE_MAX },
      // A worker makes little garbage per file (a stat record, a few strings); V8's default
      // young generation would still grow to tens of MB each and show up as RSS.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
    });
    const entry = { worker, inFlight: new Map<number, Pending>() };
    this.workers.push(entry);
    worker.on('message', ({ id, outcome }: { id: number; outcome: SmallCopyOutcome }) => {
      const pending = entry.inFlight.get(id);
      entry.inFlight.delete(id);
      pending?.resolve(outcome);
      this.pump();
    });
    const fail = (error: Error): void => {
      this.broken ??= new Error(`a copy worker stopped: ${error.message}`);
      for (const p of entry.inFlight.values()) p.reject(this.broken);
      entry.inFlight.clear();
      for (const p of this.queue.splice(0)) p.reject(this.broken);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`exit code ${code}`));
    });
  }
}

function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}
