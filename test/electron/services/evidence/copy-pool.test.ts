import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMALL_FILE_MAX, SmallCopyPool } from '../../../../electron/services/evidence/copy-pool';
import { looksBinary } from '../../../../electron/services/evidence/lines';
import { copySmallFile, type SmallCopyJob } from '../../../../electron/services/evidence/small-copy';
import { isRoot } from './helpers';

const sha256 = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');
/** Worker dependencies for calling copySmallFile directly, with a 1 KiB buffer (so 1 KiB counts as large). */
const deps = () => ({ fs, crypto, scratch: Buffer.alloc(1024), knownDirs: new Set<string>(), looksBinary });

describe('small-file copies on worker threads', () => {
  let dir: string;
  let blobRoot: string;
  let tmp: string;
  let n = 0;
  const job = (source: string, maxBytes = Number.MAX_SAFE_INTEGER): SmallCopyJob => ({ source, tempPath: path.join(tmp, `${process.pid}-t-${++n}.part`), blobRoot, maxBytes });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-copy-pool-'));
    blobRoot = path.join(dir, 'store', 'sha256');
    tmp = path.join(dir, 'store', 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('copies, hashes and files each blob under its digest, read-only, with no temp file left', async () => {
    const pool = new SmallCopyPool(2);
    try {
      const files = Array.from({ length: 40 }, (_, i) => {
        const file = path.join(dir, `f${i}.log`);
        fs.writeFileSync(file, `line ${i}\n`.repeat(100 + i));
        return file;
      });
      const outcomes = await Promise.all(files.map((f) => pool.copy(job(f))));
      for (const [i, outcome] of outcomes.entries()) {
        const data = fs.readFileSync(files[i]!);
        expect(outcome).toMatchObject({ kind: 'copied', sha256: sha256(data), size: data.length, deduplicated: false });
        if (outcome.kind !== 'copied') continue;
        const blob = path.join(blobRoot, outcome.sha256.slice(0, 2), outcome.sha256.slice(2));
        expect(fs.readFileSync(blob)).toEqual(data);
        if (process.platform !== 'win32') expect(fs.statSync(blob).mode & 0o777).toBe(0o444);
        expect(outcome.before.size).toBe(data.length);
        expect(outcome.after?.mtimeMs).toBe(outcome.before.mtimeMs);
        expect(outcome.binary).toBe(false);
      }
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('puts identical content copied at once by two workers in one blob, both reported copied', async () => {
    const pool = new SmallCopyPool(2);
    try {
      const files = Array.from({ length: 32 }, (_, i) => {
        const file = path.join(dir, `same${i}.log`);
        fs.writeFileSync(file, 'identical\n'.repeat(50));
        return file;
      });
      const outcomes = await Promise.all(files.map((f) => pool.copy(job(f))));
      expect(outcomes.every((o) => o.kind === 'copied' && o.sha256 === sha256('identical\n'.repeat(50)))).toBe(true);
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('stores what the file held when opened, and shows growth during the copy', () => {
    const file = path.join(dir, 'growing.log');
    fs.writeFileSync(file, 'first\n');
    let fstats = 0;
    // The writer appends between the worker's first fstat and its read.
    const racingFs = new Proxy(fs, {
      get: (target, key) =>
        key === 'fstatSync'
          ? (fd: number) => {
              const st = target.fstatSync(fd);
              if (++fstats === 1) fs.appendFileSync(file, 'second\n');
              return st;
            }
          : Reflect.get(target, key),
    });
    const outcome = copySmallFile(job(file), { ...deps(), fs: racingFs });
    expect(outcome).toMatchObject({ kind: 'copied', size: 6, sha256: sha256('first\n') });
    if (outcome.kind !== 'copied') return;
    expect(outcome.before.size).toBe(6);
    expect(outcome.after?.size).toBe(13);
  });

  it('judges binary content on the worker', () => {
    const bin = path.join(dir, 'c.bin');
    fs.writeFileSync(bin, Buffer.from([1, 0, 2]));
    expect(copySmallFile(job(bin), deps())).toMatchObject({ kind: 'copied', binary: true });
  });

  it('a worker that hits a bug breaks the pool: that call and every later one reject, none hang', async () => {
    const pool = new SmallCopyPool(1);
    try {
      // Not an errno failure (a TypeError inside the worker): the worker dies.
      await expect(pool.copy(null as unknown as SmallCopyJob)).rejects.toThrow('a copy worker stopped');
      const file = path.join(dir, 'after.log');
      fs.writeFileSync(file, 'x');
      await expect(pool.copy(job(file))).rejects.toThrow('a copy worker stopped');
    } finally {
      await pool.close();
    }
  });

  it('hands symlinks, special files and large files back to the streaming collector', () => {
    const big = path.join(dir, 'big.log');
    fs.writeFileSync(big, 'x'.repeat(1024));
    expect(copySmallFile(job(big), deps())).toEqual({ kind: 'fallback', reason: 'large' });
    expect(copySmallFile(job(dir), deps())).toEqual({ kind: 'fallback', reason: 'not a regular file' });
    if (process.platform !== 'win32') {
      const link = path.join(dir, 'link.log');
      fs.symlinkSync(big, link);
      expect(copySmallFile(job(link), deps())).toEqual({ kind: 'fallback', reason: 'symlink' });
    }
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('stores only the first maxBytes and reports what the source held', () => {
    const file = path.join(dir, 'capped.log');
    fs.writeFileSync(file, '0123456789');
    const outcome = copySmallFile(job(file, 4), deps());
    expect(outcome).toMatchObject({ kind: 'copied', size: 4, sha256: sha256('0123') });
    expect(outcome.kind === 'copied' && outcome.before.size).toBe(10);
  });

  it('names the failing step and errno instead of throwing', async () => {
    const pool = new SmallCopyPool(1);
    try {
      expect(await pool.copy(job(path.join(dir, 'missing.log')))).toEqual({ kind: 'failed', stage: 'open', code: 'ENOENT', before: null });
      if (process.platform !== 'win32' && !isRoot) {
        const locked = path.join(dir, 'locked.log');
        fs.writeFileSync(locked, 'secret');
        fs.chmodSync(locked, 0o000);
        expect(await pool.copy(job(locked))).toMatchObject({ kind: 'failed', stage: 'open', code: 'EACCES' });
      }
      // The store itself failing (its tmp dir gone) is a per-file failure too.
      fs.rmSync(tmp, { recursive: true });
      const file = path.join(dir, 'ok.log');
      fs.writeFileSync(file, 'data');
      expect(await pool.copy(job(file))).toMatchObject({ kind: 'failed', stage: 'store', code: 'ENOENT' });
    } finally {
      await pool.close();
    }
  });

  it('refuses work once closed, and keeps files of up to SMALL_FILE_MAX on the workers', async () => {
    const pool = new SmallCopyPool(1);
    const file = path.join(dir, 'edge.bin');
    fs.writeFileSync(file, Buffer.alloc(SMALL_FILE_MAX - 1, 7));
    expect(await pool.copy(job(file))).toMatchObject({ kind: 'copied', size: SMALL_FILE_MAX - 1 });
    fs.appendFileSync(file, Buffer.alloc(1, 7));
    expect(await pool.copy(job(file))).toEqual({ kind: 'fallback', reason: 'large' });
    await pool.close();
    await expect(pool.copy(job(file))).rejects.toThrow('closed');
  });
});
