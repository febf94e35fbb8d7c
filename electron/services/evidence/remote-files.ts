import os from 'node:os';
import type { LogLevel } from '../../../shared/evidence';
import { shQuote } from '../targets/quote';
import { TargetConnectionLost, type ProcessEnd, type Target } from '../targets/target';
import type { StoreSink } from './cas';
import type { CollectionContext } from './context';
import { readableName } from './context';
import { toFilters, type FileFilters } from './files';
import { MemberWriter } from './member-writer';
import { batchable, batches, copyBatch } from './remote-batch';
import { grepScript, OffsetLines, pushdownLiterals, SERVER_HASH_FUNCTION } from './remote-grep';
import { emptyArtifact, receivedDraft, receiveRemote, RemoteReceiver } from './remote-receive';
import type { ArtifactDraft, ArtifactStatus, SourceInfo } from './types';

// Files from a remote target (issue 13). A POSIX sh script (sent on stdin, paths inside it
// single-quoted) lists the files; small ones then travel many to a session as one tar
// stream (remote-batch.ts), big ones (and --tail) one session each, streaming the bytes
// while the server's own openssl / sha256sum / shasum hashes the same range. The laptop
// hashes in the same read that writes the store; a mismatch fails the item and nothing of
// it is stored. Line filters (grep, since, until, level) run here, on the laptop.

export interface RemoteFileRequest {
  /** Absolute paths or POSIX sh patterns (`*`, `?`, `[…]`) on the target; a directory means everything under it. */
  readonly paths: readonly string[];
  readonly tail?: number;
  readonly since?: string | number;
  readonly grep?: string;
  readonly grepIgnoreCase?: boolean;
  readonly until?: string | number;
  readonly level?: LogLevel;
  readonly maxBytes?: number;
  readonly maxFiles?: number;
  /** Sessions at once on the one connection (each a batch of small files or one file). */
  readonly concurrency?: number;
  /** false: one session per file even for small ones (a baseline for tests and benchmarks). */
  readonly batch?: boolean;
  /** false: never let the server's grep filter (a baseline for tests; see remote-grep.ts). */
  readonly pushdown?: boolean;
}

/** One listing record: `F mode size mtime uid gid user group path`, `M path` (no match), `D path` (dangling link). */
export interface Listed {
  readonly kind: 'F' | 'M' | 'D';
  readonly path: string;
  readonly mode?: number;
  readonly size?: number;
  readonly mtime?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly owner?: string;
  readonly group?: string;
}

const STAT = `stat -L -c '%f %s %Y %u %g %U %G'`;

/**
 * Expands the patterns on the target. IFS is emptied so an unquoted `$p` undergoes pathname
 * expansion only: no field splitting, and (as always for expansion results) no command
 * substitution — whatever the pattern contains, it can only ever match file names.
 *
 * A folder's files are stat'ed many to one `stat` where it has --printf (GNU): one process
 * per file was most of the time of a 10,000-file collection. A file that vanished since
 * `find` saw it is left out either way (its stat fails, the others are printed).
 */
export function listingScript(patterns: readonly string[]): string {
  return `fb_entry() {
  if [ -d "$1" ] && [ ! -L "$1" ]; then
    if [ -n "$fb_bulk" ]; then
      find "$1" -type f -exec sh -c 'stat -L --printf "F %f %s %Y %u %g %U %G %n\\0" -- "$@" 2>/dev/null; exit 0' sh {} +
    else
      find "$1" -type f -exec sh -c 'for f; do m=$(${STAT.replace(/'/g, '"')} -- "$f" 2>/dev/null) && printf "F %s %s\\0" "$m" "$f"; done' sh {} +
    fi
    return
  fi
  if m=$(${STAT} -- "$1" 2>/dev/null); then printf 'F %s %s\\0' "$m" "$1"; return; fi
  if [ -L "$1" ]; then printf 'D %s\\0' "$1"; else printf 'M %s\\0' "$1"; fi
}
fb_main() {
  command -v stat >/dev/null 2>&1 || { echo 'FIREBREAK-ERROR stat is not installed on the server' >&2; return 3; }
  fb_bulk=''
  if stat -L --printf '%s' -- / >/dev/null 2>&1; then fb_bulk=1; fi
  set +f
  IFS=''
  for fb_p in ${patterns.map(shQuote).join(' ')}; do
    for fb_f in $fb_p; do fb_entry "$fb_f"; done
  done
}
fb_main </dev/null
`;
}

