import type { ChainHead } from '../../../shared/domain';
import type { Db } from '../db/open';

/** What a backup's ledger line pins: every chain head in the file and the incidents in it. */
export interface RecordedHeads {
  readonly heads: readonly ChainHead[];
  readonly incidents: number;
  readonly maxIncident: number;
}

const ref = (id: number) => `INC-${String(id).padStart(4, '0')}`;

export function readHeads(db: Db): RecordedHeads {
  // SQLite returns the other columns of the row that holds MAX(seq).
  const heads = db
    .prepare<[], ChainHead>('SELECT incident_id AS incidentId, MAX(seq) AS seq, hash FROM timeline GROUP BY incident_id ORDER BY incident_id')
    .all()
    .map((h) => ({ incidentId: h.incidentId, seq: h.seq, hash: h.hash }));
  const { n, max } = db.prepare<[], { n: number; max: number }>('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS max FROM incidents').get()!;
  return { heads, incidents: n, maxIncident: max };
}

/** What the database lacks of what was recorded, one phrase per problem (empty when all is there). */
export function compareWithRecord(db: Db, record: RecordedHeads): string[] {
  const at = db.prepare<[number, number], { hash: string }>('SELECT hash FROM timeline WHERE incident_id = ? AND seq = ?');
  const last = db.prepare<[number], { seq: number | null }>('SELECT MAX(seq) AS seq FROM timeline WHERE incident_id = ?');
  const problems: string[] = [];
  for (const head of record.heads) {
    const row = at.get(head.incidentId, head.seq);
    if (row?.hash === head.hash) continue;
    if (row) {
      problems.push(`${ref(head.incidentId)} entry #${head.seq} is not the one recorded (${head.hash.slice(0, 12)}…, found ${row.hash.slice(0, 12)}…)`);
      continue;
    }
    const end = last.get(head.incidentId)?.seq ?? 0;
    const what = end === 0 ? `has no entries (${head.seq} recorded)` : end + 1 === head.seq ? `entry #${head.seq} is missing` : `entries #${end + 1}–#${head.seq} are missing`;
    problems.push(`${ref(head.incidentId)} ${what}`);
  }
  const now = readHeads(db);
  if (now.incidents < record.incidents || now.maxIncident < record.maxIncident) {
    problems.push(`${record.incidents - now.incidents} incident${record.incidents - now.incidents === 1 ? '' : 's'} missing (${record.incidents} recorded, ${now.incidents} found)`);
  }
  return problems;
}
