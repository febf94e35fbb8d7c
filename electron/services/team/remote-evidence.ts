import type { RemoteEvidenceItem } from '../../../shared/evidence';
import type { Db } from '../db/open';

interface Row {
  seq: number;
  actor: string;
  host: string;
  data: string;
  device_id: string;
  name: string | null;
}

/**
 * The evidence of an incident that other devices collected: their evidence.collected entries
 * arrived through sync (metadata, hashes, custody), their blobs stayed on the laptop that
 * captured them. A bag exported here lists these with their hash and where they live.
 */
export function listRemoteEvidence(db: Db, incidentId: number, selfDeviceId: string): RemoteEvidenceItem[] {
  const rows = db
    .prepare<[number, string], Row>(
      `SELECT t.seq, t.actor, t.host, t.data, d.device_id, td.name
         FROM timeline t
         JOIN device_entries d ON d.entry_id = t.id
         LEFT JOIN team_devices td ON td.device_id = d.device_id
        WHERE t.incident_id = ? AND t.kind = 'evidence.collected' AND d.device_id != ?
        ORDER BY t.seq`,
    )
    .all(incidentId, selfDeviceId);
  const out: RemoteEvidenceItem[] = [];
  for (const r of rows) {
    const data = JSON.parse(r.data) as { artifacts?: unknown };
    if (!Array.isArray(data.artifacts)) continue;
    for (const a of data.artifacts as Array<Record<string, unknown>>) {
      if (typeof a.id !== 'number') continue;
      out.push({
        entrySeq: r.seq,
        artifactId: a.id,
        name: typeof a.name === 'string' ? a.name : `artifact ${a.id}`,
        sha256: typeof a.sha256 === 'string' ? a.sha256 : null,
        size: typeof a.size === 'number' ? a.size : null,
        deviceId: r.device_id,
        deviceName: r.name ?? r.host,
        collectedBy: `${r.actor}@${r.host}`,
      });
    }
  }
  return out;
}
