import type { Migration } from '../db/migrations';

// Version 4 (reserved for runbook runs). The run keeps a snapshot of the runbook it
// follows, so progress survives restarts and edits of the file. Remembered variable values
// live per incident; secret ones are only a marker here (the value is in the SecretStore).
export const runbookRunMigration: Migration = {
  version: 4,
  name: 'runbook runs, step progress, phase timers, remembered variables',
  sql: `
    CREATE TABLE runbook_runs (
      id              TEXT PRIMARY KEY,
      incident_id     INTEGER NOT NULL REFERENCES incidents(id),
      runbook_id      TEXT NOT NULL,
      runbook_version TEXT NOT NULL,
      runbook_sha256  TEXT NOT NULL,
      runbook_json    TEXT NOT NULL,
      started_at      TEXT NOT NULL,
      started_by      TEXT NOT NULL,
      completed_at    TEXT
    );
    CREATE INDEX runbook_runs_incident ON runbook_runs(incident_id);

    CREATE TABLE runbook_run_steps (
      run_id     TEXT NOT NULL REFERENCES runbook_runs(id),
      step_id    TEXT NOT NULL,
      status     TEXT NOT NULL CHECK (status IN ('pending','done','skipped','failed')),
      reason     TEXT,
      note       TEXT,
      at         TEXT,
      actor      TEXT,
      last_run   TEXT,
      PRIMARY KEY (run_id, step_id)
    );

    CREATE TABLE runbook_run_phases (
      run_id      TEXT NOT NULL REFERENCES runbook_runs(id),
      phase_id    TEXT NOT NULL,
      started_at  TEXT NOT NULL,
      finished_at TEXT,
      PRIMARY KEY (run_id, phase_id)
    );

    CREATE TABLE runbook_variables (
      incident_id INTEGER NOT NULL REFERENCES incidents(id),
      name        TEXT NOT NULL,
      value       TEXT,
      secret      INTEGER NOT NULL DEFAULT 0,
      updated_at  TEXT NOT NULL,
      PRIMARY KEY (incident_id, name)
    );
  `,
};
