import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChainHead } from '../../../shared/domain';
import { AnchorSigner, ANCHORS_FILE, loadAnchorKey, TimelineAnchors } from '../anchors';
import type { Clock } from '../clock';
import { DATABASE_FILE, openDatabase, type Db } from '../db/open';
import { MIGRATIONS } from '../db/migrations';
import { ServiceError } from '../errors';
import { requireRegularFile } from '../file-kind';
import { pidAlive } from '../pid-alive';
import { FileSecretStore, type SecretStore } from '../probes/secret-store';
import { TimelineService } from '../timeline';
import { compareWithRecord, readHeads, type RecordedHeads } from './heads';
import { DEFAULT_RETENTION, selectRetained, type RetentionPolicy } from './retention';

export interface BackupRecord extends Partial<RecordedHeads> {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly at: string;
  readonly durationMs: number;
}

export interface RestoreReport {
  readonly restoredFrom: string;
  readonly sha256: string;
  /** Where the database that was replaced now lives. */
  readonly previousKeptAt: string | undefined;
  readonly timelineEntries: number;
  /** The chain heads of the restored database, as the ledger recorded them at backup time. */
  readonly heads: readonly ChainHead[];
  readonly durationMs: number;
}

export interface RestoreOptions {
  /** Restore a file the ledger does not know (made on another machine); its heads cannot be compared. */
  readonly unrecorded?: boolean;
}

const LEDGER = 'backups.jsonl';
const PID_FILE = 'firebreak.pid';

async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Online backups through SQLite's backup API (safe while the app and CLI write), each
 * hashed and recorded in a ledger beside a `.sha256` file; restores that verify a backup
 * completely before anything is replaced, keeping the replaced database aside.
 */
export class BackupService {
  constructor(
    private readonly home: string,
    private readonly clock: Clock,
    private readonly db?: Db,
    /** Where the anchor key lives (ledger lines are keyed with it); default the profile's file store. */
    private readonly secrets: SecretStore = new FileSecretStore(home),
  ) {}

  private async signer(create: boolean): Promise<AnchorSigner | undefined> {
    const loaded = await loadAnchorKey(this.secrets, create).catch(() => undefined);
    return loaded ? new AnchorSigner(loaded.key) : undefined;
  }

  get backupsDir(): string {
    return path.join(this.home, 'backups');
  }

