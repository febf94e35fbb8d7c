import { createHash } from 'node:crypto';
import type { TimelineEntry } from '../../../shared/domain';
import type { ExportFormat, TimelineExport, TimelineExportFilter } from '../../../shared/reports';
import { assertNever } from '../../../shared/assert';
import { canonicalJson } from '../canonical-json';
import type { Db } from '../db/open';
import { formatIncidentRef } from '../incidents';
import type { TimelineRow } from '../timeline';

// Timeline export for spreadsheets and other tools: one row per entry with its chain hashes,
// so a copy can be checked against the record (`data` is the canonical JSON that was hashed).


export const CSV_COLUMNS = ['incident', 'incident_id', 'seq', 'entry_id', 'at', 'actor', 'host', 'kind', 'corrects', 'data', 'prev_hash', 'hash'] as const;

/**
 * RFC 4180 quoting. Cells a spreadsheet would run as a formula (=, +, -, @ first) get a
 * leading apostrophe (OWASP's advice) — except `data` and the hashes, which must stay exact.
 */
export function csvCell(value: string, exact = false): string {
  const safe = !exact && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function* queryTimeline(db: Db, incidentId: number | undefined, filter: TimelineExportFilter = {}): Generator<TimelineEntry> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (incidentId !== undefined) {
    where.push('incident_id = ?');
    params.push(incidentId);
  }
  if (filter.kinds?.length) {
    // A kind ending in `.*` selects the family (runbook.* → runbook.started, runbook.step …).
    const parts = filter.kinds.map((k) => (k.endsWith('.*') ? 'kind LIKE ?' : 'kind = ?'));
    where.push(`(${parts.join(' OR ')})`);
    params.push(...filter.kinds.map((k) => (k.endsWith('.*') ? `${k.slice(0, -1).replace(/[%_]/g, '')}%` : k)));
  }
  // Stored times are UTC ISO strings, so they compare as text once the bounds are normalised.
  if (filter.since) {
    where.push('at >= ?');
    params.push(new Date(filter.since).toISOString());
  }
  if (filter.until) {
    where.push('at <= ?');
    params.push(new Date(filter.until).toISOString());
  }
  const sql = `SELECT * FROM timeline ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY incident_id, seq`;
  for (const r of db.prepare<unknown[], TimelineRow>(sql).iterate(...params)) {
    yield {
      id: r.id,
      incidentId: r.incident_id,
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      host: r.host,
      kind: r.kind,
      data: JSON.parse(r.data) as Record<string, unknown>,
      corrects: r.corrects,
      prevHash: r.prev_hash,
      hash: r.hash,
    };
  }
}

export function exportTimeline(entries: Iterable<TimelineEntry>, format: ExportFormat, meta: { incidentId?: number; filter: TimelineExportFilter; exportedAt: string }): TimelineExport {
  let count = 0;
  let text: string;
  switch (format) {
    case 'csv': {
      const lines = [CSV_COLUMNS.join(',')];
      for (const e of entries) {
        count++;
        lines.push(
          [
            csvCell(formatIncidentRef(e.incidentId)),
            String(e.incidentId),
            String(e.seq),
            String(e.id),
            csvCell(e.at),
            csvCell(e.actor),
            csvCell(e.host),
            csvCell(e.kind),
            e.corrects === null ? '' : String(e.corrects),
            csvCell(canonicalJson(e.data), true),
            e.prevHash,
            e.hash,
          ].join(','),
        );
      }
      // CRLF line ends, as RFC 4180 says and spreadsheets expect.
      text = `${lines.join('\r\n')}\r\n`;
      break;
    }
    case 'json': {
      const list: TimelineEntry[] = [];
      for (const e of entries) list.push(e);
      count = list.length;
      text = `${JSON.stringify({ exportedAt: meta.exportedAt, incidentId: meta.incidentId ?? null, filter: meta.filter, hashAlgorithm: 'sha256(prev_hash || canonical JSON of the entry)', entries: list }, null, 2)}\n`;
      break;
    }
    default:
      return assertNever(format, 'export format');
  }
  const scope = meta.incidentId === undefined ? 'all-incidents' : formatIncidentRef(meta.incidentId);
  return { format, text, entries: count, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), fileName: `${scope}-timeline.${format}` };
}
