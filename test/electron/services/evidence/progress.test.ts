import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressText } from '../../../../electron/cli/evidence';
import { timeLeft } from '../../../../electron/services/evidence/service';
import type { CollectionProgress } from '../../../../shared/evidence';
import { harness, write } from './helpers';

// Progress of a collection (issue 20): files, bytes of the total the walk counted, lines the
// filters kept, and the time left once it means something.

describe('collection progress', () => {
  it('reports lines matched and the total bytes the walk counted', async () => {
    const h = harness();
    try {
      const lines = Array.from({ length: 5000 }, (_, i) => `2026-11-23T10:00:${String(i % 60).padStart(2, '0')}Z ${i % 10 === 0 ? 'ERROR' : 'INFO'} line ${i}`);
      const a = write(path.join(h.src, 'a.log'), lines.join('\n') + '\n');
      const b = write(path.join(h.src, 'b.log'), lines.slice(0, 100).join('\n') + '\n');
      const total = Buffer.byteLength(lines.join('\n') + '\n') + Buffer.byteLength(lines.slice(0, 100).join('\n') + '\n');
      for (const request of [{ grep: 'ERROR' }, { level: 'error' as const }, { level: 'error' as const, confirmLarge: true }]) {
        const seen: CollectionProgress[] = [];
        const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [a, b], ...request }, { onProgress: (p) => seen.push(p) });
        const last = seen.at(-1)!;
        const kept = artifacts.reduce((n, x) => n + (x.derivation?.linesKept ?? 0), 0);
        expect(kept).toBe(510);
        expect(last.linesMatched, JSON.stringify(request)).toBe(kept);
        expect(last.totalBytes).toBe(total);
        expect(last.bytes).toBe(total);
        expect(last.files).toBe(2);
      }
      // A plain copy matches no lines.
      const seen: CollectionProgress[] = [];
      await h.evidence.collectFiles(h.incidentId, { paths: [a] }, { onProgress: (p) => seen.push(p) });
      expect(seen.at(-1)).toMatchObject({ linesMatched: 0, totalBytes: Buffer.byteLength(lines.join('\n') + '\n') });
    } finally {
      h.cleanup();
    }
  });

  it('estimates the time left from bytes done against the total, only once it means something', () => {
    expect(timeLeft(500, 1000, 4000)).toBe(4000);
    expect(timeLeft(250, 1000, 2000)).toBe(6000);
    expect(timeLeft(1000, 1000, 3000)).toBe(0);
    // Not yet: under a second, or under 1 % done.
    expect(timeLeft(500, 1000, 999)).toBeNull();
    expect(timeLeft(9, 1000, 5000)).toBeNull();
    // Unknown total, or the source grew past what the walk counted.
    expect(timeLeft(500, null, 4000)).toBeNull();
    expect(timeLeft(1500, 1000, 4000)).toBeNull();
  });

  it('prints what is known on the CLI progress line', () => {
    const base = { incidentId: 1, requestId: 'r', collectionId: 1, files: 2, bytes: 3 * 1024 ** 3, bytesPerSecond: 800 * 1024 ** 2, elapsedMs: 4000, current: null, done: false };
    expect(progressText({ ...base, linesMatched: 31003, totalBytes: 4 * 1024 ** 3, etaMs: 1300 })).toBe('2 files, 3.0 GiB of 4.0 GiB, 800.0 MiB/s, 31,003 lines matched, 2 s left');
    expect(progressText({ ...base, linesMatched: 0, totalBytes: null, etaMs: null })).toBe('2 files, 3.0 GiB, 800.0 MiB/s');
    expect(progressText({ ...base, linesMatched: 5, totalBytes: 4 * 1024 ** 3, etaMs: 125_000 })).toBe('2 files, 3.0 GiB of 4.0 GiB, 800.0 MiB/s, 5 lines matched, 2 min 5 s left');
  });
});
