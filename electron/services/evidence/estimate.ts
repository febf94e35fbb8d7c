import fs from 'node:fs';
import path from 'node:path';
import { walkGlob, type WalkOptions } from './glob';
import type { WalkScope } from './scope';

// Collecting `/` stored 1.7 GiB as 1,678 artifacts before Cancel (issue 15). Before a files
// collection, a quick walk (lstat only, no reads) counts what it would take, up to a cap.

export interface CollectionSize {
  readonly files: number;
  readonly bytes: number;
  /** The walk stopped at the cap: there are more files and bytes than counted. */
  readonly moreThan: boolean;
}

export interface LargeThreshold {
  readonly files: number;
  readonly bytes: number;
}

/** Above either, a collection is large and needs the operator's confirmation. */
export const LARGE_COLLECTION: LargeThreshold = { files: 5000, bytes: 500 * 1024 * 1024 };

/** Counts files and bytes under `patterns`, stopping once either exceeds its threshold. */
export async function estimateCollection(
  patterns: readonly string[],
  threshold: LargeThreshold,
  options: { readonly cwd?: string; readonly scope?: WalkScope; readonly signal?: AbortSignal } = {},
): Promise<CollectionSize> {
  let files = 0;
  let bytes = 0;
  const walk: WalkOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.scope ? { exclude: (dir: string) => options.scope?.excluded(dir) } : {}),
  };
  const over = (): boolean => files > threshold.files || bytes > threshold.bytes;
  for (const pattern of patterns) {
    for await (const c of walkGlob(pattern, walk, options.cwd)) {
      const inner = c.type === 'directory' ? walkGlob(path.join(c.path, '**', '*'), walk) : single(c);
      for await (const f of inner) {
        if (f.type !== 'file') continue;
        files++;
        bytes += await fs.promises.lstat(f.path).then((st) => st.size, () => 0);
        if (over()) return { files, bytes, moreThan: true };
      }
    }
  }
  return { files, bytes, moreThan: false };
}

async function* single<T>(value: T): AsyncGenerator<T> {
  yield value;
}

/** "more than 5,001 files, 12.0 MB": what the operator is asked to confirm. */
export function describeSize(size: CollectionSize): string {
  const mb = (size.bytes / (1024 * 1024)).toFixed(1);
  return `${size.moreThan ? 'more than ' : ''}${size.files.toLocaleString('en')} files, ${mb} MB`;
}

export const isLarge = (size: CollectionSize, threshold: LargeThreshold): boolean => size.files > threshold.files || size.bytes > threshold.bytes;
