import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContentStore, copyRange, SYNCFS_ABOVE } from '../../../../electron/services/evidence/cas';
import { BufferPool, CHUNK_SIZE, isDirectWritable } from '../../../../electron/services/evidence/chunk-buffers';

describe('content store sinks', () => {
  let dir: string;
  let store: ContentStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-cas-'));
    store = new ContentStore(path.join(dir, 'store'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lends page-aligned chunk buffers that O_DIRECT can write from', async () => {
    const pool = new BufferPool(3);
    const buffers = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    for (const b of buffers) {
      expect(b.length).toBe(CHUNK_SIZE);
      expect(isDirectWritable(b)).toBe(true);
      expect(isDirectWritable(b.subarray(0, 4096 * 3))).toBe(true);
      expect(isDirectWritable(b.subarray(0, 1000))).toBe(false);
      expect(isDirectWritable(b.subarray(512, 512 + 4096))).toBe(false);
    }
    expect(isDirectWritable(Buffer.alloc(CHUNK_SIZE))).toBe(false);
    for (const b of buffers) pool.release(b);
    await pool.dispose();
  });

  it('a direct sink stores exactly the bytes, aligned chunks and a ragged tail alike, read-only', async () => {
    // 3 whole chunks, then a tail that is not a multiple of the block size.
    const source = path.join(dir, 'big.log');
    const data = crypto.randomBytes(3 * CHUNK_SIZE + 12_345);
    fs.writeFileSync(source, data);
    const fd = fs.openSync(source, 'r');
    try {
      const sink = await store.createSink(undefined, { direct: true });
      const r = await copyRange(fd, sink, 0, data.length);
      const blob = await sink.finish();
      expect(r.bytesRead).toBe(data.length);
      expect(blob.sha256).toBe(crypto.createHash('sha256').update(data).digest('hex'));
      expect(fs.readFileSync(blob.path).equals(data)).toBe(true);
      if (process.platform !== 'win32') expect(fs.statSync(blob.path).mode & 0o777).toBe(0o444);
      expect(fs.readdirSync(store.tmpDir)).toEqual([]);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('a direct sink takes writes of any shape (unaligned buffers go through the page cache)', async () => {
    const sink = await store.createSink(undefined, { direct: true });
    const parts = [Buffer.from('not aligned '), crypto.randomBytes(5000), Buffer.alloc(8192, 1)];
    for (const p of parts) await sink.write(p);
    const blob = await sink.finish();
    expect(fs.readFileSync(blob.path).equals(Buffer.concat(parts))).toBe(true);
  });

  it('a device that refuses a direct write (EINVAL) gets the chunk, and the rest, buffered', async () => {
    const write = fs.write;
    let directFd: number | undefined;
    let laterOnDirectFd = 0;
    // The first direct-shaped write is refused, as by a device wanting a larger alignment.
    const spy = vi.spyOn(fs, 'write').mockImplementation(((fd: number, buffer: Buffer, offset: number, length: number, position: number, callback: (e: NodeJS.ErrnoException | null, n: number) => void) => {
      if (directFd === undefined && isDirectWritable(buffer.subarray(offset, offset + length))) {
        directFd = fd;
        callback(Object.assign(new Error('EINVAL: invalid argument, write'), { code: 'EINVAL' }), 0);
        return;
      }
      if (fd === directFd) laterOnDirectFd++;
      write(fd, buffer, offset, length, position, callback);
    }) as typeof fs.write);
    try {
      const source = path.join(dir, 'odd-device.log');
      const data = crypto.randomBytes(2 * CHUNK_SIZE + 100);
      fs.writeFileSync(source, data);
      const fd = fs.openSync(source, 'r');
      try {
        const sink = await store.createSink(undefined, { direct: true });
        await copyRange(fd, sink, 0, data.length);
        const blob = await sink.finish();
        expect(fs.readFileSync(blob.path).equals(data)).toBe(true);
        expect(directFd).toBeDefined();
        expect(laterOnDirectFd).toBe(0); // after the refusal, everything went buffered
      } finally {
        fs.closeSync(fd);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('an aborted direct sink leaves nothing behind', async () => {
    const sink = await store.createSink(undefined, { direct: true });
    await sink.write(Buffer.alloc(10, 2));
    await sink.abort();
    expect(fs.readdirSync(store.tmpDir)).toEqual([]);
    expect(fs.existsSync(store.blobRoot)).toBe(false);
  });
});

describe('content store durability barrier', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fsyncs a few small blobs in process and flushes the file system only for a big batch', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-cas-barrier-'));
    const flushed: string[] = [];
    const store = new ContentStore(path.join(dir, 'store'), async (anyPath) => {
      flushed.push(anyPath);
      return true;
    });
    const few = await Promise.all(Array.from({ length: SYNCFS_ABOVE }, (_, i) => store.putBuffer(`blob ${i}\n`)));
    await store.barrier();
    expect(flushed).toEqual([]);
    for (const blob of few) expect(fs.readFileSync(blob.path, 'utf8')).toMatch(/^blob \d+\n$/);

    await Promise.all(Array.from({ length: SYNCFS_ABOVE + 1 }, (_, i) => store.putBuffer(`other ${i}\n`)));
    await store.barrier();
    expect(flushed).toEqual([store.root]);
  });

  it('fsyncs each blob when the file system cannot be flushed at once', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-cas-barrier-'));
    let calls = 0;
    const store = new ContentStore(path.join(dir, 'store'), async () => {
      calls++;
      return false;
    });
    const blobs = await Promise.all(Array.from({ length: SYNCFS_ABOVE + 5 }, (_, i) => store.putBuffer(`blob ${i}\n`)));
    await expect(store.barrier()).resolves.toBeUndefined();
    expect(calls).toBe(1);
    expect(blobs.every((b) => fs.existsSync(b.path))).toBe(true);
  });
});
