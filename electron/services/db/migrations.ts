// Numbered, append-only list of schema migrations. Versions are reserved per feature and
// may land out of order; openDatabase records each applied version in `schema_migrations`
// and runs every one not yet recorded (`PRAGMA user_version` = the highest applied).
// Never edit a migration that has shipped: add a new one.
import { runTargetMigration } from '../runbook-runs/target-migration';
import { escalationMigration } from '../escalation/migration';
import { evidenceMigration } from '../evidence/migration';
import { evidenceRetractionMigration } from '../evidence/retraction-migration';
import { alertStateMigration } from '../gauges/alert-migration';
import { gaugeMigration } from '../gauges/migration';
import { alertRoutingMigration } from '../monitor/migration';
import { runbookLanguageMigration } from '../runbook-runs/lang-migration';
import { runbookRunMigration } from '../runbook-runs/migration';
import { targetMigration } from '../targets/migration';
import { teamMigration } from '../team/migration';
import { teamSyncMigration } from '../team/sync-migration';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'incidents and the hash-chained timeline',
    sql: `
      CREATE TABLE incidents (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        title            TEXT NOT NULL,
        severity         TEXT NOT NULL CHECK (severity IN ('critical','high','medium','low')),
        status           TEXT NOT NULL CHECK (status IN ('detected','acknowledged','investigating','mitigated','resolved','closed')),
        summary          TEXT NOT NULL DEFAULT '',
        impact           TEXT NOT NULL DEFAULT '',
        responder        TEXT NOT NULL DEFAULT '',
        services         TEXT NOT NULL DEFAULT '[]',
        tags             TEXT NOT NULL DEFAULT '[]',
        detected_at      TEXT NOT NULL,
        acknowledged_at  TEXT,
        investigating_at TEXT,
        mitigated_at     TEXT,
        resolved_at      TEXT,
        closed_at        TEXT,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      );
      CREATE INDEX incidents_status ON incidents(status);

      CREATE TABLE sla_pauses (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        started_at  TEXT NOT NULL,
        ended_at    TEXT,
        reason      TEXT NOT NULL
      );
      CREATE INDEX sla_pauses_incident ON sla_pauses(incident_id);
      -- At most one open pause per incident.
      CREATE UNIQUE INDEX sla_pauses_open ON sla_pauses(incident_id) WHERE ended_at IS NULL;

      -- One row per (incident, clock) that has breached, so the breach is written once
      -- even when the app and the CLI both watch the clocks.
      CREATE TABLE sla_breaches (
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        clock       TEXT NOT NULL CHECK (clock IN ('response','recovery')),
        breached_at TEXT NOT NULL,
        PRIMARY KEY (incident_id, clock)
      );

      CREATE TABLE timeline (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        seq         INTEGER NOT NULL,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        host        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        data        TEXT NOT NULL,
        corrects    INTEGER REFERENCES timeline(id),
        prev_hash   TEXT NOT NULL,
        hash        TEXT NOT NULL,
        UNIQUE (incident_id, seq)
      );
      CREATE INDEX timeline_kind ON timeline(incident_id, kind);

      CREATE TRIGGER timeline_no_update BEFORE UPDATE ON timeline
      BEGIN SELECT RAISE(ABORT, 'timeline is append-only: entries cannot be changed'); END;
      CREATE TRIGGER timeline_no_delete BEFORE DELETE ON timeline
      BEGIN SELECT RAISE(ABORT, 'timeline is append-only: entries cannot be deleted'); END;
    `,
  },
  gaugeMigration,
  evidenceMigration,
  runbookRunMigration,
  alertStateMigration,
  targetMigration,
  runTargetMigration,
  escalationMigration,
  runbookLanguageMigration,
  teamMigration,
  teamSyncMigration,
  evidenceRetractionMigration,
  alertRoutingMigration,
];

/** The highest version (the list is in merge order, not necessarily version order). */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
