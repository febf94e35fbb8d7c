import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { TimelineEntry } from '../../../shared/domain';
import type { LogLevel } from '../../../shared/evidence';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { conflict, invalidInput, notFound } from '../errors';
import type { Identity } from '../identity';
import { pidAlive } from '../pid-alive';
import type { TimelineService } from '../timeline';
import { removeOrphanBlobs } from './orphans';
import { ContentStore } from './cas';
import { collectChanges, type ChangesRequest } from './changes';
import { runCommand, onPath } from './commands';
import type { CollectionContext } from './context';
import { collectFiles, toFilters, type FileCollectRequest } from './files';
import { OwnerNames } from './owners';
import { logPreset } from './presets';
import { EvidenceRepo } from './repo';
import { WalkScope } from './scope';
import { describeSize, estimateCollection, isLarge, LARGE_COLLECTION, type LargeThreshold } from './estimate';
import { collectSnapshot, defaultSnapshotSource, type SnapshotRequest, type SnapshotSource } from './snapshot';
import { collectionWarnings } from '../../../shared/evidence';
import type { ArtifactDraft, ArtifactRecord, CollectionEstimate, CollectionRecord, CollectionResult, CollectionStatus, CollectOptions } from './types';

export interface EvidenceServiceDeps {
  readonly db: Db;
  readonly timeline: TimelineService;
  readonly clock: Clock;
  readonly identity: Identity;
  /** The profile folder; blobs live under `<home>/incidents/<id>/evidence`. */
  readonly home: string;
  readonly platform?: NodeJS.Platform;
  /** The text of /proc/self/mountinfo (tests); read from the machine when absent. */
  readonly mountinfo?: string;
  /** Above these a files collection needs `confirmLarge` (default 5,000 files or 500 MB). */
  readonly largeCollection?: LargeThreshold;
  readonly snapshotSource?: SnapshotSource;
  /** Artifacts per committed batch (each batch: one transaction, one custody entry). */
  readonly batchSize?: number;
  readonly batchIntervalMs?: number;
  readonly isAlive?: (pid: number) => boolean;
}

export interface PresetRequest {
  readonly since?: string | number;
  readonly tail?: number;
  readonly grep?: string;
  readonly grepIgnoreCase?: boolean;
  readonly until?: string | number;
  readonly level?: LogLevel;
  readonly maxBytes?: number;
  /** Application log globs to add (seed 004: `logs/*.log` of the affected service). */
  readonly extraPaths?: readonly string[];
  readonly includeCommands?: boolean;
}

export interface TranscriptRequest {
  readonly name: string;
  readonly data: Buffer | string | Readable | AsyncIterable<Uint8Array>;
  /** Who produced it, e.g. `runbook:disk-full/step-3`. */
  readonly producer: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly mediaType?: string;
}

export interface RecoveryReport {
  readonly incompleteCollections: readonly number[];
  readonly tempFilesRemoved: readonly string[];
  /** Blobs no committed row references (left by killed collections). */
  readonly orphanBlobsRemoved: readonly string[];
}

/** The machine and account artifacts come from, when not this laptop (a remote target). */
export interface ArtifactOrigin {
  readonly host: string;
  readonly osUser: string;
}

const PROGRESS_INTERVAL_MS = 100;

/** A bad regex or time is the caller's mistake: reject it before a collection row exists. */
function checkFilters(request: Omit<FileCollectRequest, 'paths'>): void {
  try {
    toFilters(request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw invalidInput(error instanceof SyntaxError ? 'grep' : message.startsWith('until') ? 'until' : 'since', message);
  }
}

/** Custody summary of one artifact as written on the timeline. */
export function custodyOf(a: ArtifactRecord): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    status: a.status,
    sha256: a.sha256,
    size: a.size,
    sourcePath: a.source?.path ?? null,
    // The original's size, mtime and owner: a bag's file name may differ from it (bag-names.ts).
    sourceSize: a.source?.size ?? null,
    sourceMtime: a.source?.mtime ?? null,
    sourceOwner: a.source ? (a.source.owner ?? a.source.uid) : null,
    sourceSha256: a.sourceSha256,
  };
}

/**
 * Evidence collection: runs collectors into the incident's content-addressed store and
 * records every artifact with a custody entry on the hash-chained timeline. Artifact rows
 * and their `evidence.collected` entry are committed together, in batches, after the blobs
 * and their directory entries are fsynced: a committed row always names a durable blob.
 */
