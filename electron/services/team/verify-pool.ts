import { availableParallelism } from 'node:os';
import { verify, type KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { publicKeyObject } from './keys';

// Ed25519 verification is most of a catch-up's cost (~0.12 ms an entry, 1.2 s of 1.7 s for
// 10,000 in a profile); it needs nothing from the database, so big batches are verified on
// worker threads while the main thread merges the batch before. Small batches (live sync:
// a few entries) stay on the main thread, where a round trip to a worker would only add lag.
// The worker is evaluated from source text (as evidence/copy-pool.ts does) so the app, the
// CLI, tsx and vitest run the same code.

const WORKER_SOURCE = `
const crypto = require('node:crypto');
const { parentPort } = require('node:worker_threads');
const keys = new Map();
parentPort.on('message', (m) => {
  const out = new Uint8Array(m.items.length);
  for (let i = 0; i < m.items.length; i++) {
    const [publicKey, hash, signature] = m.items[i];
    try {
      let key = keys.get(publicKey);
      if (!key) keys.set(publicKey, (key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' })));
      out[i] = crypto.verify(null, Buffer.from(hash, 'utf8'), key, Buffer.from(signature, 'base64')) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  parentPort.postMessage({ id: m.id, out }, [out.buffer]);
});
`;

/** One signature to check: the device's raw public key (base64url), the signed hash, the signature (base64). */
export type SignatureCheck = readonly [publicKey: string, deviceHash: string, signature: string];

/** Below this many signatures a batch is verified inline. */
export const WORKER_VERIFY_MIN = 256;

export function verifyInline(items: readonly SignatureCheck[], cache = new Map<string, KeyObject>()): boolean[] {
  return items.map(([publicKey, hash, signature]) => {
    try {
      let key = cache.get(publicKey);
      if (!key) cache.set(publicKey, (key = publicKeyObject(publicKey)));
      return verify(null, Buffer.from(hash, 'utf8'), key, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  });
}

/**
 * A few worker threads, started on first use and kept until `close` (TeamSync.stop). A worker
 * that fails takes its pending batches with it; they are then verified inline, so a broken
 * thread costs time, never a wrong verdict.
 */
export class VerifyPool {
  private workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (out: boolean[]) => void; items: readonly SignatureCheck[]; worker: Worker }>();
  private nextId = 0;
  private turn = 0;
  private disabled = false;

  constructor(
    private readonly size = Math.max(1, Math.min(4, availableParallelism())),
    private readonly workerMin = WORKER_VERIFY_MIN,
  ) {}

  /** Verdicts in the order of `items`; chunks are spread over the workers. */
  async verifyMany(items: readonly SignatureCheck[]): Promise<boolean[]> {
    if (items.length < this.workerMin || this.disabled || this.size === 0) return verifyInline(items);
    const pool = this.start();
    if (pool.length === 0) return verifyInline(items);
    const chunk = Math.ceil(items.length / pool.length);
    const parts: Promise<boolean[]>[] = [];
    for (let i = 0; i < items.length; i += chunk) parts.push(this.post(items.slice(i, i + chunk)));
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private start(): Worker[] {
    if (this.workers.length > 0) return this.workers;
    try {
      for (let i = 0; i < this.size; i++) this.workers.push(this.spawn());
    } catch {
      this.disabled = true; // no threads here (a sandbox): inline from now on
      void this.close();
    }
    return this.workers;
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 } });
    worker.unref(); // an idle worker never keeps a CLI process alive; `post` refs it while it works
    worker.on('message', (m: { id: number; out: Uint8Array }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (![...this.waiting.values()].some((x) => x.worker === worker)) worker.unref();
      w?.resolve(Array.from(m.out, (v) => v === 1));
    });
    const fail = (): void => {
      this.workers = this.workers.filter((x) => x !== worker);
      for (const [id, w] of this.waiting) {
        if (w.worker !== worker) continue;
        this.waiting.delete(id);
        w.resolve(verifyInline(w.items));
      }
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    return worker;
  }

  private post(items: readonly SignatureCheck[]): Promise<boolean[]> {
    const worker = this.workers[this.turn++ % this.workers.length]!;
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, { resolve, items, worker });
      worker.ref();
      worker.postMessage({ id, items });
    });
  }
}
