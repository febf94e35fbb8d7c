import type { TimelineEntry } from '../../shared/domain';
import type { ChannelParsed } from '../../shared/contract';
import { isEmptyFilter, type TimelineFacets, type TimelineFilter, type TimelinePage } from '../../shared/timeline-page';
import type { Db } from './db/open';
import { likeLiteral } from './sql-like';
import { toEntry as toTimelineEntry, type TimelineRow } from './timeline';

interface Where {
  readonly sql: string;
  readonly params: unknown[];
}


/** The filter as SQL over the (incident_id, seq) key; kind uses the (incident_id, kind) index. */
function whereOf(incidentId: number, beforeSeq: number, filter: TimelineFilter | undefined): Where {
  const clauses = ['incident_id = ?', 'seq < ?'];
  const params: unknown[] = [incidentId, beforeSeq];
  if (filter?.kind) {
    clauses.push('kind = ?');
    params.push(filter.kind);
  }
  if (filter?.actor) {
    clauses.push('actor = ?');
    params.push(filter.actor);
  }
  if (filter?.host) {
    clauses.push('host = ?');
    params.push(filter.host);
  }
  const text = filter?.text?.trim();
  if (text) {
    clauses.push(`(data LIKE ? ESCAPE '\\' OR kind LIKE ? ESCAPE '\\' OR actor LIKE ? ESCAPE '\\' OR host LIKE ? ESCAPE '\\')`);
    const like = `%${likeLiteral(text)}%`;
    params.push(like, like, like, like);
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * The corrections of a page's entries. Corrections are entries of kind 'correction': the
 * (incident_id, kind) index finds the few there are. `+seq` keeps SQLite from walking the
 * (incident_id, seq) key instead to save a sort of those few rows, which read the whole chain
 * on every page (~20 ms for 100,000 entries, 0.06 ms through the kind index).
 */
export const CORRECTIONS_OF_PAGE_SQL = `SELECT corrects, seq FROM timeline WHERE incident_id = ? AND kind = 'correction' AND corrects IN (SELECT value FROM json_each(?)) ORDER BY +seq`;

/**
 * Reads one incident's timeline a page at a time for the UI: newest first, from a seq
 * cursor, so a page stays the same while entries are appended above it. The chain is
 * contiguous (seq 1..n), so without a filter a jump is arithmetic on the cursor.
 */
export class TimelinePages {
  private readonly headStmt;
  private readonly plainStmt;
  private readonly correctionsStmt;

  constructor(private readonly db: Db) {
    this.headStmt = db.prepare<[number], { seq: number | null }>('SELECT MAX(seq) AS seq FROM timeline WHERE incident_id = ?');
    this.plainStmt = db.prepare<[number, number, number], TimelineRow>(
      'SELECT * FROM timeline WHERE incident_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    );
    this.correctionsStmt = db.prepare<[number, string], { corrects: number; seq: number }>(CORRECTIONS_OF_PAGE_SQL);
  }

  headSeq(incidentId: number): number {
    return this.headStmt.get(incidentId)?.seq ?? 0;
  }

  page(request: ChannelParsed<'timeline.page'>): TimelinePage {
    const { incidentId, filter, limit } = request;
    const skip = request.skip ?? 0;
    // One read transaction: the head, the count and the rows agree with each other.
    return this.db.transaction(() => {
      const headSeq = this.headSeq(incidentId);
      const cursor = Math.min(request.beforeSeq ?? headSeq + 1, headSeq + 1);
      let rows: TimelineRow[];
      let matched: number;
      if (isEmptyFilter(filter)) {
        matched = cursor - 1;
        rows = this.plainStmt.all(incidentId, cursor - skip, limit);
      } else {
        const where = whereOf(incidentId, cursor, filter);
        matched = this.db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM timeline WHERE ${where.sql}`).get(...where.params)!.n;
        rows = this.db
          .prepare<unknown[], TimelineRow>(`SELECT * FROM timeline WHERE ${where.sql} ORDER BY seq DESC LIMIT ? OFFSET ?`)
          .all(...where.params, limit, skip);
      }
      const entries = rows.map(toTimelineEntry);
      return { entries, matched, headSeq, correctedBy: this.correctedBy(incidentId, entries) };
    })();
  }

  facets(incidentId: number): TimelineFacets {
    const distinct = (column: 'kind' | 'actor' | 'host') =>
      this.db
        .prepare<[number], { v: string }>(`SELECT DISTINCT ${column} AS v FROM timeline WHERE incident_id = ? ORDER BY v`)
        .all(incidentId)
        .map((r) => r.v);
    return { kinds: distinct('kind'), actors: distinct('actor'), hosts: distinct('host') };
  }

  private correctedBy(incidentId: number, entries: readonly TimelineEntry[]): Record<number, number[]> {
    const out: Record<number, number[]> = {};
    if (entries.length === 0) return out;
    for (const row of this.correctionsStmt.all(incidentId, JSON.stringify(entries.map((e) => e.id)))) {
      (out[row.corrects] ??= []).push(row.seq);
    }
    return out;
  }
}
