import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import * as tar from 'tar-stream';
import { shQuote } from '../targets/quote';
import type { Target } from '../targets/target';
import type { CollectionContext } from './context';
import { readableName } from './context';
import type { FileFilters } from './files';
import { MEMBER_MAX, type MemberWriter } from './member-writer';
import { markers, sourceOf, type Listed } from './remote-files';
import { receivedDraft, receiveRemote, RemoteReceiver } from './remote-receive';
import type { ArtifactStatus } from './types';

// Many small files from a target in one session (10,000 log files would otherwise cost
// 10,000 sessions): `tar -c` streams them on stdout while, in the same session, one
// `sha256sum` over the same list reports the server's hash of each on stderr. Each member
// is hashed on the laptop in the same read that writes it to the store, and committed only
// once its hash equals the server's and its size the listed one. Anything the batch cannot
// vouch for (changed since the listing, unreadable, a hash missing) is handed back and
// copied on its own session, where the per-file rules (grew, shrank, unreadable) apply.

/** Files from this size up get their own session: there the per-session cost no longer matters. */
export const BATCH_FILE_MAX = 1 << 20;
/**
 * Bounds per session. Members wait for the server's hashes as closed temp files (no
 * descriptor held) and the hashes are read as they stream in, so what bounds a batch is
 * the argument list (`tar`/`sha256sum -- PATHS`, well under ARG_MAX) and the laptop's
 * bookkeeping. Each session costs a process here, an sshd session and a shell there, and
 * a pause between streams: 40 batches of 256 for 10,000 files were a fifth of the time.
 */
export const BATCH_FILES = 1024;
const BATCH_NAME_BYTES = 64 * 1024;
const FINISH_AT_ONCE = 16;

/**
 * Whether a file can go in a batch. Not with --tail (the range needs the file's own line
 * count) nor a name with a newline or backslash: sha256sum escapes those in its output, and
 * busybox's does not, so the name could not be matched reliably.
 */
export function batchable(f: Listed, filters: FileFilters): boolean {
  return filters.tail === undefined && (f.size ?? 0) < Math.min(BATCH_FILE_MAX, filters.maxBytes + 1) && !/[\n\\]/.test(f.path);
}

