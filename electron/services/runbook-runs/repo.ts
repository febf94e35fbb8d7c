import type { StepCommandRun, StepStatus } from '../../../shared/runbook-runs';
import type { Runbook } from '../../../shared/runbooks';
import type { Db } from '../db/open';

// SQL for runs, their steps and phases, and remembered variables. No logic here.

export interface RunRow {
  id: string;
  incident_id: number;
  runbook_id: string;
  runbook_version: string;
  runbook_sha256: string;
  runbook_json: string;
  /** Language of the file followed (null: started before runbooks had languages). */
  runbook_lang: string | null;
  /** The runbook's other languages at the start, `{ lang: Runbook }` (null: none recorded). */
  translations_json: string | null;
  started_at: string;
  started_by: string;
  completed_at: string | null;
  /** Where its steps are typed: `local` or a target name (see target-migration.ts). */
  target: string;
}

export interface StepRow {
  run_id: string;
  step_id: string;
  status: StepStatus;
  reason: string | null;
  note: string | null;
  at: string | null;
  actor: string | null;
  last_run: string | null;
}

export interface PhaseRow {
  run_id: string;
  phase_id: string;
  started_at: string;
  finished_at: string | null;
}

export interface VariableRow {
  name: string;
  value: string | null;
  secret: number;
}

export class RunRepo {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insertRun(row: RunRow): void {
    this.db
      .prepare(
        `INSERT INTO runbook_runs (id, incident_id, runbook_id, runbook_version, runbook_sha256, runbook_json, runbook_lang, translations_json, started_at, started_by, completed_at, target)
         VALUES (@id, @incident_id, @runbook_id, @runbook_version, @runbook_sha256, @runbook_json, @runbook_lang, @translations_json, @started_at, @started_by, @completed_at, @target)`,
      )
      .run(row);
  }

  run(id: string): RunRow | undefined {
    return this.db.prepare<[string], RunRow>('SELECT * FROM runbook_runs WHERE id = ?').get(id);
  }

  runsOf(incidentId: number): RunRow[] {
    return this.db.prepare<[number], RunRow>('SELECT * FROM runbook_runs WHERE incident_id = ? ORDER BY started_at, rowid').all(incidentId);
  }

  setTarget(id: string, target: string): void {
    this.db.prepare('UPDATE runbook_runs SET target = ? WHERE id = ?').run(target, id);
  }

  setCompleted(id: string, at: string | null): void {
    this.db.prepare('UPDATE runbook_runs SET completed_at = ? WHERE id = ?').run(at, id);
  }

  steps(runId: string): StepRow[] {
    return this.db.prepare<[string], StepRow>('SELECT * FROM runbook_run_steps WHERE run_id = ?').all(runId);
  }

  step(runId: string, stepId: string): StepRow | undefined {
    return this.db.prepare<[string, string], StepRow>('SELECT * FROM runbook_run_steps WHERE run_id = ? AND step_id = ?').get(runId, stepId);
  }

  upsertStep(row: Omit<StepRow, 'last_run'>): void {
    this.db
      .prepare(
        `INSERT INTO runbook_run_steps (run_id, step_id, status, reason, note, at, actor)
         VALUES (@run_id, @step_id, @status, @reason, @note, @at, @actor)
         ON CONFLICT (run_id, step_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
           note = excluded.note, at = excluded.at, actor = excluded.actor`,
      )
      .run(row);
  }

  setLastRun(runId: string, stepId: string, lastRun: StepCommandRun): void {
    this.db
      .prepare(
        `INSERT INTO runbook_run_steps (run_id, step_id, status, last_run) VALUES (?, ?, 'pending', ?)
         ON CONFLICT (run_id, step_id) DO UPDATE SET last_run = excluded.last_run`,
      )
      .run(runId, stepId, JSON.stringify(lastRun));
  }

  phases(runId: string): PhaseRow[] {
    return this.db.prepare<[string], PhaseRow>('SELECT * FROM runbook_run_phases WHERE run_id = ?').all(runId);
  }

  startPhase(runId: string, phaseId: string, at: string): void {
    this.db.prepare('INSERT OR IGNORE INTO runbook_run_phases (run_id, phase_id, started_at) VALUES (?, ?, ?)').run(runId, phaseId, at);
  }

  setPhaseFinished(runId: string, phaseId: string, at: string | null): void {
    this.db.prepare('UPDATE runbook_run_phases SET finished_at = ? WHERE run_id = ? AND phase_id = ?').run(at, runId, phaseId);
  }

  variables(incidentId: number): VariableRow[] {
    return this.db.prepare<[number], VariableRow>('SELECT name, value, secret FROM runbook_variables WHERE incident_id = ?').all(incidentId);
  }

  setVariable(incidentId: number, name: string, value: string | null, secret: boolean, at: string): void {
    this.db
      .prepare(
        `INSERT INTO runbook_variables (incident_id, name, value, secret, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, name) DO UPDATE SET value = excluded.value, secret = excluded.secret, updated_at = excluded.updated_at`,
      )
      .run(incidentId, name, value, secret ? 1 : 0, at);
  }
}

export function parseRunbook(row: RunRow): Runbook {
  return JSON.parse(row.runbook_json) as Runbook;
}

/** The run's runbook in its other languages, as recorded at the start. */
export function parseTranslations(row: RunRow): Record<string, Runbook> {
  return row.translations_json ? (JSON.parse(row.translations_json) as Record<string, Runbook>) : {};
}
