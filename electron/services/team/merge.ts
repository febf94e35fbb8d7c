import { STATUSES, statusIndex, type IncidentStatus } from '../../../shared/lifecycle';
import { SEVERITIES } from '../../../shared/severity';
import type { Db } from '../db/open';

// After remote entries are merged, a shared incident's row is derived from its merged timeline,
// the same way on every laptop whatever order the entries arrived in:
// - status: the furthest state any status.changed entry reached (a later state wins; the
//   lifecycle only moves forward), each state's time the earliest entry that reached it, and
//   never before the state before it (time never runs backwards);
// - a reopen (`status.reopened`, an explicit entry) sends the incident back to the state it
//   names and clears the times of the states after it; status changes later in the merged
//   order move it forward again. So a reopen written after a close wins over that close, and a
//   close written after the reopen closes it again, as if the two had acted one after the other;
// - SLA pauses: rebuilt from the merged sla.paused / sla.resumed entries (a pause while one is
//   open and a resume with none open are no-ops), so the SLA clocks and the metrics read the
//   same pauses on every laptop;
// - severity and editable fields: the last writer wins, "last" being the merged order (time,
//   then device id, then device seq); every value stays on the timeline in its own entry.

const TIME_COLUMNS: Record<IncidentStatus, string> = {
  detected: 'detected_at',
  acknowledged: 'acknowledged_at',
  investigating: 'investigating_at',
  mitigated: 'mitigated_at',
  resolved: 'resolved_at',
  closed: 'closed_at',
};
/** Entry kinds the incident row is derived from: a merged batch without any leaves the row as it is. */
export const MERGED_KINDS: ReadonlySet<string> = new Set(['status.changed', 'status.reopened', 'severity.changed', 'incident.updated', 'sla.paused', 'sla.resumed']);

const FIELDS = ['title', 'summary', 'impact', 'responder', 'services', 'tags'] as const;

interface Row {
  kind: string;
  data: string;
  at: string;
}

export function recomputeIncident(db: Db, incidentId: number): void {
  const rows = db
    .prepare<[number], Row>(
      `SELECT t.kind, t.data, t.at FROM timeline t LEFT JOIN device_entries d ON d.entry_id = t.id
       WHERE t.incident_id = ? AND t.kind IN ('status.changed', 'status.reopened', 'severity.changed', 'incident.updated', 'sla.paused', 'sla.resumed')
       ORDER BY t.at, COALESCE(d.device_id, ''), COALESCE(d.device_seq, t.seq)`,
    )
    .all(incidentId);
  const current = db.prepare<[number], { status: IncidentStatus; detected_at: string }>('SELECT status, detected_at FROM incidents WHERE id = ?').get(incidentId);
  if (!current) return;
  let status: IncidentStatus = 'detected';
  const firstAt = new Map<IncidentStatus, string>();
  let severity: string | undefined;
  const fields = new Map<string, unknown>();
  let reopened = false;
  const pauses: { startedAt: string; endedAt: string | null; reason: string }[] = [];
  for (const row of rows) {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(row.data) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (row.kind === 'status.changed') {
      const to = data.to as IncidentStatus;
      if (!STATUSES.includes(to)) continue;
      const at = typeof data.at === 'string' ? data.at : row.at;
      if (!firstAt.has(to) || Date.parse(at) < Date.parse(firstAt.get(to)!)) firstAt.set(to, at);
      if (statusIndex(to) > statusIndex(status)) status = to;
    } else if (row.kind === 'status.reopened') {
      const to = data.to as IncidentStatus;
      if (!STATUSES.includes(to) || statusIndex(to) >= statusIndex(status)) continue;
      reopened = true;
      status = to;
      for (const s of STATUSES) if (statusIndex(s) > statusIndex(to)) firstAt.delete(s);
      // As IncidentService.reopen does: the state reopened to keeps its first time, or gets the reopen's.
      if (!firstAt.has(to)) firstAt.set(to, typeof data.at === 'string' ? data.at : row.at);
    } else if (row.kind === 'sla.paused' || row.kind === 'sla.resumed') {
      const at = typeof data.at === 'string' && !Number.isNaN(Date.parse(data.at)) ? data.at : row.at;
      const open = pauses.at(-1)?.endedAt === null ? pauses.at(-1) : undefined;
      if (row.kind === 'sla.paused' && !open) pauses.push({ startedAt: at, endedAt: null, reason: typeof data.reason === 'string' ? data.reason : '' });
      else if (row.kind === 'sla.resumed' && open) open.endedAt = Date.parse(at) < Date.parse(open.startedAt) ? open.startedAt : at;
    } else if (row.kind === 'severity.changed') {
      if ((SEVERITIES as readonly string[]).includes(data.to as string)) severity = data.to as string;
    } else {
      const changes = (data.changes ?? {}) as Record<string, { to?: unknown }>;
      for (const field of FIELDS) if (changes[field] && 'to' in changes[field]) fields.set(field, changes[field].to);
    }
  }
  const sets: string[] = ['status = @status'];
  const values: Record<string, unknown> = { id: incidentId, status };
  let floor = current.detected_at;
  for (const s of STATUSES.slice(1)) {
    if (statusIndex(s) > statusIndex(status)) break;
    const at = firstAt.get(s);
    if (!at) {
      // After a reopen a state's time is only what the merged timeline gives it since.
      if (reopened) sets.push(`${TIME_COLUMNS[s]} = NULL`);
      continue;
    }
    // Never before the state before it: a fast clock elsewhere cannot make time run backwards.
    floor = Date.parse(at) < Date.parse(floor) ? floor : at;
    sets.push(`${TIME_COLUMNS[s]} = @${s}`);
    values[s] = floor;
  }
  // After a reopen the states beyond the current one have not happened (again) yet.
  if (reopened) for (const s of STATUSES) if (statusIndex(s) > statusIndex(status)) sets.push(`${TIME_COLUMNS[s]} = NULL`);
  if (severity) {
    sets.push('severity = @severity');
    values.severity = severity;
  }
  for (const [field, value] of fields) {
    if (field === 'services' || field === 'tags') {
      if (!Array.isArray(value)) continue;
      values[field] = JSON.stringify(value);
    } else {
      if (typeof value !== 'string') continue;
      values[field] = value;
    }
    sets.push(`${field} = @${field}`);
  }
  db.prepare(`UPDATE incidents SET ${sets.join(', ')} WHERE id = @id`).run(values);
  db.prepare('DELETE FROM sla_pauses WHERE incident_id = ?').run(incidentId);
  const insert = db.prepare('INSERT INTO sla_pauses (incident_id, started_at, ended_at, reason) VALUES (?, ?, ?, ?)');
  for (const p of pauses) insert.run(incidentId, p.startedAt, p.endedAt, p.reason);
}
