import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './helpers';

describe('large files', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.cleanup());

  it('streams a 1 GiB sparse file through copy+hash with bounded memory', async () => {
    const size = 1024 ** 3;
    const file = path.join(h.src, 'huge.log');
    fs.closeSync(fs.openSync(file, 'w'));
    fs.truncateSync(file, size); // sparse: reads as zeros, costs no disk
    // Settle the heap so the baseline is honest.
    global.gc?.();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakExternal = baseline.external + baseline.arrayBuffers;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers);
    }, 20);
    let result;
    try {
      result = await h.evidence.collectFiles(h.incidentId, { paths: [file], confirmLarge: true });
    } finally {
      clearInterval(sampler);
    }
    const a = result.artifacts[0]!;
    const expected = crypto.createHash('sha256');
    const zeros = Buffer.alloc(1 << 20);
    for (let i = 0; i < 1024; i++) expected.update(zeros);
    expect(a).toMatchObject({ status: 'ok', size, sha256: expected.digest('hex') });
    expect(fs.statSync(h.evidence.blobPath(a)!).size).toBe(size);
    // Six 1 MiB buffers in flight; allow generous slack for the allocator and the test runner.
    expect(peakRss - baseline.rss).toBeLessThan(96 * 1024 * 1024);
    expect(peakExternal - (baseline.external + baseline.arrayBuffers)).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);
});
