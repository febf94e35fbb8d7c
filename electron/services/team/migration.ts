import type { Migration } from '../db/migrations';

// A UUID v4 made by SQLite itself, so incidents created by any code path (and the rows that
// exist when this migration runs) get one without that code knowing about team mode.
const UUID = `lower(printf('%s-%s-4%s-%s%s-%s', hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2),
  substr('89ab', 1 + (abs(random()) % 4), 1), substr(hex(randomblob(2)), 2), hex(randomblob(6))))`;

// Version 16 (reserved for team mode, issue 16). The per-incident chain of migration 1 is
// left exactly as it is (its triggers, `timeline verify`, the anchors); each device's own
// chain lives beside it in device_entries, one row per timeline entry, keyed by the entry id.
// team_meta.legacy_max_entry remembers the last entry written before devices existed: those
// have no device row by design, any later entry without one lost it.
export const teamMigration: Migration = {
  version: 16,
  name: 'team mode: incident UUIDs, devices, per-device signed hash chains',
  sql: `
    ALTER TABLE incidents ADD COLUMN uid TEXT;
    UPDATE incidents SET uid = ${UUID};
    CREATE UNIQUE INDEX incidents_uid ON incidents(uid);
    CREATE TRIGGER incidents_uid_on_insert AFTER INSERT ON incidents WHEN NEW.uid IS NULL
    BEGIN UPDATE incidents SET uid = ${UUID} WHERE id = NEW.id; END;

    CREATE TABLE team_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    INSERT INTO team_meta (key, value) SELECT 'legacy_max_entry', COALESCE(MAX(id), 0) FROM timeline;

    -- Every device this profile knows, itself included (is_self = 1, exactly one).
    CREATE TABLE team_devices (
      device_id   TEXT PRIMARY KEY,
      public_key  TEXT,
      fingerprint TEXT,
      name        TEXT NOT NULL DEFAULT '',
      is_self     INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)),
      state       TEXT NOT NULL CHECK (state IN ('self', 'pending', 'approved', 'revoked')),
      added_at    TEXT NOT NULL
    );
    CREATE UNIQUE INDEX team_devices_self ON team_devices(is_self) WHERE is_self = 1;

    -- No foreign keys: a timeline row removed behind the triggers' back must stay removable
    -- (verify names it) rather than be refused by a constraint the attacker would just turn off.
    CREATE TABLE device_entries (
      entry_id    INTEGER PRIMARY KEY,
      incident_id INTEGER NOT NULL,
      device_id   TEXT NOT NULL,
      device_seq  INTEGER NOT NULL,
      device_prev TEXT NOT NULL,
      device_hash TEXT NOT NULL,
      -- Ed25519 over device_hash; NULL only until the device key has loaded from the secret store.
      signature   TEXT,
      UNIQUE (incident_id, device_id, device_seq)
    );
    CREATE TRIGGER device_entries_no_delete BEFORE DELETE ON device_entries
    BEGIN SELECT RAISE(ABORT, 'device chains are append-only: entries cannot be deleted'); END;
    -- The one change allowed: a missing signature filled in once.
    CREATE TRIGGER device_entries_sign_once BEFORE UPDATE ON device_entries
    WHEN OLD.signature IS NOT NULL OR NEW.entry_id IS NOT OLD.entry_id OR NEW.incident_id IS NOT OLD.incident_id
      OR NEW.device_id IS NOT OLD.device_id OR NEW.device_seq IS NOT OLD.device_seq
      OR NEW.device_prev IS NOT OLD.device_prev OR NEW.device_hash IS NOT OLD.device_hash
    BEGIN SELECT RAISE(ABORT, 'device chains are append-only: only a missing signature can be added'); END;
  `,
};
