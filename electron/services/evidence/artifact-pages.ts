import type { ChannelParsed } from '../../../shared/contract';
import type { ArtifactFilter, ArtifactPage } from '../../../shared/artifact-page';
import type { ArtifactStatus } from '../../../shared/evidence';
import type { Db } from '../db/open';
import { likeLiteral } from '../sql-like';
import { ARTIFACTS_FROM, toArtifact, type ArtifactRow } from './repo';


function whereOf(incidentId: number, beforeId: number, filter: ArtifactFilter | undefined): { sql: string; params: unknown[] } {
  const clauses = ['incident_id = ?', 'id < ?'];
  const params: unknown[] = [incidentId, beforeId];
  // Retracted evidence is hidden unless asked for (issue 15).
  if (!filter?.includeRetracted) clauses.push('retracted_at IS NULL');
  if (filter?.status) {
    clauses.push('status = ?');
    params.push(filter.status);
  }
  if (filter?.collector) {
    clauses.push('collector = ?');
    params.push(filter.collector);
  }
  const text = filter?.text?.trim();
  if (text) {
    clauses.push(`(name LIKE ? ESCAPE '\\' OR source_path LIKE ? ESCAPE '\\' OR sha256 LIKE ? ESCAPE '\\')`);
    params.push(`%${likeLiteral(text)}%`, `%${likeLiteral(text)}%`, `${likeLiteral(text.toLowerCase())}%`);
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * Reads one incident's artifacts a page at a time for the Evidence tab: newest first, from
 * an id cursor, so a page stays the same while a collection adds artifacts above it.
 */
export class ArtifactPages {
  constructor(private readonly db: Db) {}

  page(request: ChannelParsed<'evidence.artifactsPage'>): ArtifactPage {
    const { incidentId, filter, limit } = request;
    return this.db.transaction(() => {
      const head = this.db
        .prepare<[number], { id: number | null; n: number }>('SELECT MAX(id) AS id, COUNT(*) AS n FROM evidence_artifacts WHERE incident_id = ?')
        .get(incidentId)!;
      const headId = head.id ?? 0;
      const where = whereOf(incidentId, Math.min(request.beforeId ?? headId + 1, headId + 1), filter);
      const matched = this.db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n ${ARTIFACTS_FROM} WHERE ${where.sql}`).get(...where.params)!.n;
      const retracted = this.db
        .prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM evidence_retractions JOIN evidence_artifacts ON evidence_artifacts.id = artifact_id WHERE incident_id = ?')
        .get(incidentId)!.n;
      const artifacts = this.db
        .prepare<unknown[], ArtifactRow>(`SELECT * ${ARTIFACTS_FROM} WHERE ${where.sql} ORDER BY id DESC LIMIT ? OFFSET ?`)
        .all(...where.params, limit, request.skip ?? 0)
        .map(toArtifact);
      return { artifacts, matched, headId, total: head.n, retracted, ...(request.facets ? { facets: this.facets(incidentId) } : {}) };
    })();
  }

  private facets(incidentId: number): NonNullable<ArtifactPage['facets']> {
    const distinct = <T extends string>(column: 'status' | 'collector') =>
      this.db
        .prepare<[number], { v: T }>(`SELECT DISTINCT ${column} AS v FROM evidence_artifacts WHERE incident_id = ? ORDER BY v`)
        .all(incidentId)
        .map((r) => r.v);
    return { statuses: distinct<ArtifactStatus>('status'), collectors: distinct('collector') };
  }
}
