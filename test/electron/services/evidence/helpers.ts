import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock, type Clock } from '../../../../electron/services/clock';
import { MIGRATIONS } from '../../../../electron/services/db/migrations';
import { openDatabase, type Db } from '../../../../electron/services/db/open';
import type { Identity } from '../../../../electron/services/identity';
import { TimelineService } from '../../../../electron/services/timeline';
import { EvidenceArchive } from '../../../../electron/services/evidence/archive';
import { EvidenceService, type EvidenceServiceDeps } from '../../../../electron/services/evidence/service';

/** Evidence (version 2) is registered in MIGRATIONS. */
export const MIGRATIONS_WITH_EVIDENCE = MIGRATIONS;

export interface Harness {
  readonly dir: string;
  readonly home: string;
  readonly src: string;
  readonly db: Db;
  readonly timeline: TimelineService;
  readonly evidence: EvidenceService;
  readonly archive: EvidenceArchive;
  readonly identity: Identity;
  readonly incidentId: number;
  cleanup(): void;
}

export function insertIncident(db: Db, title = 'disk full on api-1'): number {
  const now = new Date().toISOString();
  return Number(
    db
      .prepare(`INSERT INTO incidents (title, severity, status, detected_at, created_at, updated_at) VALUES (?, 'high', 'investigating', ?, ?, ?)`)
      .run(title, now, now, now).lastInsertRowid,
  );
}

/** A real profile in a temp dir: SQLite file with the evidence migration, a timeline, one incident. */
export function harness(overrides: Partial<EvidenceServiceDeps> = {}, clock: Clock = systemClock): Harness {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-evidence-'));
  const home = path.join(dir, 'home');
  const src = path.join(dir, 'src');
  fs.mkdirSync(src, { recursive: true });
  const db = openDatabase(path.join(home, 'firebreak.db'), { migrations: MIGRATIONS_WITH_EVIDENCE });
  const identity: Identity = { actor: 'tester', host: os.hostname() };
  const timeline = new TimelineService(db, clock, identity);
  const evidence = new EvidenceService({ db, timeline, clock, identity, home, ...overrides });
  const archive = new EvidenceArchive(evidence, timeline);
  const incidentId = insertIncident(db);
  return {
    dir,
    home,
    src,
    db,
    timeline,
    evidence,
    archive,
    identity,
    incidentId,
    cleanup() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function write(file: string, content: string | Buffer, mtime?: Date): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  if (mtime) fs.utimesSync(file, mtime, mtime);
  return file;
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