  async backup(out: string): Promise<BackupRecord> {
    const target = path.resolve(out);
    if (fs.existsSync(target)) throw new ServiceError('conflict', `${target} already exists; choose a new file name`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const started = performance.now();
    const source = this.db ?? openDatabase(path.join(this.home, DATABASE_FILE));
    try {
      await source.backup(`${target}.partial`);
    } finally {
      if (!this.db) source.close();
    }
    fs.renameSync(`${target}.partial`, target);
    fs.chmodSync(target, 0o400);
    const { sha256, bytes } = await sha256File(target);
    // The heads inside the backup, keyed: a backup cut short and re-hashed no longer matches its line.
    const copy = new Database(target, { readonly: true, fileMustExist: true });
    const pinned = readHeads(copy);
    copy.close();
    const signer = await this.signer(true);
    const body = { path: target, bytes, sha256, at: new Date(this.clock.now()).toISOString(), ...pinned };
    const keyed = signer ? { key: signer.keyId, mac: signer.sign(body) } : {};
    const record: BackupRecord = { ...body, durationMs: Math.round(performance.now() - started), ...keyed };
    fs.writeFileSync(`${target}.sha256`, `${sha256}  ${path.basename(target)}\n`);
    fs.mkdirSync(this.backupsDir, { recursive: true });
    fs.appendFileSync(path.join(this.backupsDir, LEDGER), `${JSON.stringify(record)}\n`);
    return record;
  }

  /** Checks a backup without touching the live database: hash, integrity, schema, hash chain, recorded heads. */
  async inspect(file: string, options: RestoreOptions = {}): Promise<{ sha256: string; timelineEntries: number; heads: readonly ChainHead[] }> {
    const source = path.resolve(file);
    requireRegularFile(source, 'a backup file (a Firebreak .db)');
    const { sha256 } = await sha256File(source);
    const expected = this.expectedHash(source);
    if (expected && expected !== sha256) throw new ServiceError('conflict', `${source} does not match its recorded SHA-256 (${expected.slice(0, 12)}…, found ${sha256.slice(0, 12)}…); it was changed or damaged after the backup`);
    const record = this.ledgerRecord(source);
    let db: Db;
    try {
      db = new Database(source, { readonly: true, fileMustExist: true });
      db.pragma('schema_version');
    } catch (error) {
      throw new ServiceError('invalid_input', `${source} is not a Firebreak backup: ${(error as Error).message}`);
    }
    try {
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new ServiceError('conflict', `${source} fails SQLite's integrity check: ${String(check)}`);
      const version = db.pragma('user_version', { simple: true }) as number;
      const supported = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
      if (version > supported) throw new ServiceError('conflict', `${source} comes from a newer Firebreak (schema ${version}, this one knows ${supported})`);
      if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'timeline'").get()) throw new ServiceError('invalid_input', `${source} is not a Firebreak database (no timeline)`);
      const verification = new TimelineService(db, this.clock, { actor: 'restore', host: 'restore' }).verify();
      if (!verification.ok) {
        const f = verification.failures[0]!;
        throw new ServiceError('conflict', `${source}: the timeline hash chain is broken at incident ${f.incidentId} entry #${f.seq} (${f.reason})`);
      }
      if (!record?.heads && !options.unrecorded) {
        throw new ServiceError(
          'conflict',
          `${source} has no keyed record in ${path.join(this.backupsDir, LEDGER)}, so its chain heads cannot be checked; if it was made on another machine, restore it with --unrecorded`,
        );
      }
      if (record?.heads) {
        const signer = await this.signer(false);
        const { path: _p, bytes, sha256: recordedSha, at, heads, incidents, maxIncident } = record;
        const keyed = signer && record.key && record.mac ? signer.check({ path: record.path, bytes, sha256: recordedSha, at, heads, incidents, maxIncident }, record.key, record.mac) : undefined;
        if (keyed === false) throw new ServiceError('conflict', `the ledger line of ${source} does not match its MAC: ${LEDGER} was edited`);
        const missing = compareWithRecord(db, record as RecordedHeads);
        if (missing.length) throw new ServiceError('conflict', `${source} lacks what it held when it was backed up at ${record.at}: ${missing.join('; ')}`);
      }
      return { sha256, timelineEntries: verification.entriesChecked, heads: verification.heads ?? [] };
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      // A damaged file fails here, not at open: SQLite reads lazily.
      throw new ServiceError('invalid_input', `${source} is not a Firebreak backup: ${(error as Error).message}`);
    } finally {
      db.close();
    }
  }

  /** Replaces the profile's database with a verified backup. The app must not be running. */
  async restore(file: string, options: RestoreOptions = {}): Promise<RestoreReport> {
    const started = performance.now();
    const pid = this.runningPid();
    if (pid !== undefined) throw new ServiceError('conflict', `Firebreak is running on this profile (process ${pid}); close it before restoring`);
    const { sha256, timelineEntries, heads } = await this.inspect(file, options);
    const live = path.join(this.home, DATABASE_FILE);
    const stamp = new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-');
    let previousKeptAt: string | undefined;
    if (fs.existsSync(live)) {
      // Fold the WAL into the file first so the copy kept aside is complete on its own.
      const current = new Database(live);
      current.pragma('wal_checkpoint(TRUNCATE)');
      current.close();
      previousKeptAt = path.join(this.backupsDir, `before-restore-${stamp}.db`);
      fs.mkdirSync(this.backupsDir, { recursive: true });
      fs.renameSync(live, previousKeptAt);
      for (const suffix of ['-wal', '-shm']) fs.rmSync(`${live}${suffix}`, { force: true });
    }
    fs.mkdirSync(this.home, { recursive: true });
    fs.copyFileSync(path.resolve(file), `${live}.restoring`);
    fs.chmodSync(`${live}.restoring`, 0o600);
    fs.renameSync(`${live}.restoring`, live);
    await this.reanchor(live, stamp);
    return { restoredFrom: path.resolve(file), sha256, previousKeptAt, timelineEntries, heads, durationMs: Math.round(performance.now() - started) };
  }

  /**
   * The anchors described the database that was replaced; restoring is the operator going
   * back on purpose, so they are kept aside with it and start again from the restored heads.
   */
  private async reanchor(live: string, stamp: string): Promise<void> {
    const anchorsFile = path.join(this.home, ANCHORS_FILE);
    if (fs.existsSync(anchorsFile)) fs.renameSync(anchorsFile, path.join(this.backupsDir, `before-restore-${stamp}.${ANCHORS_FILE}`));
    const db = openDatabase(live);
    try {
      const anchors = new TimelineAnchors({ home: this.home, db, clock: this.clock, secrets: this.secrets });
      await anchors.ready();
      if (!anchors.unavailable) anchors.reset();
    } finally {
      db.close();
    }
  }

  /** One backup a day into backups/auto, then the retention policy prunes the folder. */
  async autoBackup(policy: RetentionPolicy = DEFAULT_RETENTION): Promise<BackupRecord | undefined> {
    const dir = path.join(this.backupsDir, 'auto');
    fs.mkdirSync(dir, { recursive: true });
    const today = new Date(this.clock.now()).toISOString().slice(0, 10);
    const existing = this.autoBackups(dir);
    const made = existing.some((b) => b.at.toISOString().slice(0, 10) === today)
      ? undefined
      : await this.backup(path.join(dir, `firebreak-${new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-')}.db`));
    const all = this.autoBackups(dir);
    const keep = selectRetained(all, policy);
    for (const item of all) {
      if (keep.has(item)) continue;
      fs.rmSync(item.file, { force: true });
      fs.rmSync(`${item.file}.sha256`, { force: true });
    }
    return made;
  }

  /** Marks the profile as in use by this process, so a restore elsewhere refuses to run. */
  claimProfile(): () => void {
    const file = path.join(this.home, PID_FILE);
    fs.mkdirSync(this.home, { recursive: true });
    fs.writeFileSync(file, String(process.pid));
    return () => {
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file, { force: true });
    };
  }

