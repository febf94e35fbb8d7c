import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations';

export type Db = Database.Database;

export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${file} has schema version ${found}, but this Firebreak understands up to ${supported}. ` +
        'It was written by a newer Firebreak; upgrade Firebreak to open it. The file was not changed.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

export interface OpenDatabaseOptions {
  /** Path to an Electron-ABI build of better-sqlite3 (the app passes it; Node uses the default build). */
  readonly nativeBinding?: string;
  readonly migrations?: readonly Migration[];
  readonly readonly?: boolean;
}

export const DATABASE_FILE = 'firebreak.db';

/**
 * Opens (creating if needed) the profile database with the pragmas the app relies on:
 * WAL so the CLI and the app can share it, synchronous=FULL so a committed timeline
 * entry survives power loss, foreign keys on, and a busy timeout so concurrent writers
 * wait instead of failing.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.readonly ? { readonly: true, fileMustExist: true } : {}),
  });
  try {
    // Check the version before touching anything, so a newer database is never altered.
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > latest) throw new DatabaseTooNewError(file, found, latest);
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, migrations, found);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Applies every migration whose version is not yet recorded, in version order, and keeps
 * `user_version` at the highest applied. Versions are reserved per feature (2 evidence,
 * 3 gauges, 4 runbook runs …) and land in any order, so "run everything above
 * user_version" would skip a lower number merged later; `schema_migrations` records each
 * version that ran instead.
 */
function migrate(db: Db, migrations: readonly Migration[], from: number): void {
  const byVersion = new Map<number, Migration>();
  for (const m of migrations) {
    const seen = byVersion.get(m.version);
    // Two features that picked the same number must not both believe their schema exists.
    if (seen && seen.sql !== m.sql) throw new Error(`two migrations claim version ${m.version}: "${seen.name}" and "${m.name}"`);
    byVersion.set(m.version, m);
  }
  const sorted = [...byVersion.values()].sort((a, b) => a.version - b.version);
  const hasLedger = () => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  const recorded = () => new Set(db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((r) => r.version));
  // Fast path (every open, app and CLI alike): nothing to do, no write lock taken.
  if (hasLedger()) {
    const applied = recorded();
    if (sorted.every((m) => applied.has(m.version))) return;
  } else if (sorted.length === 0) return;
  // IMMEDIATE: if the app and the CLI start together only one runs the migrations;
  // the other waits (busy_timeout) and then finds nothing left to do.
  const run = db.transaction(() => {
    if (!hasLedger()) {
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      // A database from before the ledger ran migrations 1..user_version contiguously.
      const current = db.pragma('user_version', { simple: true }) as number;
      const backfill = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
      for (const m of sorted) if (m.version <= current) backfill.run(m.version, m.name, 'before schema_migrations');
    }
    const applied = recorded();
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of sorted) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
    const highest = Math.max(from, ...sorted.map((m) => m.version));
    db.pragma(`user_version = ${highest}`);
  });
  run.immediate();
}

export { SCHEMA_VERSION };