/** The per-file script: exactly `[off, off+len)` of the file on stdout, its server hash on stderr. */
export function copyScript(file: string, size: number, tail: number | undefined, cap: number): string {
  return `${SERVER_HASH_FUNCTION}fb_range() {
  if [ "$fb_off" -eq 0 ]; then head -c "$fb_len" -- "$fb_f"; else tail -c "+$((fb_off + 1))" -- "$fb_f" | head -c "$fb_len"; fi
}
fb_main() {
  fb_f=${shQuote(file)}; fb_size=${size}; fb_tail=${tail ?? "''"}; fb_cap=${cap}
  if [ ! -r "$fb_f" ]; then echo 'FIREBREAK-ERROR not readable' >&2; return 3; fi
  fb_off=0; fb_len=$fb_size
  if [ -n "$fb_tail" ]; then
    fb_b=$(( $(head -c "$fb_size" -- "$fb_f" | tail -n "$fb_tail" | wc -c) ))
    fb_off=$((fb_size - fb_b)); fb_len=$fb_b
  fi
  if [ "$fb_len" -gt "$fb_cap" ]; then fb_len=$fb_cap; fi
  echo "FIREBREAK-RANGE $fb_off $fb_len" >&2
  { fb_range | fb_hash | sed 's/^/FIREBREAK-SHA256 /' >&2; } &
  fb_range
  fb_rc=$?
  wait
  echo "FIREBREAK-END $fb_rc $(stat -L -c '%s %Y' -- "$fb_f" 2>/dev/null)" >&2
}
fb_main </dev/null
`;
}

/** How the per-file script is described in custody entries (the file-specific values as placeholders). */
export const COPY_COMMAND_SUMMARY =
  'sh -s: head -c LEN -- PATH (tail -c +OFFSET for --tail), in parallel the same range | openssl dgst -sha256 (or sha256sum, shasum -a 256)';

export function parseListing(out: Buffer): Listed[] {
  const records: Listed[] = [];
  for (const raw of out.toString('utf8').split('\0')) {
    if (raw === '') continue;
    const kind = raw[0];
    if (kind === 'M' || kind === 'D') {
      records.push({ kind, path: raw.slice(2) });
      continue;
    }
    if (kind !== 'F') continue;
    const fields = raw.slice(2).split(' ');
    if (fields.length < 8) continue;
    const [mode, size, mtime, uid, gid, owner, group] = fields;
    records.push({
      kind: 'F',
      mode: parseInt(mode!, 16),
      size: Number(size),
      mtime: Number(mtime),
      uid: Number(uid),
      gid: Number(gid),
      owner: owner!,
      group: group!,
      path: fields.slice(7).join(' '),
    });
  }
  return records;
}

export function markers(stderr: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of stderr.split('\n')) {
    const m = /^FIREBREAK-([A-Z0-9]+) ?(.*)$/.exec(line.trim());
    if (m && !map.has(m[1]!)) map.set(m[1]!, m[2]!);
  }
  return map;
}

export function noise(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('FIREBREAK-'))
    .join('; ')
    .slice(0, 500);
}

const artifactName = (target: Target, f: Listed): string => `${target.name}/${readableName(f.path)}`;

const TYPE_MASK = 0o170000;
const REGULAR = 0o100000;

export function sourceOf(f: Listed): SourceInfo {
  const type = ((f.mode ?? 0) & TYPE_MASK) === REGULAR ? 'file' : 'unknown';
  return { path: f.path, type, size: f.size ?? 0, mtime: new Date((f.mtime ?? 0) * 1000).toISOString(), uid: f.uid ?? -1, gid: f.gid ?? -1, owner: f.owner ?? null, group: f.group ?? null, mode: f.mode ?? 0 };
}

