import fs from 'node:fs';
import path from 'node:path';
import type { CollectionContext } from './context';
import { errorCode } from './glob';
import { fileType } from './owners';

export interface ChangesRequest {
  readonly roots: readonly string[];
  /** ISO time or ms: modified at or after. */
  readonly since: string | number;
  readonly until?: string | number;
  /** Entries kept (newest first) before the listing is cut. */
  readonly maxEntries?: number;
}

export interface ChangeEntry {
  readonly path: string;
  readonly type: string;
  readonly size: number;
  readonly mtime: string;
  readonly uid: number;
  readonly gid: number;
  readonly owner: string | null;
  readonly group: string | null;
  readonly mode: string;
  readonly linkTarget?: string;
}

const toMs = (t: string | number): number => {
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${String(t)}`);
  return ms;
};

/**
 * Seed 004's "file change history" step: every file under the roots modified in the
 * window, newest first, with size, owner and mode. Symlinks are listed, never entered.
 * Stored as JSON and as a text table; unreadable directories are listed as errors.
 */
export async function collectChanges(ctx: CollectionContext, request: ChangesRequest): Promise<void> {
  const since = toMs(request.since);
  const until = request.until === undefined ? Number.POSITIVE_INFINITY : toMs(request.until);
  const max = request.maxEntries ?? 200_000;
  const entries: Array<ChangeEntry & { mtimeMs: number }> = [];
  const errors: Array<{ path: string; error: string }> = [];
  let scanned = 0;
  let dropped = 0;
  const visit = async (dir: string): Promise<void> => {
    ctx.signal?.throwIfAborted();
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch (error) {
      errors.push({ path: dir, error: errorCode(error) });
      return;
    }
    for (const name of names.sort()) {
      const full = path.join(dir, name);
      let st: fs.Stats;
      try {
        st = await fs.promises.lstat(full);
      } catch (error) {
        errors.push({ path: full, error: errorCode(error) });
        continue;
      }
      scanned++;
      if (scanned % 1000 === 0) ctx.progress(0, full);
      if (st.isDirectory()) await visit(full);
      if (st.mtimeMs < since || st.mtimeMs > until) continue;
      if (entries.length >= max) {
        dropped++;
        continue;
      }
      entries.push({
        path: full,
        type: fileType(st),
        size: st.size,
        mtime: new Date(st.mtimeMs).toISOString(),
        mtimeMs: st.mtimeMs,
        uid: st.uid,
        gid: st.gid,
        owner: ctx.owners.user(st.uid),
        group: ctx.owners.group(st.gid),
        mode: (st.mode & 0o7777).toString(8).padStart(4, '0'),
        ...(st.isSymbolicLink() ? { linkTarget: await fs.promises.readlink(full).catch(() => '?') } : {}),
      });
    }
  };
  for (const root of request.roots) await visit(path.resolve(root));
  entries.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.path < b.path ? -1 : 1));
  const list = entries.map(({ mtimeMs: _, ...e }) => e);
  const window = { since: new Date(since).toISOString(), until: Number.isFinite(until) ? new Date(until).toISOString() : null };
  const json = JSON.stringify({ roots: request.roots, window, scanned, count: list.length, dropped, entries: list, errors }, null, 2);
  const lines = [
    `Files modified ${window.since} .. ${window.until ?? 'now'} under ${request.roots.join(', ')} (newest first)`,
    `${list.length} of ${scanned} entries${dropped ? `, ${dropped} more not listed (maxEntries ${max})` : ''}`,
    '',
    'MTIME                     MODE  OWNER:GROUP          SIZE  PATH',
    ...list.map((e) => `${e.mtime}  ${e.mode}  ${`${e.owner ?? e.uid}:${e.group ?? e.gid}`.padEnd(16)} ${String(e.size).padStart(10)}  ${e.path}${e.linkTarget ? ` -> ${e.linkTarget}` : ''}`),
    ...(errors.length ? ['', 'Could not read:', ...errors.map((e) => `  ${e.path}: ${e.error}`)] : []),
  ];
  const detail = dropped ? `${dropped} entries over maxEntries were not listed` : errors.length ? `${errors.length} paths could not be read` : null;
  for (const [name, body, mediaType] of [
    ['changes/changes.json', json, 'application/json'],
    ['changes/changes.txt', lines.join('\n') + '\n', 'text/plain; charset=utf-8'],
  ] as const) {
    const blob = await ctx.store.putBuffer(body);
    ctx.progress(blob.size);
    await ctx.add({
      name,
      kind: 'listing',
      status: dropped ? 'truncated-by-cap' : 'ok',
      detail,
      sha256: blob.sha256,
      size: blob.size,
      mediaType,
      binary: false,
      source: null,
      sourceSha256: null,
      derivation: null,
    });
  }
}
