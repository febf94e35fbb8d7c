import type { Migration } from '../db/migrations';

/**
 * Retractions (issue 15). Artifact rows cannot change (they are custody records), so a
 * retraction is a row of its own beside the artifact, written with its `evidence.retracted`
 * timeline entry. One per artifact; it cannot be changed or taken back either.
 */
export const evidenceRetractionMigration: Migration = {
  version: 33,
  name: 'evidence retractions',
  sql: `
    CREATE TABLE evidence_retractions (
      artifact_id       INTEGER PRIMARY KEY REFERENCES evidence_artifacts(id),
      retraction_reason TEXT NOT NULL CHECK (length(trim(retraction_reason)) > 0),
      retracted_by      TEXT NOT NULL,
      retracted_at      TEXT NOT NULL
    );

    CREATE TRIGGER evidence_retractions_no_update BEFORE UPDATE ON evidence_retractions
    BEGIN SELECT RAISE(ABORT, 'evidence retractions are custody records: they cannot be changed'); END;
    CREATE TRIGGER evidence_retractions_no_delete BEFORE DELETE ON evidence_retractions
    BEGIN SELECT RAISE(ABORT, 'evidence retractions are custody records: they cannot be deleted'); END;
  `,
};