export class EvidenceService {
  readonly repo: EvidenceRepo;
  private readonly owners = new OwnerNames();
  private readonly active = new Set<number>();
  private readonly stores = new Map<number, ContentStore>();
  private recovered: Promise<RecoveryReport> | undefined;
  readonly platform: NodeJS.Platform;

  constructor(private readonly deps: EvidenceServiceDeps) {
    this.repo = new EvidenceRepo(deps.db);
    this.platform = deps.platform ?? process.platform;
  }

  /** Where folder and glob walks do not go (pseudo filesystems, this profile). */
  private walkScope(): WalkScope {
    return new WalkScope({ platform: this.platform, profile: this.deps.home, ...(this.deps.mountinfo !== undefined ? { mountinfo: this.deps.mountinfo } : {}) });
  }

  storeFor(incidentId: number): ContentStore {
    let store = this.stores.get(incidentId);
    if (!store) {
      store = new ContentStore(path.join(this.deps.home, 'incidents', String(incidentId), 'evidence'));
      this.stores.set(incidentId, store);
    }
    return store;
  }

  blobPath(artifact: ArtifactRecord): string | null {
    return artifact.sha256 ? this.storeFor(artifact.incidentId).pathFor(artifact.sha256) : null;
  }

  /**
   * `recover()` once per process, however many callers ask: the app and `serve` start it at
   * launch, and every evidence handler awaits it, so no collection starts before the
   * leftovers of a crashed one are marked.
   */
  ready(): Promise<RecoveryReport> {
    this.recovered ??= this.recover();
    return this.recovered;
  }

  /**
   * Call once at start. Collections left `running` by a process that is gone are marked
   * `incomplete` (with a timeline entry); their committed artifacts stay as they are.
   * Temp files of dead processes are removed.
   */
  async recover(): Promise<RecoveryReport> {
    const isAlive = this.deps.isAlive ?? pidAlive;
    const incomplete: number[] = [];
    for (const c of this.repo.running()) {
      if (this.active.has(c.id)) continue;
      if (c.host !== this.deps.identity.host) continue;
      if (c.pid !== process.pid && isAlive(c.pid)) continue;
      const committed = this.repo.committed(c.id);
      const entry = this.deps.db
        .transaction(() => {
          const changed = this.repo.finishCollection({
            id: c.id,
            status: 'incomplete',
            finishedAt: this.nowIso(),
            artifactCount: committed.count,
            bytes: committed.bytes,
            error: 'the collecting process stopped before it finished; artifacts committed before that are intact',
          });
          if (!changed) return undefined;
          return this.deps.timeline.appendInTransaction({
            incidentId: c.incidentId,
            kind: 'evidence.collection-incomplete',
            data: { collectionId: c.id, collector: c.collector, pid: c.pid, startedAt: c.startedAt, committedArtifacts: committed.count, committedBytes: committed.bytes },
          });
        })
        .immediate();
      if (entry) {
        this.deps.timeline.announce([entry]);
        incomplete.push(c.id);
      }
    }
    const removed: string[] = [];
    const orphans: string[] = [];
    // Real time, not the injected clock: it is compared with the blobs' mtimes.
    const scanStarted = Date.now();
    const referenced = this.deps.db.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM evidence_artifacts WHERE incident_id = ? AND sha256 = ? LIMIT 1');
    const incidentsDir = path.join(this.deps.home, 'incidents');
    const ids = await fs.promises.readdir(incidentsDir).catch(() => [] as string[]);
    for (const id of ids) {
      if (!/^\d+$/.test(id)) continue;
      const incidentId = Number(id);
      removed.push(...(await this.storeFor(incidentId).cleanTemp((pid) => pid === process.pid || isAlive(pid))));
      // A live collection renames blobs in before it commits their rows: leave its incident alone.
      if (this.repo.running().some((c) => c.incidentId === incidentId)) continue;
      orphans.push(...(await removeOrphanBlobs(this.storeFor(incidentId), (sha) => referenced.get(incidentId, sha) !== undefined, scanStarted)));
    }
    return { incompleteCollections: incomplete, tempFilesRemoved: removed, orphanBlobsRemoved: orphans };
  }

  /** What a files collection of `paths` would take, counted up to the large-collection threshold. */
  async estimateFiles(paths: readonly string[], options: { readonly cwd?: string; readonly signal?: AbortSignal } = {}): Promise<CollectionEstimate> {
    const threshold = this.deps.largeCollection ?? LARGE_COLLECTION;
    const size = await estimateCollection(paths, threshold, { ...options, scope: this.walkScope() });
    return { ...size, large: isLarge(size, threshold), threshold: { files: threshold.files, bytes: threshold.bytes } };
  }

