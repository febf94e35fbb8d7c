import crypto from 'node:crypto';
import { TargetConnectionLost, type ProcessEnd, type Target, type TargetProcess } from '../targets/target';
import type { StoreSink } from './cas';
import { scanOptions, type FileFilters } from './files';
import { LineRing, looksBinary } from './lines';
import { LineScanner } from './scan/line-scan';
import type { ArtifactDraft, ArtifactStatus, Derivation, SourceInfo } from './types';

// What the remote collectors share: the bytes of one file as they arrive from a target
// (whole, or through the same line filters as local collection), and the end of a remote
// stream (nothing half-written survives a failure or a lost connection).

const BINARY_HEAD = 8192;

/** Where a received file is stored: a StoreSink, or a batch member's MemberSink (member-writer.ts). */
export type BlobSink = Pick<StoreSink, 'write' | 'sha256SoFar' | 'seal' | 'finish' | 'abort'>;

export const isLineFiltering = (filters: FileFilters): boolean =>
  filters.grep !== undefined || filters.since !== undefined || filters.until !== undefined || filters.level !== undefined;

/**
 * One file's bytes into one sink. Unfiltered (or binary), the bytes are stored as they come
 * and the sink's own hash is the received hash; filtered, the lines the scanner keeps are
 * stored and the received bytes are hashed separately (the source hash).
 */
export class RemoteReceiver {
  received = 0;
  binary = false;
  kept = 0;
  linesKept = 0;
  /** Filtering: the bytes held until the first 8 KiB decide binary or text (chunks may be any size). */
  private held: Buffer[] | null = null;
  private heldBytes = 0;
  private readonly filtering: boolean;
  private readonly sourceHash: crypto.Hash | null;
  private readonly scanner: LineScanner | null;
  private readonly ring: LineRing | null;

  constructor(
    readonly sink: BlobSink,
    private readonly filters: FileFilters,
    now: number,
    /** Told of each line kept as it is kept (the collection's "lines matched" progress). */
    private readonly onKept?: (lines: number) => void,
  ) {
    this.filtering = isLineFiltering(filters);
    this.sourceHash = this.filtering ? crypto.createHash('sha256') : null;
    // The same byte scan as local collection (scan/line-scan.ts), on the bytes as they arrive.
    this.scanner = this.filtering ? new LineScanner(scanOptions(filters, now)) : null;
    this.ring = this.filtering && filters.tail !== undefined ? new LineRing(filters.tail) : null;
    if (this.filtering) this.held = [];
  }

  /** Whether what is stored is a filtered view of what arrived. */
  get derived(): boolean {
    return this.filtering && !this.binary;
  }

  get capped(): boolean {
    return this.derived && this.kept >= this.filters.maxBytes;
  }

  async push(chunk: Buffer): Promise<void> {
    this.received += chunk.length;
    this.sourceHash?.update(chunk);
    if (this.held) {
      // As local collection decides: a NUL in the first 8 KiB, however the bytes were chunked.
      this.held.push(Buffer.from(chunk));
      this.heldBytes += chunk.length;
      if (this.heldBytes < BINARY_HEAD) return;
      await this.release();
      return;
    }
    await this.process(chunk);
  }

  private async release(): Promise<void> {
    const held = Buffer.concat(this.held ?? []);
    this.held = null;
    this.binary = looksBinary(held);
    if (held.length > 0) await this.process(held);
  }

  private async process(chunk: Buffer): Promise<void> {
    if (!this.scanner || this.binary) {
      await this.sink.write(chunk);
      return;
    }
    for (const line of this.scanner.push(chunk)) await this.take(line);
  }

  async end(): Promise<void> {
    if (this.held) await this.release();
    if (!this.scanner || this.binary) return;
    for (const line of this.scanner.flush()) await this.take(line);
    if (this.ring) for (const line of this.ring.drain()) await this.keep(line);
  }

  /** SHA-256 of every byte that arrived (call after `end`). */
  receivedSha256(): string {
    return this.sourceHash ? this.sourceHash.digest('hex') : this.sink.sha256SoFar();
  }

  private async take(line: Buffer): Promise<void> {
    if (this.ring) this.ring.push(line);
    else await this.keep(line);
  }

