import { canonicalJson } from '../canonical-json';
import type { Db } from '../db/open';
import type { ArtifactRecord, CollectionRecord, CollectionStatus } from './types';

interface CollectionRow {
  id: number;
  incident_id: number;
  collector: string;
  params: string;
  status: CollectionStatus;
  started_at: string;
  finished_at: string | null;
  actor: string;
  host: string;
  pid: number;
  artifact_count: number;
  bytes: number;
  error: string | null;
}

export interface ArtifactRow {
  id: number;
  incident_id: number;
  collection_id: number;
  name: string;
  kind: ArtifactRecord['kind'];
  status: ArtifactRecord['status'];
  detail: string | null;
  sha256: string | null;
  size: number | null;
  media_type: string;
  binary: number;
  source_path: string | null;
  source: string | null;
  source_sha256: string | null;
  derivation: string | null;
  collector: string;
  params: string;
  host: string;
  os_user: string;
  collected_at: string;
  /** From evidence_retractions (ARTIFACTS_FROM joins it): null unless retracted. */
  retraction_reason?: string | null;
  retracted_by?: string | null;
  retracted_at?: string | null;
}

/** Artifact rows with their retraction, if any: `SELECT * ${ARTIFACTS_FROM} WHERE …`. */
export const ARTIFACTS_FROM = 'FROM evidence_artifacts LEFT JOIN evidence_retractions ON evidence_retractions.artifact_id = evidence_artifacts.id';

const toCollection = (r: CollectionRow): CollectionRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  collector: r.collector,
  params: JSON.parse(r.params) as Record<string, unknown>,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  actor: r.actor,
  host: r.host,
  pid: r.pid,
  artifactCount: r.artifact_count,
  bytes: r.bytes,
  error: r.error,
});

/** A stored row as the contract's record (also for the UI's paged reads, artifact-pages.ts). */
export const toArtifact = (r: ArtifactRow): ArtifactRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  collectionId: r.collection_id,
  name: r.name,
  kind: r.kind,
  status: r.status,
  detail: r.detail,
  sha256: r.sha256,
  size: r.size,
  mediaType: r.media_type,
  binary: r.binary === 1,
  source: r.source ? (JSON.parse(r.source) as ArtifactRecord['source']) : null,
  sourceSha256: r.source_sha256,
  derivation: r.derivation ? (JSON.parse(r.derivation) as ArtifactRecord['derivation']) : null,
  collector: r.collector,
  params: JSON.parse(r.params) as Record<string, unknown>,
  host: r.host,
  osUser: r.os_user,
  collectedAt: r.collected_at,
  ...(r.retracted_at ? { retracted: { reason: r.retraction_reason ?? '', at: r.retracted_at, actor: r.retracted_by ?? '' } } : {}),
});

/** SQL for the evidence tables; no policy here, the service decides when to write. */
export class EvidenceRepo {
  private readonly insertCollectionStmt;
  private readonly finishCollectionStmt;
  private readonly insertArtifactStmt;
  /**
   * A collection's params (one object shared by all its artifacts: with a remote collection
   * it holds the listing script) serialised once, not once per artifact: for 10,000 files
   * that was 10,000 copies of a few KB of JSON, and their sorted key copies, as garbage.
   */
  private readonly paramsJson = new WeakMap<object, string>();

  constructor(readonly db: Db) {
    this.insertCollectionStmt = db.prepare(
      `INSERT INTO evidence_collections (incident_id, collector, params, status, started_at, actor, host, pid)
       VALUES (@incidentId, @collector, @params, 'running', @startedAt, @actor, @host, @pid)`,
    );
    this.finishCollectionStmt = db.prepare(
      `UPDATE evidence_collections SET status = @status, finished_at = @finishedAt, artifact_count = @artifactCount,
       bytes = @bytes, error = @error WHERE id = @id AND status = 'running'`,
    );
    this.insertArtifactStmt = db.prepare(
      `INSERT INTO evidence_artifacts (incident_id, collection_id, name, kind, status, detail, sha256, size, media_type, binary,
         source_path, source, source_sha256, derivation, collector, params, host, os_user, collected_at)
       VALUES (@incidentId, @collectionId, @name, @kind, @status, @detail, @sha256, @size, @mediaType, @binary,
         @sourcePath, @source, @sourceSha256, @derivation, @collector, @params, @host, @osUser, @collectedAt)`,
    );
  }