  async collectFiles(incidentId: number, request: FileCollectRequest, options: CollectOptions = {}): Promise<CollectionResult> {
    checkFilters(request);
    const threshold = this.deps.largeCollection ?? LARGE_COLLECTION;
    // Confirmed: the walk only counts for the time left, as far as a normal check would walk.
    const size = await estimateCollection(request.paths, request.confirmLarge === true ? { files: threshold.files, bytes: Number.POSITIVE_INFINITY } : threshold, {
      ...(request.cwd ? { cwd: request.cwd } : {}),
      scope: this.walkScope(),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (request.confirmLarge !== true && isLarge(size, threshold)) throw invalidInput('confirmLarge', `this collection is large (${describeSize(size)}): confirm to collect it`);
    return this.run(incidentId, 'files', { ...request }, (ctx) => collectFiles(ctx, request), options, undefined, size.moreThan ? undefined : size.bytes);
  }

  /** The platform's usual log locations (+ journalctl / log show / wevtutil exports). */
  async collectLogPreset(incidentId: number, request: PresetRequest = {}, options: CollectOptions = {}): Promise<CollectionResult> {
    const since = request.since === undefined ? undefined : new Date(request.since).toISOString();
    const preset = logPreset(this.platform, { ...(since ? { since } : {}), ...(request.tail !== undefined ? { tail: request.tail } : {}) });
    const fileRequest: FileCollectRequest = {
      paths: preset.globs,
      skipMissing: true,
      ...(request.tail !== undefined ? { tail: request.tail } : {}),
      ...(request.since !== undefined ? { since: request.since } : {}),
      ...(request.grep !== undefined ? { grep: request.grep } : {}),
      ...(request.grepIgnoreCase !== undefined ? { grepIgnoreCase: request.grepIgnoreCase } : {}),
      ...(request.level !== undefined ? { level: request.level } : {}),
      ...(request.until !== undefined ? { until: request.until } : {}),
      ...(request.maxBytes !== undefined ? { maxBytes: request.maxBytes } : {}),
    };
    checkFilters(fileRequest);
    return this.run(incidentId, 'log-preset', { platform: this.platform, ...request }, async (ctx) => {
      await collectFiles(ctx, fileRequest);
      // Paths the user added are reported even when missing (a typo should show).
      if (request.extraPaths?.length) await collectFiles(ctx, { ...fileRequest, paths: request.extraPaths, skipMissing: false });
      if (request.includeCommands === false) return;
      for (const spec of preset.commands) if (onPath(spec.command)) await ctx.add(await runCommand(ctx, spec));
    }, options);
  }

  collectSnapshot(incidentId: number, request: SnapshotRequest = {}, options: CollectOptions = {}): Promise<CollectionResult> {
    const source = this.deps.snapshotSource ?? defaultSnapshotSource();
    return this.run(incidentId, 'snapshot', { ...request }, (ctx) => collectSnapshot(ctx, source, request), options);
  }

  collectChanges(incidentId: number, request: ChangesRequest, options: CollectOptions = {}): Promise<CollectionResult> {
    return this.run(incidentId, 'changes', { ...request }, (ctx) => collectChanges(ctx, request), options);
  }

  /** Puts any producer's output (a runbook terminal transcript) into the store with custody. */
  storeTranscript(incidentId: number, request: TranscriptRequest, options: CollectOptions = {}): Promise<CollectionResult> {
    const params = { producer: request.producer, name: request.name, ...(request.params ?? {}) };
    return this.run(incidentId, 'transcript', params, async (ctx) => {
      const sink = await ctx.store.createSink(ctx.signal);
      try {
        const data = request.data;
        const chunks: AsyncIterable<Uint8Array> | Iterable<Buffer> = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : Buffer.isBuffer(data) ? [data] : data;
        for await (const chunk of chunks) {
          const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          await sink.write(buffer);
          ctx.progress(buffer.length);
        }
      } catch (error) {
        await sink.abort();
        throw error;
      }
      const blob = await sink.finish();
      const mediaType = request.mediaType ?? 'text/plain; charset=utf-8';
      await ctx.add({
        name: `transcripts/${request.name}`,
        kind: 'transcript',
        status: 'ok',
        detail: null,
        sha256: blob.sha256,
        size: blob.size,
        mediaType,
        binary: !mediaType.startsWith('text/'),
        source: null,
        sourceSha256: null,
        derivation: null,
      });
    }, options);
  }

  /**
   * Runs a collector defined elsewhere (the remote ones, targets/) with the same store,
   * batching and custody. `origin` names the machine and user the artifacts come from when
   * that is not this laptop. A `connectionLost` error ends the collection `incomplete`.
   */
  collectWith(
    incidentId: number,
    collector: string,
    params: Record<string, unknown>,
    work: (ctx: CollectionContext) => Promise<void>,
    options: CollectOptions = {},
    origin?: ArtifactOrigin,
  ): Promise<CollectionResult> {
    return this.run(incidentId, collector, params, work, options, origin);
  }

  listArtifacts(incidentId: number, collectionId?: number): ArtifactRecord[] {
    return this.repo.artifacts(incidentId, collectionId);
  }

  listCollections(incidentId: number): CollectionRecord[] {
    return this.repo.collections(incidentId);
  }

  getArtifact(id: number): ArtifactRecord {
    const a = this.repo.artifact(id);
    if (!a) throw notFound(`artifact ${id}`);
    return a;
  }

  /**
   * Takes mistaken evidence back without deleting it: the artifact, its blob and its capture
   * entry stay; a retraction row and an `evidence.retracted` custody entry are written
   * together. Reports and default exports leave it out from then on.
   */
  retract(artifactId: number, reason: string): ArtifactRecord {
    const why = reason.trim();
    if (!why) throw invalidInput('reason', 'say why the artifact is retracted');
    const { db, timeline, identity } = this.deps;
    const entry = db
      .transaction(() => {
        const a = this.repo.artifact(artifactId);
        if (!a) throw notFound(`artifact ${artifactId}`);
        if (a.retracted) throw conflict(`artifact ${artifactId} (${a.name}) is already retracted (${a.retracted.at}, by ${a.retracted.actor}: ${a.retracted.reason})`);
        this.repo.insertRetraction({ artifactId, reason: why, actor: identity.actor, at: this.nowIso() });
        return timeline.appendInTransaction({
          incidentId: a.incidentId,
          kind: 'evidence.retracted',
          data: { artifactId, name: a.name, sha256: a.sha256, size: a.size, collectionId: a.collectionId, reason: why },
        });
      })
      .immediate();
    timeline.announce([entry]);
    return this.getArtifact(artifactId);
  }

  /** Appends a custody entry on the incident's timeline (viewed, exported, verified). */
  custody(incidentId: number, kind: string, data: Record<string, unknown>): TimelineEntry {
    return this.deps.timeline.append({ incidentId, kind, data });
  }

  nowIso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private async run(
    incidentId: number,
    collector: string,
    params: Record<string, unknown>,
    work: (ctx: CollectionContext) => Promise<void>,
    options: CollectOptions,
    origin?: ArtifactOrigin,
    /** Source bytes the collection should read (for the time left), when a walk counted them. */
    expectedBytes?: number,
  ): Promise<CollectionResult> {
    if (!this.repo.incidentExists(incidentId)) throw notFound(`incident ${incidentId}`);
    const { identity, clock, timeline, db } = this.deps;
    const batchSize = this.deps.batchSize ?? 1000;
    const batchInterval = this.deps.batchIntervalMs ?? 2000;
    const collectionId = this.repo.insertCollection({ incidentId, collector, params, startedAt: this.nowIso(), actor: identity.actor, host: identity.host, pid: process.pid });
    this.active.add(collectionId);
    const store = this.storeFor(incidentId);
    const started = performance.now();
    let pending: Array<Omit<ArtifactRecord, 'id'>> = [];
    const committed: ArtifactRecord[] = [];
    let part = 0;
    let sourceBytes = 0;
    let linesMatched = 0;
    /** What the walk counted, or what collectors announce (ctx.expect): the time left is estimated against it. */
    let totalBytes: number | null = expectedBytes ?? null;
    let storedBytes = 0;
    let skipped = 0;
    let lastFlush = performance.now();
    let lastProgress = 0;
    let current: string | null = null;
    let chain: Promise<void> = Promise.resolve();
    let committing: Promise<void> | null = null;
    let commitError: unknown;

    const emitProgress = (force: boolean): void => {
      const now = performance.now();
      if (!options.onProgress || (!force && now - lastProgress < PROGRESS_INTERVAL_MS)) return;
      lastProgress = now;
      const elapsedMs = now - started;
      options.onProgress({
        collectionId,
        files: committed.length + pending.length,
        bytes: sourceBytes,
        bytesPerSecond: elapsedMs > 0 ? (sourceBytes * 1000) / elapsedMs : 0,
        elapsedMs,
        current,
        linesMatched,
        totalBytes,
        etaMs: timeLeft(sourceBytes, totalBytes, elapsedMs),
      });
    };

    const commit = async (final?: { status: CollectionStatus; error: string | null }): Promise<void> => {
      const batch = pending;
      pending = [];
      lastFlush = performance.now();
      if (batch.length === 0 && !final) return;
      await store.barrier();
      const entries = db
        .transaction(() => {
          const records = batch.map((a) => ({ ...a, id: this.repo.insertArtifact(a) }));
          committed.push(...records);
          const totals = final ? { artifacts: committed.length, storedBytes, sourceBytes, skipped, durationMs: Math.round(performance.now() - started) } : undefined;
          if (final) this.repo.finishCollection({ id: collectionId, status: final.status, finishedAt: this.nowIso(), artifactCount: committed.length, bytes: storedBytes, error: final.error });
          return [
            timeline.appendInTransaction({
              incidentId,
              kind: 'evidence.collected',
              data: { collectionId, collector, params, part: ++part, final: Boolean(final), ...(final ? { status: final.status, totals, error: final.error, warnings: collectionWarnings(committed).length } : { status: 'running' }), artifacts: records.map(custodyOf) },
            }),
          ];
        })
        .immediate();
      timeline.announce(entries);
    };
    const flush = (final?: { status: CollectionStatus; error: string | null }): Promise<void> => (chain = chain.then(() => commit(final)));

    const ctx: CollectionContext = {
      collectionId,
      store,
      owners: this.owners,
      platform: this.platform,
      scope: this.walkScope(),
      ...(options.signal ? { signal: options.signal } : {}),
      now: () => clock.now(),
      add: async (draft: ArtifactDraft) => {
        storedBytes += draft.size ?? 0;
        pending.push({ ...draft, incidentId, collectionId, collector, params, host: origin?.host ?? identity.host, osUser: origin?.osUser ?? identity.actor, collectedAt: draft.collectedAt ?? this.nowIso() });
        emitProgress(false);
        if (pending.length >= batchSize || performance.now() - lastFlush >= batchInterval) {
          // One batch commits (its barrier is a disk flush) while copying goes on into the
          // next; only a third has to wait. Several adds may wake here together: the first
          // starts the next commit, the others find nothing due (or wait again).
          while (committing) await committing;
          if (commitError !== undefined) throw commitError;
          if (pending.length < batchSize && performance.now() - lastFlush < batchInterval) return;
          lastFlush = performance.now();
          const started: Promise<void> = flush().then(
            () => {
              if (committing === started) committing = null;
            },
            (error: unknown) => {
              commitError = error;
              if (committing === started) committing = null;
            },
          );
          committing = started;
        }
      },
      matched: (lines: number) => {
        linesMatched += lines;
      },
      expect: (bytes: number) => {
        totalBytes = (totalBytes ?? 0) + bytes;
      },
      progress: (bytes: number, what?: string) => {
        sourceBytes += bytes;
        if (what !== undefined) current = what;
        emitProgress(false);
      },
      skipped: () => {
        skipped++;
      },
    };

    let final: { status: CollectionStatus; error: string | null };
    try {
      await work(ctx);
      final = { status: 'complete', error: null };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      final = options.signal?.aborted
        ? { status: 'cancelled', error: 'cancelled by the user' }
        : (error as { connectionLost?: unknown }).connectionLost === true
          ? { status: 'incomplete', error: message }
          : { status: 'failed', error: message };
    }
    try {
      await flush(final);
    } finally {
      this.active.delete(collectionId);
    }
    current = null;
    emitProgress(true);
    return { collection: this.repo.collection(collectionId)!, artifacts: committed };
  }
}

/**
 * Time left from bytes done against the bytes the walk counted, at the rate so far; null
 * until it means something (a second in and 1 % done), and once the source outgrew the count.
 */
export function timeLeft(done: number, total: number | null, elapsedMs: number): number | null {
  if (total === null || total <= 0 || elapsedMs < 1000 || done < total / 100 || done > total) return null;
  return Math.round(((total - done) * elapsedMs) / done);
}
