import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, openDatabase } from '../../../../electron/services/db/open';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../../electron/services/db/migrations';
import { tempHome } from '../../../support/temp-home';

describe('openDatabase', () => {
  let home: ReturnType<typeof tempHome>;
  let file: string;
  beforeEach(() => {
    home = tempHome();
    file = path.join(home.dir, 'nested', 'firebreak.db');
  });
  afterEach(() => home.cleanup());

  it('creates the file with WAL, FULL sync, foreign keys and the latest schema', () => {
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(() => db.prepare("INSERT INTO timeline (incident_id, seq, at, actor, host, kind, data, prev_hash, hash) VALUES (999, 1, '', '', '', '', '{}', '', '')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('runs only the migrations a database has not had yet', () => {
    const first = [MIGRATIONS[0]!];
    openDatabase(file, { migrations: first }).close();
    const extra = { version: 2, name: 'test', sql: 'CREATE TABLE extra (x INTEGER);' };
    const db = openDatabase(file, { migrations: [...first, extra] });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.prepare('INSERT INTO extra VALUES (1)').run();
    db.close();
    // Reopening does not re-run migration 2 (it would fail: the table exists).
    openDatabase(file, { migrations: [...first, extra] }).close();
  });

  it('applies a lower-numbered migration that lands after a higher one (reserved versions)', () => {
    const v2 = { version: 2, name: 'evidence (merged later)', sql: 'CREATE TABLE two (x INTEGER);' };
    const v3 = { version: 3, name: 'gauges', sql: 'CREATE TABLE three (x INTEGER);' };
    openDatabase(file, { migrations: [MIGRATIONS[0]!, v3] }).close();
    const db = openDatabase(file, { migrations: [MIGRATIONS[0]!, v3, v2] });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.prepare('INSERT INTO two VALUES (1)').run();
    db.prepare('INSERT INTO three VALUES (1)').run();
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    db.close();
    // Nothing runs twice, and a reopen takes no write lock at all when everything is recorded.
    const again = openDatabase(file, { migrations: [MIGRATIONS[0]!, v3, v2] });
    expect(again.pragma('user_version', { simple: true })).toBe(3);
    again.close();
  });

  it('adopts a database made before the migration ledger (versions 1..user_version ran)', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const raw = new Database(file);
    raw.exec(MIGRATIONS[0]!.sql);
    raw.pragma('user_version = 1');
    raw.close();
    const v3 = { version: 3, name: 'gauges', sql: 'CREATE TABLE three (x INTEGER);' };
    const db = openDatabase(file, { migrations: [MIGRATIONS[0]!, v3] });
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 3 }]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
  });

  it('refuses a database whose version is above every known migration, even with gaps', () => {
    const v3 = { version: 3, name: 'gauges', sql: 'CREATE TABLE three (x INTEGER);' };
    openDatabase(file, { migrations: [MIGRATIONS[0]!, v3] }).close();
    expect(() => openDatabase(file, { migrations: [MIGRATIONS[0]!] })).toThrow(DatabaseTooNewError);
  });

  it('refuses two different migrations with the same version, tolerates the same one listed twice', () => {
    const a = { version: 3, name: 'gauges', sql: 'CREATE TABLE three (x INTEGER);' };
    const b = { version: 3, name: 'runbook runs', sql: 'CREATE TABLE other (x INTEGER);' };
    expect(() => openDatabase(file, { migrations: [MIGRATIONS[0]!, a, b] })).toThrow(/two migrations claim version 3/);
    openDatabase(file, { migrations: [MIGRATIONS[0]!, a, a] }).close();
  });

  it('rolls back a failing migration entirely', () => {
    const broken = { version: 2, name: 'broken', sql: 'CREATE TABLE half (x); SELECT nonsense FROM nowhere;' };
    openDatabase(file, { migrations: [MIGRATIONS[0]!] }).close();
    expect(() => openDatabase(file, { migrations: [MIGRATIONS[0]!, broken] })).toThrow(/no such table: nowhere/);
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database from a newer Firebreak without altering it', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const before = fs.readFileSync(file);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseTooNewError);
    expect((error as Error).message).toMatch(new RegExp(`schema version ${SCHEMA_VERSION + 5}.*up to ${SCHEMA_VERSION}.*not changed`));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });
});
