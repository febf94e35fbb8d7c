import type { Migration } from '../db/migrations';

/**
 * The last alert state written to each incident's timeline, per alert key. When the app
 * and `firebreak serve` run on one profile, both sample and both see each crossing; this
 * row lets the first one record it and the other stand down (see timeline-sink.ts).
 */
export const alertStateMigration: Migration = {
  version: 5,
  name: 'monitor alert states',
  sql: `
    CREATE TABLE monitor_alert_state (
      incident_id INTEGER NOT NULL REFERENCES incidents(id),
      key         TEXT NOT NULL,
      state       TEXT NOT NULL CHECK (state IN ('raised', 'cleared')),
      pid         INTEGER NOT NULL,
      host        TEXT NOT NULL,
      changed_at  TEXT NOT NULL,
      PRIMARY KEY (incident_id, key)
    ) WITHOUT ROWID;
  `,
};