  private async keep(line: Buffer): Promise<void> {
    if (this.kept >= this.filters.maxBytes) return;
    const piece = line.subarray(0, this.filters.maxBytes - this.kept);
    this.kept += piece.length;
    this.linesKept++;
    this.onKept?.(1);
    await this.sink.write(Buffer.from(piece));
  }
}

/**
 * Feeds a remote command's stdout to `each` and waits for its end. A failure on the way
 * (cancel, store error) kills the command and runs `discard`; a lost connection runs
 * `discard` and throws TargetConnectionLost: the collection ends incomplete, nothing of
 * this stream committed.
 */
export async function receiveRemote(
  target: Target,
  proc: TargetProcess,
  each: (stdout: AsyncIterable<Buffer>) => Promise<void>,
  discard: () => Promise<void>,
): Promise<ProcessEnd> {
  try {
    await each(proc.stdout as AsyncIterable<Buffer>);
  } catch (error) {
    proc.kill();
    const end = await proc.done;
    await discard();
    if (end.connectionLost) throw new TargetConnectionLost(target.name, end.connectionLost);
    throw error;
  }
  const end = await proc.done;
  if (end.connectionLost) {
    await discard();
    throw new TargetConnectionLost(target.name, end.connectionLost);
  }
  return end;
}

export function emptyArtifact(name: string, status: ArtifactStatus, detail: string, source: SourceInfo | null): ArtifactDraft {
  return { name, kind: 'file', status, detail, sha256: null, size: null, mediaType: 'application/octet-stream', binary: false, source, sourceSha256: null, derivation: null };
}

export interface ReceivedCopy {
  readonly name: string;
  readonly source: SourceInfo;
  readonly receiver: Pick<RemoteReceiver, 'derived' | 'binary' | 'linesKept'>;
  readonly blob: { readonly sha256: string; readonly size: number };
  readonly status: ArtifactStatus;
  /** `[offset, offset+length)` of the source that was read. */
  readonly offset: number;
  readonly length: number;
  /** SHA-256 of the bytes read, as received (and, where the server had a tool, as it computed them). */
  readonly receivedSha256: string;
  /** The server's own hash of that range, and its tool (null: none on the server). */
  readonly serverHash: string | null;
  readonly tool: string | null;
  readonly notes: readonly string[];
  readonly filters: FileFilters;
  readonly targetName: string;
}

/** The artifact of a file that arrived, was checked and stored. */
export function receivedDraft(c: ReceivedCopy): ArtifactDraft {
  const { filters, receiver } = c;
  const derived = receiver.derived;
  const wholeSource = c.offset === 0 && c.length === c.source.size;
  const derivation: Derivation | null =
    derived || filters.tail !== undefined
      ? {
          ...(filters.tail !== undefined ? { tail: filters.tail, fromOffset: c.offset } : {}),
          ...(filters.grep ? { grep: filters.grep.source } : {}),
          ...(filters.since !== undefined ? { since: new Date(filters.since).toISOString(), sinceMode: 'lines' as const } : {}),
          ...(filters.until !== undefined ? { until: new Date(filters.until).toISOString() } : {}),
          ...(filters.level !== undefined ? { level: filters.level } : {}),
          sourceReadWhole: wholeSource,
          ...(derived ? { linesKept: receiver.linesKept } : {}),
        }
      : null;
  const serverNote = c.serverHash ? [] : [`${c.targetName} has no sha256sum, shasum or openssl: its own hash could not be compared`];
  return {
    name: c.name,
    kind: derived ? 'derived' : 'file',
    status: c.status,
    detail: [`server sha256 ${c.serverHash ?? 'unavailable'}${c.tool ? ` (${c.tool})` : ''} of bytes ${c.offset}–${c.offset + c.length}`, ...c.notes, ...serverNote].join('; '),
    sha256: c.blob.sha256,
    size: c.blob.size,
    mediaType: receiver.binary ? 'application/octet-stream' : 'text/plain; charset=utf-8',
    binary: receiver.binary,
    source: c.source,
    // The hash of the original when what is stored is a filtered view of the whole file.
    sourceSha256: derived && wholeSource ? c.receivedSha256 : null,
    derivation,
  };
}
