import type { Migration } from '../db/migrations';

// Version 22 (reserved for runbook languages, issue 22). A run records the language of the
// runbook file it follows (its hash is already runbook_sha256) and keeps the other
// languages of the runbook as they were at the start, so the operator can switch the UI
// language mid-run: the variants share step ids, so the progress rows stay valid.
// NULL in both columns: a run started before variants existed (one language only).
export const runbookLanguageMigration: Migration = {
  version: 22,
  name: 'runbook runs record their language and the other languages of the runbook',
  sql: `
    ALTER TABLE runbook_runs ADD COLUMN runbook_lang TEXT;
    ALTER TABLE runbook_runs ADD COLUMN translations_json TEXT;
  `,
};
