import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreSink } from '../../../../../electron/services/evidence/cas';
import type { CollectionContext } from '../../../../../electron/services/evidence/context';
import { filterLines, toFilters } from '../../../../../electron/services/evidence/files';
import type { SlotHasher } from '../../../../../electron/services/evidence/scan/hash-worker';
import { write } from '../helpers';

// Cancel within 100 ms (issue 20): the scan checks the signal after every read slot, so once
// abort() is called at most the slot in hand is scanned; no more source bytes are consumed.
// Counted in bytes, not timed: a slot is 4 MiB, scanned and hashed in a few milliseconds
// (the bench prints the latency).

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-scan-cancel-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SLOT = 64 * 1024;
const lines = Array.from({ length: 60_000 }, (_, i) => `2026-11-23T10:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}:00.000Z ${i % 50 === 0 ? 'ERROR' : 'INFO'} request ${i}`);
const file = write(path.join(dir, 'big.log'), lines.join('\n') + '\n');
const size = fs.statSync(file).size;

async function cancelAfter(request: Parameters<typeof toFilters>[0], abortAt: number, onWorker: boolean, makeHasher?: (abort: () => void) => SlotHasher) {
  const controller = new AbortController();
  let consumed = 0;
  let atAbort = -1;
  const ctx = {
    signal: controller.signal,
    now: () => Date.parse('2026-11-23T12:00:00Z'),
    progress: (n: number) => {
      consumed += n;
      if (atAbort < 0 && consumed >= abortAt) {
        atAbort = consumed;
        controller.abort();
      }
    },
  } as unknown as CollectionContext;
  let written = 0;
  const sink = { write: async (b: Buffer) => void (written += b.length) } as unknown as StoreSink;
  const fd = fs.openSync(file, 'r');
  const hasher = makeHasher?.(() => {
    atAbort = consumed;
    controller.abort();
  });
  try {
    const outcome = await filterLines(ctx, fd, sink, size, toFilters(request), { chunkSize: SLOT, workerHashMin: onWorker ? 0 : Number.POSITIVE_INFINITY, ...(hasher ? { hasher } : {}) }).then(
      () => 'finished',
      (error: Error) => error.name,
    );
    return { outcome, atAbort, afterAbort: consumed - atAbort };
  } finally {
    fs.closeSync(fd);
  }
}

describe('cancel during a scan', () => {
  for (const [name, request] of [
    ['--grep', { grep: 'ERROR' }],
    ['--since', { since: '2026-11-23T10:30:00Z' }],
    ['--level', { level: 'error' as const }],
  ] as const) {
    for (const onWorker of [true, false]) {
      it(`${name} stops at the next read slot (hashing ${onWorker ? 'on a worker' : 'inline'})`, async () => {
        expect(size).toBeGreaterThan(20 * SLOT);
        const r = await cancelAfter(request, 3 * SLOT, onWorker);
        expect(r.outcome).toBe('AbortError');
        expect(r.atAbort).toBe(3 * SLOT);
        // Nothing read after abort() is taken in: the slot in hand was the last.
        expect(r.afterAbort).toBeLessThanOrEqual(SLOT);
      });
    }
  }
});

/**
 * A hashing thread that takes slots and never says it hashed them (a worker still starting
 * on a busy machine, or stuck): what made one cancel take 245 ms. abort() comes as the last
 * free slot is handed over, so the scan's next step is to wait for slot 0 to come back.
 */
function stalledHasher(abort: () => void): SlotHasher & { hashed: number; closed: number } {
  const buffers = Array.from({ length: 4 }, () => Buffer.alloc(SLOT));
  return {
    slots: 4,
    hashed: 0,
    closed: 0,
    slot: (i) => buffers[i]!,
    hash() {
      if (++this.hashed === 4) abort();
      return new Promise<void>(() => undefined);
    },
    digest: () => new Promise<string>(() => undefined),
    async close() {
      this.closed++;
    },
  };
}

describe('cancel while the hashing thread holds every slot', () => {
  for (const [name, request] of [
    ['--since', { since: '2026-11-23T10:30:00Z' }],
    ['--level', { level: 'error' as const }],
  ] as const) {
    it(`${name} stops without waiting for the hash of a slot`, async () => {
      let hasher: ReturnType<typeof stalledHasher> | undefined;
      // Without racing the wait against the signal this never settles (the test times out).
      const r = await cancelAfter(request, Number.POSITIVE_INFINITY, true, (abort) => (hasher = stalledHasher(abort)));
      expect(r.outcome).toBe('AbortError');
      expect(r.atAbort).toBe(3 * SLOT);
      // No read after abort(): the fourth slot (read before it) is the last taken in.
      expect(r.afterAbort).toBe(0);
      expect(hasher!.hashed).toBe(4);
      expect(hasher!.closed).toBe(1);
    });
  }
});