export function batches(files: readonly Listed[]): Listed[][] {
  const out: Listed[][] = [];
  let current: Listed[] = [];
  let bytes = 0;
  for (const f of files) {
    const len = Buffer.byteLength(f.path);
    if (current.length > 0 && (current.length >= BATCH_FILES || bytes + len > BATCH_NAME_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(f);
    bytes += len;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * The batch script. The server's hash prefers `openssl dgst` where it works: it uses the
 * CPU's SHA instructions, a fifth of the server CPU of coreutils sha256sum for the same
 * SHA-256 (the tool is named in every artifact). Paths are single-quoted words set as "$@"
 * (never interpolated), always after `--`; they are absolute, so none starts with `-` either way. tar's own messages go
 * to /dev/null: a file it could not read is missing from the stream and copied again alone,
 * which reports the reason. `-h` follows symlinks (the listing stat'ed their targets);
 * GNU tar also needs --hard-dereference, or a second name of the same inode is a link
 * member without content.
 */
export function batchScript(paths: readonly string[]): string {
  return `fb_main() {
  set -- ${paths.map(shQuote).join(' ')}
  command -v tar >/dev/null 2>&1 || { echo 'FIREBREAK-ERROR tar is not installed on the server' >&2; return 3; }
  if command -v openssl >/dev/null 2>&1 && openssl dgst -sha256 -r </dev/null >/dev/null 2>&1; then fb_tool='openssl dgst -sha256'
  elif command -v sha256sum >/dev/null 2>&1; then fb_tool='sha256sum'
  elif command -v shasum >/dev/null 2>&1; then fb_tool='shasum -a 256'
  else fb_tool=''; fi
  echo "FIREBREAK-HASHTOOL $fb_tool" >&2
  { case $fb_tool in
      sha256sum) sha256sum -- "$@" ;;
      shasum*) shasum -a 256 -- "$@" ;;
      openssl*) openssl dgst -sha256 -r "$@" ;;
    esac 2>/dev/null | sed 's/^/FIREBREAK-SUM /' >&2; } &
  fb_h=''
  if tar --version 2>/dev/null | grep GNU >/dev/null 2>&1; then fb_h='--hard-dereference'; fi
  tar -c -h $fb_h -f - -- "$@" 2>/dev/null
  fb_rc=$?
  wait
  echo "FIREBREAK-END $fb_rc" >&2
}
fb_main </dev/null
`;
}

/** How the batch script is described in custody entries. */
export const BATCH_COMMAND_SUMMARY = 'sh -s: tar -c -h [--hard-dereference] -f - -- PATHS (up to 1024 files under 1 MiB), in parallel openssl dgst -sha256 -r PATHS (or sha256sum --, shasum -a 256 --)';

/** `FIREBREAK-SUM <hash>  <path>` (sha256sum, shasum) or `<hash> *<path>` (openssl -r). */
export function parseSums(stderr: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of stderr.split('\n')) takeSum(sums, line);
  return sums;
}

function takeSum(sums: Map<string, string>, line: string): void {
  const m = /^FIREBREAK-SUM ([0-9a-f]{64}) [ *](.*)$/.exec(line);
  if (m) sums.set(m[2]!, m[1]!);
}

/** The server's hashes as they stream in on stderr (there may be far more than the stderr kept). */
class SumReader {
  readonly sums = new Map<string, string>();
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  push(chunk: Buffer): void {
    const lines = (this.rest + this.decoder.write(chunk)).split('\n');
    this.rest = lines.pop()!;
    for (const line of lines) takeSum(this.sums, line);
  }

  end(): Map<string, string> {
    takeSum(this.sums, this.rest + this.decoder.end());
    this.rest = '';
    return this.sums;
  }
}

interface Member {
  readonly file: Listed;
  readonly rx: RemoteReceiver;
  readonly size: number;
  readonly mtime: number;
  complete: boolean;
}

/** Copies one batch; returns the files it could not vouch for (to be copied one by one). */
export async function copyBatch(ctx: CollectionContext, target: Target, batch: readonly Listed[], filters: FileFilters, writer: MemberWriter): Promise<Listed[]> {
  ctx.progress(0, `${target.name}: ${batch.length} files from ${batch[0]!.path}`);
  const byPath = new Map(batch.map((f) => [f.path, f]));
  const members = new Map<string, Member>();
  const discard = async (): Promise<void> => {
    for (const m of members.values()) await m.rx.sink.abort();
    members.clear();
  };
  const reader = new SumReader();
  const proc = await target.exec(batchScript(batch.map((f) => f.path)), { ...(ctx.signal ? { signal: ctx.signal } : {}), onStderr: (chunk) => reader.push(chunk) });
  let broken = false;
  const end = await receiveRemote(
    target,
    proc,
    async (stdout) => {
      const extract = tar.extract();
      const feed = (async () => {
        try {
          for await (const chunk of stdout) if (!extract.write(chunk)) await once(extract, 'drain');
          extract.end(undefined);
        } catch (error) {
          extract.destroy(error as Error);
        }
      })();
      try {
        for await (const entry of extract) {
          ctx.signal?.throwIfAborted();
          const { header } = entry;
          // GNU and busybox tar both drop the leading "/" from member names.
          const file = byPath.get(header.name.startsWith('/') ? header.name : `/${header.name}`);
          if (!file || members.has(file.path) || (header.type !== 'file' && header.type !== 'contiguous-file')) {
            for await (const _ of entry) void _;
            continue;
          }
          // A member that grew past the batch limit since the listing is streamed to the store instead.
          const sink = header.size <= MEMBER_MAX ? await writer.sink(header.size, ctx.signal) : await ctx.store.createSink(ctx.signal);
          const member: Member = { file, rx: new RemoteReceiver(sink, filters, ctx.now(), ctx.matched), size: header.size, mtime: Math.floor(header.mtime.getTime() / 1000), complete: false };
          members.set(file.path, member);
          for await (const chunk of entry as AsyncIterable<Buffer>) {
            await member.rx.push(chunk);
            ctx.progress(chunk.length);
          }
          await member.rx.end();
          // Closed now: it waits for the server's hash without holding a descriptor.
          await member.rx.sink.seal();
          member.complete = member.rx.received === member.size;
        }
      } catch (error) {
        // A cut-off archive: what arrived whole may still be vouched for below.
        if (ctx.signal?.aborted) throw error;
        broken = true;
      }
      await feed;
    },
    discard,
  );
  const sums = reader.end();
  const m = markers(end.stderr);
  const tool = m.get('HASHTOOL') || null;
  const retry: Listed[] = [];
  try {
    const vouched: Array<{ readonly f: Listed; readonly member: Member; readonly local: string; readonly server: string | null }> = [];
    for (const f of batch) {
      const member = members.get(f.path);
      const local = member?.complete ? member.rx.receivedSha256() : null;
      const server = sums.get(f.path) ?? null;
      // Vouched for: arrived whole, the size listed, and the server hashed the same bytes (or has no tool at all).
      if (!member || !local || member.size !== f.size || (tool ? server !== local : end.stalled !== undefined || broken)) retry.push(f);
      else vouched.push({ f, member, local, server });
    }
    // Committed FINISH_AT_ONCE at a time: each is a few file-system round trips, and one by one they would idle this session's worker.
    for (let i = 0; i < vouched.length; i += FINISH_AT_ONCE) {
      const group = vouched.slice(i, i + FINISH_AT_ONCE);
      const blobs = await Promise.all(
        group.map(({ f, member }) => {
          members.delete(f.path);
          return member.rx.sink.finish();
        }),
      );
      for (const [k, { f, member, local, server }] of group.entries()) {
        const status: ArtifactStatus = member.rx.binary ? 'binary' : member.rx.capped ? 'truncated-by-cap' : member.mtime !== f.mtime ? 'changed-during-copy' : 'ok';
        await ctx.add(
          receivedDraft({
            name: `${target.name}/${readableName(f.path)}`,
            source: sourceOf(f),
            receiver: member.rx,
            blob: blobs[k]!,
            status,
            offset: 0,
            length: member.size,
            receivedSha256: local,
            serverHash: server,
            tool,
            notes: [],
            filters,
            targetName: target.name,
          }),
        );
      }
    }
  } finally {
    // Whatever was not committed (retried, or a failure on the way) leaves no temp file.
    await discard();
  }
  return retry;
}
