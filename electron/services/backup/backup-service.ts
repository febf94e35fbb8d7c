import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock';
import { DATABASE_FILE, openDatabase, type Db } from '../db/open';
import { MIGRATIONS } from '../db/migrations';
import { ServiceError } from '../errors';
import { pidAlive } from '../pid-alive';
import { TimelineService } from '../timeline';
import { DEFAULT_RETENTION, selectRetained, type RetentionPolicy } from './retention';

export interface BackupRecord {
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
  readonly durationMs: number;
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
  ) {}

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
    const record: BackupRecord = { path: target, bytes, sha256, at: new Date(this.clock.now()).toISOString(), durationMs: Math.round(performance.now() - started) };
    fs.writeFileSync(`${target}.sha256`, `${sha256}  ${path.basename(target)}\n`);
    fs.mkdirSync(this.backupsDir, { recursive: true });
    fs.appendFileSync(path.join(this.backupsDir, LEDGER), `${JSON.stringify(record)}\n`);
    return record;
  }

  /** Checks a backup without touching the live database: hash, integrity, schema, hash chain. */
  async inspect(file: string): Promise<{ sha256: string; timelineEntries: number }> {
    const source = path.resolve(file);
    if (!fs.existsSync(source)) throw new ServiceError('not_found', `${source} does not exist`);
    const { sha256 } = await sha256File(source);
    const expected = this.expectedHash(source);
    if (expected && expected !== sha256) throw new ServiceError('conflict', `${source} does not match its recorded SHA-256 (${expected.slice(0, 12)}…, found ${sha256.slice(0, 12)}…); it was changed or damaged after the backup`);
    let db: Db;
    try {
      db = new Database(source, { readonly: true, fileMustExist: true });
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
      return { sha256, timelineEntries: verification.entriesChecked };
    } finally {
      db.close();
    }
  }

  /** Replaces the profile's database with a verified backup. The app must not be running. */
  async restore(file: string): Promise<RestoreReport> {
    const started = performance.now();
    const pid = this.runningPid();
    if (pid !== undefined) throw new ServiceError('conflict', `Firebreak is running on this profile (process ${pid}); close it before restoring`);
    const { sha256, timelineEntries } = await this.inspect(file);
    const live = path.join(this.home, DATABASE_FILE);
    let previousKeptAt: string | undefined;
    if (fs.existsSync(live)) {
      // Fold the WAL into the file first so the copy kept aside is complete on its own.
      const current = new Database(live);
      current.pragma('wal_checkpoint(TRUNCATE)');
      current.close();
      previousKeptAt = path.join(this.backupsDir, `before-restore-${new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-')}.db`);
      fs.mkdirSync(this.backupsDir, { recursive: true });
      fs.renameSync(live, previousKeptAt);
      for (const suffix of ['-wal', '-shm']) fs.rmSync(`${live}${suffix}`, { force: true });
    }
    fs.mkdirSync(this.home, { recursive: true });
    fs.copyFileSync(path.resolve(file), `${live}.restoring`);
    fs.chmodSync(`${live}.restoring`, 0o600);
    fs.renameSync(`${live}.restoring`, live);
    return { restoredFrom: path.resolve(file), sha256, previousKeptAt, timelineEntries, durationMs: Math.round(performance.now() - started) };
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
    const ledger = path.join(this.backupsDir, LEDGER);
    if (!fs.existsSync(ledger)) return undefined;
    const records = fs
      .readFileSync(ledger, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as BackupRecord);
    return records.reverse().find((r) => r.path === file)?.sha256;
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
