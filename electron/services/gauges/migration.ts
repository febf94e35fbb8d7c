import type { Migration } from '../db/migrations';

/**
 * Gauge history (downsampled while an incident is open) and the monitor settings
 * (threshold rules, probe targets; never secrets). Appended to MIGRATIONS as version 3.
 */
export const gaugeMigration: Migration = {
  version: 3,
  name: 'gauge history and monitor settings',
  sql: `
    CREATE TABLE gauge_history (
      incident_id  INTEGER NOT NULL REFERENCES incidents(id),
      metric       TEXT NOT NULL,
      subject      TEXT NOT NULL DEFAULT '',
      bucket_start TEXT NOT NULL,
      bucket_ms    INTEGER NOT NULL CHECK (bucket_ms > 0),
      samples      INTEGER NOT NULL CHECK (samples > 0),
      min          REAL NOT NULL,
      avg          REAL NOT NULL,
      max          REAL NOT NULL,
      PRIMARY KEY (incident_id, metric, subject, bucket_start)
    ) WITHOUT ROWID;

    -- Settings documents validated by zod on the way in and out: 'gauges.rules', 'probes.config'.
    CREATE TABLE monitor_settings (
      key        TEXT PRIMARY KEY,
      value      TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
  `,
};