  private runningPid(): number | undefined {
    const file = path.join(this.home, PID_FILE);
    if (!fs.existsSync(file)) return undefined;
    const pid = Number(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(pid) && pid !== process.pid && pidAlive(pid) ? pid : undefined;
  }

  private expectedHash(file: string): string | undefined {
    const sidecar = `${file}.sha256`;
    if (fs.existsSync(sidecar)) return fs.readFileSync(sidecar, 'utf8').split(/\s+/)[0];
    return this.ledgerRecord(file)?.sha256;
  }

  /** The latest ledger line for this path (a torn or foreign line is skipped, not fatal). */
  private ledgerRecord(file: string): (BackupRecord & { key?: string; mac?: string }) | undefined {
    const ledger = path.join(this.backupsDir, LEDGER);
    if (!fs.existsSync(ledger)) return undefined;
    let found: (BackupRecord & { key?: string; mac?: string }) | undefined;
    for (const line of fs.readFileSync(ledger, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const record = JSON.parse(line) as BackupRecord & { key?: string; mac?: string };
        if (record.path === file) found = record;
      } catch {
        // keep looking
      }
    }
    return found;
  }

  private autoBackups(dir: string): { file: string; at: Date }[] {
    return fs
      .readdirSync(dir)
      .filter((name) => /^firebreak-.*\.db$/.test(name))
      .map((name) => ({ file: path.join(dir, name), at: fs.statSync(path.join(dir, name)).mtime }))
      .map((b) => ({ ...b, at: parseStamp(path.basename(b.file)) ?? b.at }));
  }
}

/** firebreak-2026-11-23T09-30-00-000Z.db → its date (the name is the truth, not the mtime). */
function parseStamp(name: string): Date | undefined {
  const m = /^firebreak-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.db$/.exec(name);
  return m ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : undefined;
}
