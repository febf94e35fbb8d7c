// `timeline verify` of a 1,000,000-entry profile (issue 19): it streams page by page, so its
// memory stays flat. Measured against, in the same run: a plain read of every row (the floor
// for anything that looks at each entry), and loading the whole table at once (what a
// non-streaming verify would hold). Also the cost of anchoring each durable append
// (anchors.jsonl, issue 18) against the same appends without anchors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TimelineAnchors } from '../../electron/services/anchors';
import { openDatabase } from '../../electron/services/db/open';
import { MemorySecretStore } from '../../electron/services/probes/secret-store';
import { TimelineService, type TimelineRow } from '../../electron/services/timeline';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function runTimelineVerifyBench(options: { entries?: number; appends?: number } = {}): Promise<Record<string, unknown>> {
  const entries = options.entries ?? Number(process.env.VERIFY_ENTRIES ?? 1_000_000);
  const appends = options.appends ?? 1000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-verify-'));
  try {
    const db = openDatabase(path.join(dir, 'bench.db'));
    const clock = { now: () => Date.now() };
    const identity = { actor: 'bench', host: os.hostname() };
    const anchors = new TimelineAnchors({ home: dir, db, clock, secrets: new MemorySecretStore() });
    await anchors.ready();
    const timeline = new TimelineService(db, clock, identity, undefined, anchors);
    const plain = new TimelineService(db, clock, identity);
    const insertIncident = db.prepare("INSERT INTO incidents (title, severity, status, detected_at, created_at, updated_at) VALUES ('bench', 'high', 'detected', ?, ?, ?)");
    const iso = new Date().toISOString();
    const incident = () => Number(insertIncident.run(iso, iso, iso).lastInsertRowid);

    // Appends: anchored vs not, interleaved rounds, one durable transaction each.
    const anchoredIncident = incident();
    const plainIncident = incident();
    let anchoredSeconds = 0;
    let plainSeconds = 0;
    for (let round = 0; round < 5; round++) {
      let start = process.hrtime.bigint();
      for (let i = 0; i < appends / 5; i++) plain.append({ incidentId: plainIncident, kind: 'note', data: { text: `note ${i}` } });
      plainSeconds += seconds(start);
      start = process.hrtime.bigint();
      for (let i = 0; i < appends / 5; i++) timeline.append({ incidentId: anchoredIncident, kind: 'note', data: { text: `note ${i}` } });
      anchoredSeconds += seconds(start);
    }

    // The big profile: 100 incidents, filled in batches.
    const ids = Array.from({ length: 100 }, incident);
    const perBatch = 50_000;
    let made = 0;
    const fill = process.hrtime.bigint();
    while (made < entries) {
      const n = Math.min(perBatch, entries - made);
      timeline.appendMany(Array.from({ length: n }, (_, i) => ({ incidentId: ids[(made + i) % ids.length]!, kind: 'note', data: { text: `entry ${made + i}: worker pool restarted`, n: made + i } })));
      made += n;
    }
    const fillSeconds = seconds(fill);
    const total = (db.prepare('SELECT COUNT(*) AS n FROM timeline').get() as { n: number }).n;

    global.gc?.();
    // Floor: read every row once, streaming, doing nothing with it.
    let rssBase = process.memoryUsage().rss;
    let start = process.hrtime.bigint();
    let bytes = 0;
    for (const row of db.prepare<[], TimelineRow>('SELECT * FROM timeline ORDER BY incident_id, seq').iterate()) bytes += row.data.length;
    const readSeconds = seconds(start);

    // Streaming verify with anchors, sampling RSS at every page.
    global.gc?.();
    rssBase = process.memoryUsage().rss;
    let rssPeak = rssBase;
    let pages = 0;
    start = process.hrtime.bigint();
    const result = await timeline.verifyStreaming(undefined, () => {
      pages++;
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    });
    const verifySeconds = seconds(start);
    if (!result.ok) throw new Error(`verify failed: ${JSON.stringify(result.failures.slice(0, 2))}`);

    // What loading the whole table at once holds (the non-streaming shape).
    global.gc?.();
    const rssBeforeAll = process.memoryUsage().rss;
    start = process.hrtime.bigint();
    const all = db.prepare<[], TimelineRow>('SELECT * FROM timeline ORDER BY incident_id, seq').all();
    const allSeconds = seconds(start);
    const rssAll = process.memoryUsage().rss;
    const held = all.length;
    all.length = 0;
    db.close();
    return {
      entries: total,
      fillSeconds: Math.round(fillSeconds * 10) / 10,
      verify: { seconds: Math.round(verifySeconds * 100) / 100, entriesPerSecond: Math.round(total / verifySeconds), pages, rssGrowthMiB: mib(rssPeak - rssBase) },
      baselineReadEveryRow: { seconds: Math.round(readSeconds * 100) / 100, dataBytes: bytes },
      verifyVsRead: Math.round((verifySeconds / readSeconds) * 100) / 100,
      baselineLoadWholeTable: { seconds: Math.round(allSeconds * 100) / 100, rows: held, rssGrowthMiB: mib(rssAll - rssBeforeAll) },
      anchoredAppend: {
        appends,
        anchoredMsPerAppend: Math.round((anchoredSeconds / appends) * 1e5) / 100,
        plainMsPerAppend: Math.round((plainSeconds / appends) * 1e5) / 100,
        ratio: Math.round((anchoredSeconds / plainSeconds) * 100) / 100,
      },
      anchorsFileBytes: fs.statSync(anchors.file).size,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
