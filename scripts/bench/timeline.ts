// Timeline append cost: hash-chained durable appends against plain single-row inserts into
// a table of the same shape, same pragmas, same run; plus batched appends.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../electron/services/db/open';
import { TimelineService } from '../../electron/services/timeline';

const PLAIN_TABLE = `
  CREATE TABLE plain_timeline (
    id INTEGER PRIMARY KEY AUTOINCREMENT, incident_id INTEGER NOT NULL REFERENCES incidents(id), seq INTEGER NOT NULL,
    at TEXT NOT NULL, actor TEXT NOT NULL, host TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
    corrects INTEGER, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (incident_id, seq));
  CREATE INDEX plain_kind ON plain_timeline(incident_id, kind);`;

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function runTimelineBench(options: { singles?: number; rounds?: number; batched?: number } = {}): Promise<Record<string, unknown>> {
  const singles = options.singles ?? 1500;
  const rounds = options.rounds ?? 5;
  const batched = options.batched ?? 100_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-'));
  try {
    const db = openDatabase(path.join(dir, 'bench.db'));
    db.exec(PLAIN_TABLE);
    const now = () => Date.now();
    const timeline = new TimelineService(db, { now }, { actor: 'bench', host: os.hostname() });
    const insertIncident = db.prepare(
      "INSERT INTO incidents (title, severity, status, detected_at, created_at, updated_at) VALUES ('bench', 'high', 'detected', ?, ?, ?)",
    );
    const iso = new Date().toISOString();
    const hashedIncident = Number(insertIncident.run(iso, iso, iso).lastInsertRowid);
    const plainIncident = Number(insertIncident.run(iso, iso, iso).lastInsertRowid);
    const batchIncident = Number(insertIncident.run(iso, iso, iso).lastInsertRowid);
    const plainInsert = db.prepare(
      'INSERT INTO plain_timeline (incident_id, seq, at, actor, host, kind, data, corrects, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)',
    );
    const fakeHash = randomBytes(32).toString('hex');
    const data = (i: number) => ({ text: `note ${i}: restarted worker pool, error rate ${i % 100}%`, source: 'bench' });
    let plainSeq = 0;

    // Interleaved rounds so disk and CPU noise fall on both sides alike.
    let plainSeconds = 0;
    let hashedSeconds = 0;
    const perRound = Math.ceil(singles / rounds);
    for (let r = 0; r < rounds; r++) {
      let start = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) {
        // Same durability as the app: one IMMEDIATE transaction (one fsync under FULL) per entry.
        db.transaction(() => {
          plainSeq++;
          plainInsert.run(plainIncident, plainSeq, new Date().toISOString(), 'bench', os.hostname(), 'note', JSON.stringify(data(i)), fakeHash, fakeHash);
        }).immediate();
      }
      plainSeconds += elapsed(start);
      start = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) timeline.append({ incidentId: hashedIncident, kind: 'note', data: data(i) });
      hashedSeconds += elapsed(start);
    }
    const total = perRound * rounds;

    const batchSize = 1000;
    const start = process.hrtime.bigint();
    for (let done = 0; done < batched; done += batchSize) {
      timeline.appendMany(Array.from({ length: batchSize }, (_, i) => ({ incidentId: batchIncident, kind: 'alert.raised', data: { metric: 'cpu', value: (done + i) % 100 } })));
    }
    const batchSeconds = elapsed(start);
    const verify = timeline.verify();
    db.close();

    const plainPerSecond = total / plainSeconds;
    const hashedPerSecond = total / hashedSeconds;
    return {
      settings: 'WAL, synchronous=FULL, one IMMEDIATE transaction per single append',
      singleAppends: total,
      plainInsertsPerSecond: Math.round(plainPerSecond),
      hashedAppendsPerSecond: Math.round(hashedPerSecond),
      hashedOverPlainTimeRatio: Number((plainPerSecond / hashedPerSecond).toFixed(3)),
      ratioTarget: '<= 1.3',
      batchedEntries: batched,
      batchSize,
      batchedEntriesPerSecond: Math.round(batched / batchSeconds),
      batchedTarget: '>= 50000',
      chainVerified: verify.ok,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  void runTimelineBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