  incidentExists(incidentId: number): boolean {
    return this.db.prepare('SELECT 1 FROM incidents WHERE id = ?').get(incidentId) !== undefined;
  }

  incidentRow(incidentId: number): Record<string, unknown> | undefined {
    return this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(incidentId) as Record<string, unknown> | undefined;
  }

  insertCollection(c: { incidentId: number; collector: string; params: Record<string, unknown>; startedAt: string; actor: string; host: string; pid: number }): number {
    return Number(this.insertCollectionStmt.run({ ...c, params: canonicalJson(c.params) }).lastInsertRowid);
  }

  finishCollection(f: { id: number; status: CollectionStatus; finishedAt: string; artifactCount: number; bytes: number; error: string | null }): boolean {
    return this.finishCollectionStmt.run(f).changes === 1;
  }

  private paramsText(params: Readonly<Record<string, unknown>>): string {
    let text = this.paramsJson.get(params);
    if (text === undefined) {
      text = canonicalJson(params);
      this.paramsJson.set(params, text);
    }
    return text;
  }

  insertArtifact(a: Omit<ArtifactRecord, 'id'>): number {
    return Number(
      this.insertArtifactStmt.run({
        ...a,
        binary: a.binary ? 1 : 0,
        sourcePath: a.source?.path ?? null,
        source: a.source ? canonicalJson(a.source) : null,
        derivation: a.derivation ? canonicalJson(a.derivation) : null,
        params: this.paramsText(a.params),
      }).lastInsertRowid,
    );
  }

  collection(id: number): CollectionRecord | undefined {
    const row = this.db.prepare<[number], CollectionRow>('SELECT * FROM evidence_collections WHERE id = ?').get(id);
    return row ? toCollection(row) : undefined;
  }

  collections(incidentId: number): CollectionRecord[] {
    return this.db.prepare<[number], CollectionRow>('SELECT * FROM evidence_collections WHERE incident_id = ? ORDER BY id').all(incidentId).map(toCollection);
  }

  running(): CollectionRecord[] {
    return this.db.prepare<[], CollectionRow>("SELECT * FROM evidence_collections WHERE status = 'running'").all().map(toCollection);
  }

  /** Counts of what a collection committed (used when a crashed one is closed). */
  committed(collectionId: number): { count: number; bytes: number } {
    const r = this.db.prepare<[number], { count: number; bytes: number | null }>('SELECT COUNT(*) AS count, SUM(size) AS bytes FROM evidence_artifacts WHERE collection_id = ?').get(collectionId);
    return { count: r?.count ?? 0, bytes: r?.bytes ?? 0 };
  }

  artifact(id: number): ArtifactRecord | undefined {
    const row = this.db.prepare<[number], ArtifactRow>(`SELECT * ${ARTIFACTS_FROM} WHERE id = ?`).get(id);
    return row ? toArtifact(row) : undefined;
  }

  artifacts(incidentId: number, collectionId?: number): ArtifactRecord[] {
    return collectionId === undefined
      ? this.db.prepare<[number], ArtifactRow>(`SELECT * ${ARTIFACTS_FROM} WHERE incident_id = ? ORDER BY id`).all(incidentId).map(toArtifact)
      : this.db.prepare<[number, number], ArtifactRow>(`SELECT * ${ARTIFACTS_FROM} WHERE incident_id = ? AND collection_id = ? ORDER BY id`).all(incidentId, collectionId).map(toArtifact);
  }

  *iterateArtifacts(incidentId: number): Generator<ArtifactRecord> {
    for (const row of this.db.prepare<[number], ArtifactRow>(`SELECT * ${ARTIFACTS_FROM} WHERE incident_id = ? ORDER BY id`).iterate(incidentId)) yield toArtifact(row);
  }

  insertRetraction(r: { artifactId: number; reason: string; actor: string; at: string }): void {
    this.db
      .prepare('INSERT INTO evidence_retractions (artifact_id, retraction_reason, retracted_by, retracted_at) VALUES (@artifactId, @reason, @actor, @at)')
      .run(r);
  }

  incidentsWithEvidence(): number[] {
    return this.db.prepare<[], { incident_id: number }>('SELECT DISTINCT incident_id FROM evidence_collections').all().map((r) => r.incident_id);
  }
}
