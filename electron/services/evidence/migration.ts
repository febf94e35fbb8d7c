import type { Migration } from '../db/migrations';

/**
 * Evidence tables. Appended to MIGRATIONS by the foundation; kept here so the evidence
 * schema lives next to the code that writes it.
 *
 * - A collection row is inserted as `running` before any file is copied. If the process
 *   dies, the next start finds it still `running` with a dead pid and marks it
 *   `incomplete`; the artifacts it committed stay (they were committed with their
 *   custody entry in one transaction).
 * - Artifact rows are custody records: UPDATE and DELETE are refused, like the timeline.
 */
export const evidenceMigration: Migration = {
  version: 2,
  name: 'evidence collections and artifacts',
  sql: `
    CREATE TABLE evidence_collections (
      id             INTEGER PRIMARY KEY AUTOINCREMENT,
      incident_id    INTEGER NOT NULL REFERENCES incidents(id),
      collector      TEXT NOT NULL,
      params         TEXT NOT NULL DEFAULT '{}',
      status         TEXT NOT NULL CHECK (status IN ('running','complete','cancelled','failed','incomplete')),
      started_at     TEXT NOT NULL,
      finished_at    TEXT,
      actor          TEXT NOT NULL,
      host           TEXT NOT NULL,
      pid            INTEGER NOT NULL,
      artifact_count INTEGER NOT NULL DEFAULT 0,
      bytes          INTEGER NOT NULL DEFAULT 0,
      error          TEXT
    );
    CREATE INDEX evidence_collections_incident ON evidence_collections(incident_id);
    CREATE INDEX evidence_collections_running ON evidence_collections(status) WHERE status = 'running';

    CREATE TABLE evidence_artifacts (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      incident_id     INTEGER NOT NULL REFERENCES incidents(id),
      collection_id   INTEGER NOT NULL REFERENCES evidence_collections(id),
      name            TEXT NOT NULL,
      kind            TEXT NOT NULL,
      status          TEXT NOT NULL,
      detail          TEXT,
      sha256          TEXT,
      size            INTEGER,
      media_type      TEXT NOT NULL DEFAULT 'application/octet-stream',
      binary          INTEGER NOT NULL DEFAULT 0,
      source_path     TEXT,
      source          TEXT,
      source_sha256   TEXT,
      derivation      TEXT,
      collector       TEXT NOT NULL,
      params          TEXT NOT NULL DEFAULT '{}',
      host            TEXT NOT NULL,
      os_user         TEXT NOT NULL,
      collected_at    TEXT NOT NULL
    );
    CREATE INDEX evidence_artifacts_incident ON evidence_artifacts(incident_id, id);
    CREATE INDEX evidence_artifacts_collection ON evidence_artifacts(collection_id);
    CREATE INDEX evidence_artifacts_sha256 ON evidence_artifacts(sha256);

    CREATE TRIGGER evidence_artifacts_no_update BEFORE UPDATE ON evidence_artifacts
    BEGIN SELECT RAISE(ABORT, 'evidence artifacts are custody records: they cannot be changed'); END;
    CREATE TRIGGER evidence_artifacts_no_delete BEFORE DELETE ON evidence_artifacts
    BEGIN SELECT RAISE(ABORT, 'evidence artifacts are custody records: they cannot be deleted'); END;
  `,
};
