import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreSink } from '../../../../../electron/services/evidence/cas';
import type { CollectionContext } from '../../../../../electron/services/evidence/context';
import { filterLines, toFilters } from '../../../../../electron/services/evidence/files';
import { HASH_WORKERS_AT_ONCE, hashWorkersInUse, hashWorkersStarted } from '../../../../../electron/services/evidence/scan/hash-worker';
import { write } from '../helpers';

// A collection of rotated logs scans one big file after another; starting a hashing thread
// costs as much as hashing tens of MiB, so a thread whose source was hashed to the end is
// kept (parked, not keeping the process alive) for the next one. One that was cancelled
// mid-source holds a half-fed hash and is never reused.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-hash-worker-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (data: Buffer): string => crypto.createHash('sha256').update(data).digest('hex');
const source = (tag: string): Buffer => Buffer.from(Array.from({ length: 20_000 }, (_, i) => `2026-11-23T10:00:00.000Z ${i % 40 === 0 ? 'ERROR' : 'INFO'} ${tag} ${i}\n`).join(''));

async function scan(data: Buffer, signal?: AbortSignal, onProgress?: () => void, onWrite: () => Promise<void> = async () => undefined, grep = 'ERROR') {
  const file = write(path.join(dir, `${crypto.randomUUID()}.log`), data);
  const fd = fs.openSync(file, 'r');
  const ctx = { signal, now: () => Date.parse('2026-11-23T12:00:00Z'), progress: () => onProgress?.() } as unknown as CollectionContext;
  const sink = { write: onWrite } as unknown as StoreSink;
  try {
    // workerHashMin 0: these sources are small, the hashing thread is what is tested.
    return await filterLines(ctx, fd, sink, data.length, toFilters({ grep }), { chunkSize: 64 * 1024, workerHashMin: 0 });
  } finally {
    fs.closeSync(fd);
  }
}

describe('the hashing thread', () => {
  it('hashes one source after another on the same thread, each from a fresh hash', async () => {
    const before = hashWorkersStarted();
    const sources = ['a', 'b', 'c'].map(source);
    for (const data of sources) expect((await scan(data)).sourceSha256).toBe(sha(data));
    expect(hashWorkersStarted() - before).toBe(1);
  });

  it('is not reused after a cancel: the next source gets a new thread and the right hash', async () => {
    const data = source('cut');
    const controller = new AbortController();
    let slots = 0;
    await expect(scan(data, controller.signal, () => void (++slots === 3 && controller.abort()))).rejects.toThrow();
    const before = hashWorkersStarted();
    const next = source('after');
    expect((await scan(next)).sourceSha256).toBe(sha(next));
    expect(hashWorkersStarted() - before).toBe(1);
  });

  it('runs at most HASH_WORKERS_AT_ONCE at a time however many scans start, each with its own right hash', async () => {
    const sources = Array.from({ length: 6 }, (_, i) => source(`many-${i}`));
    let most = 0;
    const results = await Promise.all(sources.map((data) => scan(data, undefined, () => void (most = Math.max(most, hashWorkersInUse())))));
    expect(results.map((r) => r.sourceSha256)).toEqual(sources.map(sha));
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(HASH_WORKERS_AT_ONCE);
    expect(hashWorkersInUse()).toBe(0);
  });

  it('a scan waiting for a hashing thread is cancelled at once, having read nothing', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // These hold every turn: each waits in its first store write (grep INFO keeps most lines).
    const holders = Array.from({ length: HASH_WORKERS_AT_ONCE }, (_, i) => scan(source(`holder-${i}`), undefined, undefined, () => gate, 'INFO'));
    await expect.poll(() => hashWorkersInUse()).toBe(HASH_WORKERS_AT_ONCE);
    const controller = new AbortController();
    let read = 0;
    const waiting = scan(source('waiting'), controller.signal, () => void read++);
    controller.abort();
    await expect(waiting).rejects.toThrow();
    expect(read).toBe(0);
    open();
    await Promise.all(holders);
    expect(hashWorkersInUse()).toBe(0);
  });
});
