import type { Migration } from '../db/migrations';

// Version 27 (team sync, issue 16; migration 16 holds identity and device chains). One team per
// profile; which incidents are shared and how far each stream has been read, persisted in the
// same transaction as the entries read, so a crash never skips or repeats one; remote entries
// that failed a check, kept to be shown and never merged.
export const teamSyncMigration: Migration = {
  version: 27,
  name: 'team sync: team, shared incidents with their stream positions, quarantine',
  sql: `
    CREATE TABLE team_config (
      id         INTEGER PRIMARY KEY CHECK (id = 1),
      url        TEXT NOT NULL,
      team       TEXT NOT NULL,
      ca_file    TEXT,
      founder    TEXT NOT NULL,
      founder_key TEXT NOT NULL,
      joined_at  TEXT NOT NULL
    );
    CREATE TABLE team_shared (
      incident_id INTEGER PRIMARY KEY,
      uid         TEXT NOT NULL UNIQUE,
      shared      INTEGER NOT NULL DEFAULT 1 CHECK (shared IN (0, 1)),
      stream_pos  TEXT NOT NULL DEFAULT '0-0'
    );
    CREATE TABLE team_quarantine (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      incident_uid TEXT NOT NULL,
      device_id   TEXT NOT NULL,
      device_seq  INTEGER NOT NULL,
      stream_id   TEXT NOT NULL,
      reason      TEXT NOT NULL,
      payload     TEXT NOT NULL,
      received_at TEXT NOT NULL,
      UNIQUE (incident_uid, stream_id)
    );
  `,
};
