import type { Migration } from '../db/migrations';

/**
 * Alert routing and history (issues 15 and 19; version 151 reserved for it).
 * `incident_alert_pins`: machines whose alerts the operator pinned to an incident besides
 * its affected targets (pinning and unpinning are also timeline entries). `monitor_alerts`:
 * every alert transition the profile saw, whether or not an incident received it, so the
 * alert history pages through all of it instead of keeping the last hundred in memory.
 */
export const alertRoutingMigration: Migration = {
  version: 151,
  name: 'alert pins and alert history',
  sql: `
    CREATE TABLE incident_alert_pins (
      incident_id INTEGER NOT NULL REFERENCES incidents(id),
      machine     TEXT NOT NULL,
      pinned_at   TEXT NOT NULL,
      PRIMARY KEY (incident_id, machine)
    ) WITHOUT ROWID;
    CREATE TABLE monitor_alerts (
      id    INTEGER PRIMARY KEY AUTOINCREMENT,
      key   TEXT NOT NULL,
      level TEXT NOT NULL,
      at    TEXT NOT NULL,
      data  TEXT NOT NULL
    );
    CREATE INDEX monitor_alerts_key ON monitor_alerts(key, id);
  `,
};
