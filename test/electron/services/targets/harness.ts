import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../../../electron/services/clock';
import { MIGRATIONS } from '../../../../electron/services/db/migrations';
import { openDatabase, type Db } from '../../../../electron/services/db/open';
import { RemoteEvidence } from '../../../../electron/services/evidence/remote';
import { EvidenceService } from '../../../../electron/services/evidence/service';
import type { Identity } from '../../../../electron/services/identity';
import { TargetService, targetMigration } from '../../../../electron/services/targets';
import { TimelineService } from '../../../../electron/services/timeline';
import { startSshd, type SshdOptions, type TestSshd } from '../../../support/sshd';
import { insertIncident } from '../evidence/helpers';

/** A profile (real SQLite, timeline, evidence store) whose targets reach a real test sshd as `fbtest`. */
export interface TargetHarness {
  readonly home: string;
  readonly sshd: TestSshd;
  readonly db: Db;
  readonly timeline: TimelineService;
  readonly evidence: EvidenceService;
  readonly targets: TargetService;
  readonly remote: RemoteEvidence;
  readonly incidentId: number;
  /** A folder on the "server" (same machine, reached through sshd). */
  readonly serverDir: string;
  cleanup(): Promise<void>;
}

export async function targetHarness(options: SshdOptions & { readonly trusted?: boolean; readonly readTimeoutSec?: number } = {}): Promise<TargetHarness> {
  const sshd = await startSshd(options);
  if (options.trusted !== false) sshd.trustHostKey();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-targets-'));
  const home = path.join(dir, 'home');
  const serverDir = path.join(dir, 'server');
  fs.mkdirSync(serverDir, { recursive: true });
  const migrations = MIGRATIONS.some((m) => m.version === targetMigration.version) ? MIGRATIONS : [...MIGRATIONS, targetMigration];
  const db = openDatabase(path.join(home, 'firebreak.db'), { migrations });
  const identity: Identity = { actor: 'tester', host: os.hostname() };
  const timeline = new TimelineService(db, systemClock, identity);
  const evidence = new EvidenceService({ db, timeline, clock: systemClock, identity, home });
  const targets = new TargetService({ db, clock: systemClock, timeline, home, ssh: { configFile: sshd.config, connectTimeoutSec: 5, persistSec: 60, ...(options.readTimeoutSec !== undefined ? { readTimeoutSec: options.readTimeoutSec } : {}) } });
  const remote = new RemoteEvidence(evidence, targets);
  const incidentId = insertIncident(db);
  return {
    home,
    sshd,
    db,
    timeline,
    evidence,
    targets,
    remote,
    incidentId,
    serverDir,
    async cleanup() {
      await targets.close();
      await sshd.stop();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
