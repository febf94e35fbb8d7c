import crypto from 'node:crypto';
import fs from 'node:fs';
import { fsRead } from './cas';

export interface FileDigests {
  readonly size: number;
  readonly digests: Readonly<Record<string, string>>;
}

/**
 * Hashes `[start, start+length)` of a file with several algorithms in one read (sha256 and
 * sha512 for BagIt manifests). The next read is issued before the current chunk is hashed.
 */
export async function hashRange(file: string, algorithms: readonly string[], start = 0, length = Number.POSITIVE_INFINITY): Promise<FileDigests> {
  const hashes = algorithms.map((a) => crypto.createHash(a));
  const handle = await fs.promises.open(file, 'r');
  const fd = handle.fd;
  try {
    const size = Math.max(1, Math.min(1 << 20, Number.isFinite(length) ? length : (await handle.stat()).size - start || 1));
    const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    let which = 0;
    let position = start;
    let remaining = length;
    let total = 0;
    let pending: Promise<number> | null = remaining > 0 ? fsRead(fd, buffers[0]!, Math.min(size, remaining), position) : null;
    try {
      while (pending) {
        const n = await pending;
        if (n === 0) {
          pending = null;
          break;
        }
        const current = buffers[which]!;
        position += n;
        remaining -= n;
        total += n;
        which ^= 1;
        pending = remaining > 0 ? fsRead(fd, buffers[which]!, Math.min(size, remaining), position) : null;
        const view = current.subarray(0, n);
        for (const h of hashes) h.update(view);
      }
    } finally {
      if (pending) await pending.catch(() => 0);
    }
    return { size: total, digests: Object.fromEntries(algorithms.map((a, i) => [a, hashes[i]!.digest('hex')])) };
  } finally {
    await handle.close();
  }
}

export const sha256Hex = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');
