import fs from 'node:fs';
import path from 'node:path';
import type { ContentStore } from './cas';

// Blobs are renamed into the store before the batch that references them commits, so a
// collection killed in between leaves blobs no row names (13,692 blob files for 10,008
// referenced hashes after 20 kills). The next start removes them.

/**
 * Removes the blobs of one incident's store that `referenced` does not know and that were
 * written before `before` (ms since the epoch, real time: compared with mtimes). The caller
 * runs it only when no live process is collecting into that incident, and `before` keeps
 * away from blobs a collection that starts meanwhile is writing.
 */
export async function removeOrphanBlobs(store: ContentStore, referenced: (sha256: string) => boolean, before: number): Promise<string[]> {
  const removed: string[] = [];
  let shards: string[];
  try {
    shards = await fs.promises.readdir(store.blobRoot);
  } catch {
    return removed;
  }
  for (const shard of shards) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    const dir = path.join(store.blobRoot, shard);
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const sha256 = `${shard}${name}`;
      if (!/^[0-9a-f]{64}$/.test(sha256) || referenced(sha256)) continue;
      const file = path.join(dir, name);
      const st = await fs.promises.lstat(file).catch(() => undefined);
      if (!st?.isFile() || st.mtimeMs >= before) continue;
      await fs.promises.rm(file, { force: true });
      removed.push(file);
    }
  }
  return removed;
}
