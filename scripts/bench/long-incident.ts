// Seeds a long incident straight through the services (for the long-list e2e test and the
// `lists` benchmark): the UI is what is measured, not how the record was filled.
import type { Services } from '../../electron/services';
import type { AppendRequest } from '../../electron/services/timeline';

/** Kinds in the mix, in the proportions a long outage has: mostly commands and alerts. */
function request(incidentId: number, n: number): AppendRequest {
  if (n % 100 === 0) return { incidentId, kind: 'note', data: { text: `Checkpoint ${n}: error rate still above 5% on api-${n % 7}` } };
  if (n % 10 === 0) {
    return {
      incidentId,
      kind: 'alert.raised',
      data: { source: 'gauge', kind: 'alert.raised', metric: 'cpu', subject: `api-${n % 7}`, from: 'normal', to: 'warning', value: 80 + (n % 20), threshold: 80, at: '2026-11-23T09:00:00Z' },
    };
  }
  return { incidentId, kind: 'command.finished', data: { command: `curl -s http://api-${n % 7}/health # probe ${n}`, exitCode: n % 13 === 0 ? 1 : 0, durationMs: 40 + (n % 200) } };
}

/** Creates an incident with `entries` timeline entries in all (incident.created included). */
export function seedLongIncident(services: Services, entries: number, title = `Long outage (${entries} entries)`): number {
  const incidentId = services.incidents.create({ title, severity: 'critical', services: ['api'] }).id;
  const batch = 10_000;
  // Straight through the chain in big transactions; no one listens yet, so the events cost nothing.
  for (let from = 2; from <= entries; from += batch) {
    const requests: AppendRequest[] = [];
    for (let n = from; n < Math.min(from + batch, entries + 1); n++) requests.push(request(incidentId, n));
    services.timeline.appendMany(requests);
  }
  return incidentId;
}

/** Custody rows as a files collection writes them; the bench measures the UI, not collecting. */
export function seedArtifacts(services: Services, incidentId: number, count: number): void {
  const at = new Date().toISOString();
  services.db.transaction(() => {
    const collection = services.db
      .prepare(
        `INSERT INTO evidence_collections (incident_id, collector, status, started_at, finished_at, actor, host, pid, artifact_count, bytes)
         VALUES (?, 'files', 'complete', ?, ?, 'bench', 'bench-host', ?, ?, ?)`,
      )
      .run(incidentId, at, at, process.pid, count, count * 4096).lastInsertRowid;
    const insert = services.db.prepare(
      `INSERT INTO evidence_artifacts (incident_id, collection_id, name, kind, status, sha256, size, media_type, source_path, collector, host, os_user, collected_at)
       VALUES (?, ?, ?, 'file', 'ok', ?, 4096, 'text/plain', ?, 'files', 'bench-host', 'bench', ?)`,
    );
    for (let i = 0; i < count; i++) {
      const name = `files/var/log/app/worker-${String(i).padStart(5, '0')}.log`;
      insert.run(incidentId, collection, name, i.toString(16).padStart(64, '0'), `/var/log/app/worker-${String(i).padStart(5, '0')}.log`, at);
    }
  })();
}

/** Incident rows as the incident service writes them (without their opening entry): the list is measured, not creating. */
export function seedIncidents(services: Services, count: number): void {
  const at = new Date().toISOString();
  const insert = services.db.prepare(
    `INSERT INTO incidents (title, severity, status, summary, impact, responder, services, tags, detected_at, created_at, updated_at)
     VALUES (?, ?, 'detected', '', '', '', ?, '[]', ?, ?, ?)`,
  );
  services.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      insert.run(`Incident ${i}: api-${i % 7} error rate`, (['critical', 'high', 'medium', 'low'] as const)[i % 4]!, JSON.stringify([`api-${i % 7}`]), at, at, at);
    }
  })();
}