/** Collects the files; the connection dropping ends it with TargetConnectionLost (collection incomplete). */
export async function collectRemoteFiles(ctx: CollectionContext, target: Target, request: RemoteFileRequest): Promise<void> {
  const filters = toFilters(request);
  ctx.progress(0, `listing ${request.paths.join(' ')} on ${target.name}`);
  const listing = await target.exec(listingScript(request.paths), ctx.signal ? { signal: ctx.signal } : {});
  const chunks: Buffer[] = [];
  for await (const chunk of listing.stdout as AsyncIterable<Buffer>) chunks.push(chunk);
  const listed = await listing.done;
  if (listed.connectionLost) throw new TargetConnectionLost(target.name, listed.connectionLost);
  if (listed.stalled) throw new Error(`listing files: ${listed.stalled}`);
  const error = markers(listed.stderr).get('ERROR');
  if (error) throw new Error(`${target.name}: ${error}`);
  if (listed.code !== 0) throw new Error(`listing files on ${target.name} failed (exit ${listed.code}): ${noise(listed.stderr) || 'no message'}`);
  const seen = new Set<string>();
  const files = parseListing(Buffer.concat(chunks)).filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
  const maxFiles = request.maxFiles ?? 100_000;
  if (files.length > maxFiles) throw new Error(`${files.length} files match on ${target.name}, more than the limit of ${maxFiles}; narrow the patterns`);
  // Small files travel many to a session (one tar stream); big ones, --tail and odd names one each.
  const singles: Listed[] = [];
  const small: Listed[] = [];
  for (const f of files) {
    ctx.signal?.throwIfAborted();
    const name = artifactName(target, f);
    if (f.kind !== 'F') {
      await ctx.add(emptyArtifact(name, f.kind === 'M' ? 'vanished' : 'symlink-recorded', f.kind === 'M' ? `no such file on ${target.name}` : 'dangling symlink on the target', null));
      continue;
    }
    const source = sourceOf(f);
    if (source.type !== 'file') {
      await ctx.add(emptyArtifact(name, 'special-file-skipped', 'not a regular file: never opened', source));
      continue;
    }
    if (filters.since !== undefined && (f.mtime ?? 0) * 1000 < filters.since) {
      ctx.skipped('older than since');
      continue;
    }
    (request.batch !== false && batchable(f, filters) ? small : singles).push(f);
  }
  // The time left: bytes to read, from the listing's sizes (a --tail reads an unknown part of each).
  if (filters.tail === undefined) ctx.expect?.([...small, ...singles].reduce((n, f) => n + Math.min(f.size ?? 0, filters.maxBytes), 0));
  const writer = new MemberWriter(ctx.store);
  const batchTasks: Array<() => Promise<void>> = batches(small).map((batch) => async () => {
    // What the batch could not vouch for (changed, unreadable, missing) is copied on its own.
    for (const f of await copyBatch(ctx, target, batch, filters, writer)) await ctx.add(await copyOne(ctx, target, artifactName(target, f), f, sourceOf(f), filters));
  });
  const singleTasks: Array<() => Promise<void>> = singles.map((f) => async () => ctx.add(await copyOne(ctx, target, artifactName(target, f), f, sourceOf(f), filters, request.pushdown !== false)));
  const sessions = Math.max(1, Math.min(request.concurrency ?? 4, batchTasks.length + singleTasks.length));
  // A batch keeps a laptop core busy (hashing and storing member after member): more at once
  // than cores only adds contention (measured: 10,000 files on 2 cores took 1.2× as long with
  // 4 batches at once as with 2). The other sessions take single files meanwhile.
  const batchSlots = Math.max(1, Math.min(sessions, os.availableParallelism()));
  let batchesRunning = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      ctx.signal?.throwIfAborted();
      if (batchTasks.length > 0 && batchesRunning < batchSlots) {
        batchesRunning++;
        try {
          await batchTasks.shift()!();
        } finally {
          batchesRunning--;
        }
      } else if (singleTasks.length > 0) await singleTasks.shift()!();
      // Batches left but their slots taken: the workers running them take the rest.
      else return;
    }
  };
  try {
    await Promise.all(Array.from({ length: sessions }, worker));
  } finally {
    await writer.close();
  }
}

