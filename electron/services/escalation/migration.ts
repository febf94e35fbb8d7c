import type { Migration } from '../db/migrations';

// Version 9 (reserved for escalation, issue 17). Contacts and the on-call rotation live
// here; escalations, acknowledgements, suggestions and sent updates live on the timeline,
// so the report and the hash chain hold them. escalation_suggestions only claims a trigger
// once (as sla_breaches does), so two processes watching one profile never both suggest.
// The bundled policy is seed 004 §11's: placeholders to be filled in, marked as such.
export const escalationMigration: Migration = {
  version: 9,
  name: 'contacts, on-call rotation and overrides, escalation suggestion claims',
  sql: `
    CREATE TABLE contacts (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
      kind        TEXT NOT NULL CHECK (kind IN ('person','team','vendor')),
      level       INTEGER CHECK (level IN (1,2,3)),
      role        TEXT NOT NULL DEFAULT '',
      phone       TEXT NOT NULL DEFAULT '',
      email       TEXT NOT NULL DEFAULT '',
      chat        TEXT NOT NULL DEFAULT '',
      time_zone   TEXT NOT NULL DEFAULT 'UTC',
      hours       TEXT,
      placeholder INTEGER NOT NULL DEFAULT 0,
      notes       TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE oncall_shifts (
      id        INTEGER PRIMARY KEY AUTOINCREMENT,
      role      TEXT NOT NULL CHECK (role IN ('primary','secondary')),
      name      TEXT NOT NULL,
      starts_at TEXT NOT NULL,
      ends_at   TEXT NOT NULL,
      source    TEXT NOT NULL
    );
    CREATE INDEX oncall_shifts_time ON oncall_shifts(role, starts_at);

    CREATE TABLE oncall_overrides (
      id        INTEGER PRIMARY KEY AUTOINCREMENT,
      role      TEXT NOT NULL CHECK (role IN ('primary','secondary')),
      name      TEXT NOT NULL,
      starts_at TEXT NOT NULL,
      ends_at   TEXT NOT NULL,
      reason    TEXT NOT NULL
    );

    CREATE TABLE escalation_suggestions (
      incident_id INTEGER NOT NULL REFERENCES incidents(id),
      trigger_key TEXT NOT NULL,
      claimed_at  TEXT NOT NULL,
      PRIMARY KEY (incident_id, trigger_key)
    );

    INSERT INTO contacts (name, kind, level, role, time_zone, hours, placeholder, notes) VALUES
      ('[Operations contact]', 'team', 1, 'Operations (運用担当者), 24 h', 'UTC', NULL, 1, 'Placeholder from seed 004 §11.1: fill in, or import the on-call rotation.'),
      ('[System administrators]', 'team', 2, 'System administrators (システム管理者): 24 h for Critical, business hours otherwise', 'UTC', '{"days":["mon","tue","wed","thu","fri"],"start":"09:00","end":"18:00"}', 1, 'Placeholder from seed 004 §11.1: fill in.'),
      ('[Development team]', 'team', 3, 'Development team (開発チーム): business hours, 24 h in an emergency', 'UTC', '{"days":["mon","tue","wed","thu","fri"],"start":"09:00","end":"18:00"}', 1, 'Placeholder from seed 004 §11.1: fill in.'),
      ('[Cloud provider]', 'vendor', NULL, 'Cloud provider (クラウドプロバイダー)', 'UTC', NULL, 1, 'Placeholder from seed 004 §11.2: fill in.'),
      ('[Data provider]', 'vendor', NULL, 'Data provider (データプロバイダー)', 'UTC', NULL, 1, 'Placeholder from seed 004 §11.2: fill in.'),
      ('[System maintenance]', 'vendor', NULL, 'System maintenance (システム保守)', 'UTC', NULL, 1, 'Placeholder from seed 004 §11.2: fill in.');
  `,
};
