import type { Migration } from '../db/migrations';

/**
 * Where a run's steps are typed (issue 13): `local` or one of the incident's targets,
 * chosen when the run starts and kept with it (before this, the window remembered it and a
 * reload lost it). Runs from before are local, as they were. Version 131: issue 13, part 1.
 */
export const runTargetMigration: Migration = {
  version: 131,
  name: 'runbook run target',
  sql: `ALTER TABLE runbook_runs ADD COLUMN target TEXT NOT NULL DEFAULT 'local';`,
};