/** Thrown inside a pushed-down copy that turns out not to be provably identical: filter on the laptop instead. */
class PushdownDeclined extends Error {}

async function copyOne(ctx: CollectionContext, target: Target, name: string, f: Listed, source: SourceInfo, filters: FileFilters, pushdown = true): Promise<ArtifactDraft> {
  ctx.progress(0, `${target.name}:${f.path}`);
  const size = f.size ?? 0;
  const literals = pushdown ? pushdownLiterals(filters, size) : null;
  const script = literals ? grepScript(f.path, size, literals) : copyScript(f.path, size, filters.tail, filters.maxBytes);
  const proc = await target.exec(script, ctx.signal ? { signal: ctx.signal } : {});
  const sink: StoreSink = await ctx.store.createSink(ctx.signal);
  const rx = new RemoteReceiver(sink, filters, ctx.now(), ctx.matched);
  // With a pushed-down grep the first stdout line says whether the server filtered (grep) or sent the range (raw).
  let mode: 'grep' | 'raw' | null = literals ? null : 'raw';
  let grepped: OffsetLines | null = null;
  let end: ProcessEnd;
  try {
    end = await receiveRemote(
      target,
      proc,
      async (stdout) => {
        let head = Buffer.alloc(0);
        for await (const arrived of stdout) {
          let chunk = arrived;
          if (mode === null) {
            head = Buffer.concat([head, chunk]);
            const nl = head.indexOf(10);
            if (nl === -1) continue;
            const m = /^FIREBREAK-MODE (grep|raw) ([01])$/.exec(head.subarray(0, nl).toString('latin1'));
            if (!m) throw new PushdownDeclined();
            mode = m[1] as 'grep' | 'raw';
            if (mode === 'grep') grepped = new OffsetLines(size, m[2] === '1');
            chunk = head.subarray(nl + 1);
          }
          if (!grepped) {
            ctx.progress(chunk.length);
            await rx.push(chunk);
            continue;
          }
          // The server searched up to the last line it sent: that many source bytes are done.
          const g = grepped as OffsetLines;
          const [searched, lines] = [g.searched, g.lines];
          for (const line of g.push(chunk)) await sink.write(Buffer.from(line));
          if (g.tooLong) throw new PushdownDeclined();
          ctx.progress(g.searched - searched);
          ctx.matched?.(g.lines - lines);
        }
        if (grepped && !(grepped as OffsetLines).clean) throw new PushdownDeclined();
        // The rest of the source held no match: searched all the same.
        if (grepped) ctx.progress(size - (grepped as OffsetLines).searched);
        await rx.end();
      },
      () => sink.abort(),
    );
  } catch (error) {
    if (error instanceof PushdownDeclined) return copyOne(ctx, target, name, f, source, filters, false);
    throw error;
  }
  if (grepped) return finishGrepped(target, name, f, source, filters, sink, grepped, end);
  const m = markers(end.stderr);
  const fail = async (status: ArtifactStatus, detail: string): Promise<ArtifactDraft> => {
    await sink.abort();
    return emptyArtifact(name, status, detail, source);
  };
  // A hung read (the connection itself alive): this file is not stored, the others go on.
  if (end.stalled) return fail('unreadable', `${end.stalled}; ${rx.received} bytes had arrived, not stored`);
  if (m.has('ERROR')) return fail('unreadable', `${m.get('ERROR')} on ${target.name}${noise(end.stderr) ? `: ${noise(end.stderr)}` : ''}`);
  const range = (m.get('RANGE') ?? '').split(' ').map(Number);
  const endFields = (m.get('END') ?? '').split(' ');
  if (range.length !== 2 || endFields[0] === '' || end.code !== 0) return fail('unreadable', `the copy on ${target.name} did not finish (exit ${end.code})${noise(end.stderr) ? `: ${noise(end.stderr)}` : ''}`);
  const [offset, length] = range as [number, number];
  const local = rx.receivedSha256();
  const serverHash = (m.get('SHA256') ?? '').slice(0, 64);
  const tool = m.get('HASHTOOL') ?? null;
  const endSize = Number(endFields[1]);
  const endMtime = Number(endFields[2]);
  if (rx.received < length) return fail('changed-during-copy', `the file shrank on ${target.name} while it was copied (${rx.received} of ${length} bytes arrived); not stored`);
  const hashed = /^[0-9a-f]{64}$/.test(serverHash);
  if (hashed && serverHash !== local) {
    return fail('changed-during-copy', `SHA-256 mismatch: ${target.name} computed ${serverHash} (${tool}), the laptop received ${local}; not stored`);
  }
  const blob = await sink.finish();
  let status: ArtifactStatus = 'ok';
  const notes: string[] = [];
  if (rx.binary) status = 'binary';
  else if (!rx.derived && length < size && filters.tail === undefined) status = 'truncated-by-cap';
  else if (rx.capped) status = 'truncated-by-cap';
  else if (Number.isFinite(endSize) && endSize > size) {
    status = 'grew-during-copy';
    notes.push(`grew to ${endSize} bytes while copying; the first ${size} are stored`);
  } else if (Number.isFinite(endMtime) && endMtime !== f.mtime) status = 'changed-during-copy';
  return receivedDraft({ name, source, receiver: rx, blob, status, offset, length, receivedSha256: local, serverHash: hashed ? serverHash : null, tool, notes, filters, targetName: target.name });
}

