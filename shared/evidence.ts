// Plain data types of evidence collection and preservation (issue 5), shared by the main
// side and the renderer: they cross IPC/WebSocket as JSON.
import { assertNever } from './assert';

export const BAG_FORMATS = ['dir', 'tar', 'zip'] as const;

/** `--level X` keeps lines of level X and more severe (JSON `level` fields and plain ERROR/WARN/… words). */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type BagFormat = (typeof BAG_FORMATS)[number];

/** What happened to one source, in order of how much it matters to a reviewer. */
export type ArtifactStatus =
  | 'ok'
  /** Stored, but only the first `maxBytes` of the source (or of the filtered output). */
  | 'truncated-by-cap'
  /** The source grew while it was copied; what was there at the start is stored. */
  | 'grew-during-copy'
  /** The source shrank, was rewritten, or its mtime moved during the copy. */
  | 'changed-during-copy'
  | 'unreadable'
  | 'vanished'
  /** FIFO, socket or device: never opened (opening a FIFO blocks, a device never ends). */
  | 'special-file-skipped'
  /** A symlink pointing outside the requested roots (or dangling): its target is recorded, not followed. */
  | 'symlink-recorded'
  /** Binary content stored whole; line filters (tail/grep/since) were not applied. */
  | 'binary'
  | 'command-failed';

export type ArtifactKind = 'file' | 'derived' | 'snapshot' | 'listing' | 'command' | 'transcript' | 'symlink' | 'special';

export type CollectionStatus = 'running' | 'complete' | 'cancelled' | 'failed' | 'incomplete';

/**
 * What the operator is shown of a collection. A missing path, a glob that matched nothing,
 * an unreadable or cut file is evidence missing: such a collection is `complete-with-warnings`
 * (amber, the warnings listed), never a green `complete` (issue 15).
 */
export type CollectionState = CollectionStatus | 'complete-with-warnings';

/** Whether an artifact holds its source whole; every other status is a warning on its collection. */
export function storedWhole(status: ArtifactStatus): boolean {
  switch (status) {
    case 'ok':
    case 'binary':
      return true;
    case 'truncated-by-cap':
    case 'grew-during-copy':
    case 'changed-during-copy':
    case 'unreadable':
    case 'vanished':
    case 'special-file-skipped':
    case 'symlink-recorded':
    case 'command-failed':
      return false;
    default:
      return assertNever(status, 'artifact status');
  }
}

/** The artifacts of a collection that are warnings (not stored whole), in their order. */
export const collectionWarnings = <A extends { readonly status: ArtifactStatus }>(artifacts: readonly A[]): A[] => artifacts.filter((a) => !storedWhole(a.status));

export function collectionState(status: CollectionStatus, warnings: number): CollectionState {
  switch (status) {
    case 'complete':
      return warnings > 0 ? 'complete-with-warnings' : 'complete';
    case 'running':
    case 'cancelled':
    case 'failed':
    case 'incomplete':
      return status;
    default:
      return assertNever(status, 'collection status');
  }
}

export interface SourceInfo {
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'char-device' | 'block-device' | 'unknown';
  readonly size: number;
  readonly mtime: string;
  readonly uid: number;
  readonly gid: number;
  readonly owner: string | null;
  readonly group: string | null;
  /** Permission bits and type, as st_mode. */
  readonly mode: number;
  readonly linkTarget?: string;
  /** Set when a symlink inside the requested roots was followed to this real path. */
  readonly realPath?: string;
}

/** How a derived artifact was made from its source (absent for a plain copy). */
export interface Derivation {
  readonly tail?: number;
  readonly grep?: string;
  readonly since?: string;
  readonly until?: string;
  readonly level?: LogLevel;
  /** `lines`: lines kept by their leading timestamp; `mtime`: whole file kept because mtime >= since. */
  readonly sinceMode?: 'lines' | 'mtime';
  /** Byte offset in the source where the copied range starts (tail). */
  readonly fromOffset?: number;
  /** Whether the whole source was read, so `sourceSha256` is the hash of the original. */
  readonly sourceReadWhole: boolean;
  readonly linesKept?: number;
}

/** Mistaken evidence is never deleted: it is retracted, with the reason, by a custody entry. */
export interface ArtifactRetraction {
  readonly reason: string;
  readonly at: string;
  readonly actor: string;
}

export interface ArtifactRecord {
  readonly id: number;
  readonly incidentId: number;
  readonly collectionId: number;
  /** Readable relative name, used in listings and as the file name in an exported bag. */
  readonly name: string;
  readonly kind: ArtifactKind;
  readonly status: ArtifactStatus;
  readonly detail: string | null;
  /** SHA-256 of the stored bytes; null when nothing was stored (special files, symlinks, vanished). */
  readonly sha256: string | null;
  readonly size: number | null;
  readonly mediaType: string;
  readonly binary: boolean;
  readonly source: SourceInfo | null;
  /** SHA-256 of the original source when it was read whole but stored filtered. */
  readonly sourceSha256: string | null;
  readonly derivation: Derivation | null;
  readonly collector: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly host: string;
  readonly osUser: string;
  readonly collectedAt: string;
  /** Present once retracted: kept in the store and custody chain, left out of reports and default exports. */
  readonly retracted?: ArtifactRetraction;
}

export interface CollectionRecord {
  readonly id: number;
  readonly incidentId: number;
  readonly collector: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: CollectionStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly actor: string;
  readonly host: string;
  readonly pid: number;
  readonly artifactCount: number;
  readonly bytes: number;
  readonly error: string | null;
}

