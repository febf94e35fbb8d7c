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
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
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

function migrate(db: Db, migrations: readonly Migration[], from: number): void {
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return;
  // IMMEDIATE: if the app and the CLI start together only one runs the migrations;
  // the other waits (busy_timeout) and then finds nothing left to do.
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const migration of pending) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  run.immediate();
}

export { SCHEMA_VERSION };
