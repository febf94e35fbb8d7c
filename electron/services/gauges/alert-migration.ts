import type { Migration } from '../db/migrations';

/**
 * The last alert transition written to the timeline, per alert key, for the whole profile.
 * When the app and `firebreak serve` run on one profile, both sample and both see each
 * crossing; this row lets the first one record it and the other stand down (see
 * timeline-sink.ts). `level` is the level reached (warning, danger, down, …), so an
 * escalation is a new transition, not a repeat.
 */
export const alertStateMigration: Migration = {
  version: 5,
  name: 'monitor alert states',
  sql: `
    CREATE TABLE monitor_alert_state (
      key         TEXT PRIMARY KEY,
      incident_id INTEGER NOT NULL REFERENCES incidents(id),
      level       TEXT NOT NULL,
      entry_id    INTEGER NOT NULL,
      pid         INTEGER NOT NULL,
      host        TEXT NOT NULL,
      at          TEXT NOT NULL
    ) WITHOUT ROWID;
  `,
};