/** A quick count (lstat only) of what a files collection would take, stopped at the threshold. */
export interface CollectionEstimate {
  readonly files: number;
  readonly bytes: number;
  /** The walk stopped at the threshold: there are more files and bytes than counted. */
  readonly moreThan: boolean;
  /** Above the threshold: the collection needs `confirmLarge` (the operator's confirmation). */
  readonly large: boolean;
  readonly threshold: { readonly files: number; readonly bytes: number };
}

export interface CollectionProgress {
  readonly collectionId: number;
  readonly files: number;
  readonly bytes: number;
  readonly bytesPerSecond: number;
  readonly elapsedMs: number;
  readonly current: string | null;
  /** Lines the line filters kept so far (0 without --grep/--since/--until/--level). */
  readonly linesMatched: number;
  /** Source bytes the collection expects to read (the walk before it), when known. */
  readonly totalBytes: number | null;
  /** Time left, from bytes done against totalBytes at the rate so far; null until that means something. */
  readonly etaMs: number | null;
}

export interface CollectOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CollectionProgress) => void;
}

export interface CollectionResult {
  readonly collection: CollectionRecord;
  readonly artifacts: readonly ArtifactRecord[];
}

/** What a collector hands to the collection before it gets an id and a custody entry. */
export type ArtifactDraft = Omit<ArtifactRecord, 'id' | 'incidentId' | 'collectionId' | 'collector' | 'params' | 'host' | 'osUser' | 'collectedAt' | 'retracted'> & {
  readonly collectedAt?: string;
};

export interface IntegrityFailure {
  /** The file (bag-relative path, store path or artifact name) that does not match. */
  readonly file: string;
  readonly kind: 'missing' | 'extra' | 'checksum' | 'oxum' | 'format' | 'custody' | 'size';
  readonly message: string;
  readonly algorithm?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly artifactId?: number;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly target: string;
  readonly filesChecked: number;
  readonly bytesChecked: number;
  readonly failures: readonly IntegrityFailure[];
}

/** One page of a stored artifact (the UI pages through big ones). */
export interface ArtifactChunk {
  readonly artifact: ArtifactRecord;
  readonly offset: number;
  readonly totalSize: number;
  readonly eof: boolean;
  /** utf8 for text artifacts, base64 for binary ones. */
  readonly encoding: 'utf8' | 'base64';
  readonly content: string;
}

export interface SearchMatch {
  readonly line: number;
  /** Byte offset of the line in the stored artifact. */
  readonly offset: number;
  readonly text: string;
}

export interface SearchResult {
  readonly matches: readonly SearchMatch[];
  readonly truncated: boolean;
}

export interface BagExportResult {
  readonly path: string;
  readonly format: BagFormat;
  readonly payloadOxum: string;
  readonly files: number;
  readonly bytes: number;
  /** sha256 of tagmanifest-sha256.txt: one value naming the whole bag in the custody entry. */
  readonly tagManifestSha256: string;
  /** Artifacts whose stored bytes no longer match their recorded hash (exported as they are). */
  readonly warnings: readonly IntegrityFailure[];
  /** The last timeline entry in the bag (also in bag-info.txt): what the bag's chain must end at. */
  readonly timelineHead: { readonly seq: number; readonly hash: string } | null;
}

/** A Firebreak bag's own hash chain (data/timeline.json), as recomputed by verification. */
export interface BagTimelineSummary {
  readonly entries: number;
  readonly firstHash: string;
  /** When the first entry was written: with the incident id, it tells this profile's incident from another's. */
  readonly firstAt: string;
  readonly headHash: string;
}

/**
 * Evidence another laptop of the team collected (its custody entry synced here) whose bytes
 * are not on this laptop: a bag lists it in bag-info/remote-evidence.json (docs/team.md).
 */
export interface RemoteEvidenceItem {
  /** The evidence.collected entry of the bag's timeline that records it. */
  readonly entrySeq: number;
  /** Its id on the laptop that collected it. */
  readonly artifactId: number;
  readonly name: string;
  readonly sha256: string | null;
  readonly size: number | null;
  /** Where the bytes live: the collecting device. */
  readonly deviceId: string;
  readonly deviceName: string;
  /** actor@host of the custody entry. */
  readonly collectedBy: string;
}

export interface BagVerificationReport extends VerificationReport {
  readonly bagInfo: Record<string, string[]>;
  readonly algorithms: readonly string[];
  /** Present when the bag is a Firebreak bag whose chain recomputes. */
  readonly timeline?: BagTimelineSummary;
  /** Evidence the bag lists as living on another laptop: not here, and not a failure. */
  readonly remote?: readonly RemoteEvidenceItem[];
}

/** What the Evidence tab shows: every collection and every artifact of the incident. */
export interface EvidenceListing {
  readonly collections: readonly CollectionRecord[];
  readonly artifacts: readonly ArtifactRecord[];
}

/** `evidence.progress`: a running collection started with `requestId`. */
export interface EvidenceProgressEvent {
  readonly incidentId: number;
  readonly requestId: string;
  readonly collectionId: number;
  readonly files: number;
  readonly bytes: number;
  readonly bytesPerSecond: number;
  readonly elapsedMs: number;
  readonly current: string | null;
  /** As in CollectionProgress; absent from collectors that do not report them (remote targets). */
  readonly linesMatched?: number;
  readonly totalBytes?: number | null;
  readonly etaMs?: number | null;
  /** True on the last event of a collection (it finished, failed or was cancelled). */
  readonly done: boolean;
}

