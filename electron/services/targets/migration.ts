import type { Migration } from '../db/migrations';

/**
 * Remote targets (issue 13; version 13 reserved for it). `targets` is the profile's list of
 * hosts; `incident_targets` the hosts an incident currently affects (adding and removing
 * are also written to the timeline, which keeps the history). No credentials are stored:
 * authentication is the operator's ssh config and agent.
 */
export const targetMigration: Migration = {
  version: 13,
  name: 'remote targets',
  sql: `
    CREATE TABLE targets (
      name     TEXT PRIMARY KEY,
      added_at TEXT NOT NULL
    );
    CREATE TABLE incident_targets (
      incident_id INTEGER NOT NULL REFERENCES incidents(id),
      target      TEXT NOT NULL,
      added_at    TEXT NOT NULL,
      PRIMARY KEY (incident_id, target)
    );
  `,
};