/** A copy the server filtered: its hash of the whole source is recorded, the laptop's of what it stored. */
async function finishGrepped(target: Target, name: string, f: Listed, source: SourceInfo, filters: FileFilters, sink: StoreSink, grepped: OffsetLines, end: ProcessEnd): Promise<ArtifactDraft> {
  const m = markers(end.stderr);
  const endFields = (m.get('END') ?? '').split(' ');
  const serverHash = (m.get('SHA256') ?? '').slice(0, 64);
  const tool = m.get('HASHTOOL') ?? null;
  const size = f.size ?? 0;
  const fail = async (status: ArtifactStatus, detail: string): Promise<ArtifactDraft> => {
    await sink.abort();
    return emptyArtifact(name, status, detail, source);
  };
  if (end.stalled) return fail('unreadable', `${end.stalled}; not stored`);
  if (m.has('ERROR')) return fail('unreadable', `${m.get('ERROR')} on ${target.name}`);
  if (endFields[0] !== '0' || end.code !== 0 || !/^[0-9a-f]{64}$/.test(serverHash)) return fail('unreadable', `the filtered copy on ${target.name} did not finish (exit ${end.code})${noise(end.stderr) ? `: ${noise(end.stderr)}` : ''}`);
  const endSize = Number(endFields[1]);
  const endMtime = Number(endFields[2]);
  if (Number.isFinite(endSize) && endSize < size) return fail('changed-during-copy', `the file shrank on ${target.name} while it was read (${endSize} of ${size} bytes); not stored`);
  const blob = await sink.finish();
  const notes = [`filtered on ${target.name} by grep -F (a pattern of plain literals)`];
  let status: ArtifactStatus = 'ok';
  if (Number.isFinite(endSize) && endSize > size) {
    status = 'grew-during-copy';
    notes.push(`grew to ${endSize} bytes while copying; the first ${size} are searched`);
  } else if (Number.isFinite(endMtime) && endMtime !== f.mtime) status = 'changed-during-copy';
  return receivedDraft({
    name,
    source,
    receiver: { derived: true, binary: false, linesKept: grepped.lines },
    blob,
    status,
    offset: 0,
    length: size,
    receivedSha256: serverHash,
    serverHash,
    tool,
    notes,
    filters,
    targetName: target.name,
  });
}
