import type { TimelineEntry } from '../../../shared/domain';
import { runbookInLanguage, type RunView } from '../../../shared/runbook-runs';
import type { Runbook } from '../../../shared/runbooks';
import type { Db } from '../db/open';

// Runbook runs as the timeline records them (runbook.started, runbook.step, runbook.finished
// and friends). The runbook feature owns those kinds; this reader only relies on a few
// fields and tolerates missing ones, so reports keep working as that feature evolves.

export type StepStatus = 'done' | 'skipped' | 'failed' | 'pending';
export type RunOutcome = 'succeeded' | 'failed' | 'unfinished';

export interface RunStep {
  readonly id: string;
  title: string;
  status: StepStatus;
  reason: string;
  /** What the responder wrote on the step (the runbook feature's `note`). */
  note: string;
  phaseId: string;
  at: string;
  command: string;
  exitCode: number | null;
}

export interface RunbookRun {
  readonly runId: string;
  readonly runbookId: string;
  title: string;
  startedAt: string;
  finishedAt: string | null;
  /** Set by the finishing entry; derived from the steps when it does not say. */
  finishStatus: string | null;
  readonly started: Readonly<Record<string, unknown>>;
  finished: Readonly<Record<string, unknown>>;
  readonly steps: Map<string, RunStep>;
}

export const ROLLBACK_RUNBOOK_ID = 'rollback';

const FINISH_KINDS = new Set(['runbook.finished', 'runbook.completed', 'runbook.aborted', 'runbook.failed', 'runbook.cancelled']);
const SUCCESS = new Set(['succeeded', 'success', 'completed', 'complete', 'done', 'ok', 'passed']);

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function stepStatus(v: unknown): StepStatus {
  const s = str(v).toLowerCase();
  if (s === 'done' || s === 'completed' || s === 'succeeded' || s === 'ok' || s === 'passed') return 'done';
  if (s === 'skipped') return 'skipped';
  if (s === 'failed' || s === 'error') return 'failed';
  return 'pending';
}

export function runOutcome(run: RunbookRun): RunOutcome {
  if (run.finishedAt === null) return 'unfinished';
  const status = (run.finishStatus ?? '').toLowerCase();
  if (status !== '') return SUCCESS.has(status) ? 'succeeded' : 'failed';
  return [...run.steps.values()].some((s) => s.status === 'failed') ? 'failed' : 'succeeded';
}

/** A run's title and step texts in one language, keyed by step id. */
export interface RunTexts {
  readonly title: string;
  readonly steps: ReadonlyMap<string, string>;
}

/**
 * The runbook text of each run of the incident in `language` (by run id), from the runs'
 * own records: the runbook they followed and the other languages kept at the start. The
 * timeline holds step texts in the language the run was started in; a report in another
 * language quotes the steps from here. Empty when the runs table is not there or older.
 */
export function readRunbookTexts(db: Db, incidentId: number, language: string): Map<string, RunTexts> {
  const out = new Map<string, RunTexts>();
  type Row = { id: string; runbook_json: string; runbook_lang: string | null; translations_json: string | null };
  let rows: Row[];
  try {
    rows = db.prepare<[number], Row>('SELECT id, runbook_json, runbook_lang, translations_json FROM runbook_runs WHERE incident_id = ?').all(incidentId);
  } catch {
    // Another feature's table, missing or of another shape: the report quotes the timeline.
    return out;
  }
  for (const row of rows) {
    try {
      const run: Pick<RunView, 'runbook' | 'lang' | 'translations'> = {
        runbook: JSON.parse(row.runbook_json) as Runbook,
        lang: row.runbook_lang,
        translations: row.translations_json ? (JSON.parse(row.translations_json) as Record<string, Runbook>) : {},
      };
      const runbook = runbookInLanguage(run, language);
      out.set(row.id, { title: runbook.title, steps: new Map(runbook.phases.flatMap((p) => p.steps.map((st) => [st.id, st.text] as const))) });
    } catch {
      continue;
    }
  }
  return out;
}

/** Folds runbook.* entries (of one or many incidents) into runs, in the order they started. */
export class RunbookRunCollector {
  readonly runs = new Map<string, RunbookRun>();
  private readonly latestByRunbook = new Map<string, string>();
  private anonymous = 0;

  /** `texts`: runs' titles and step texts in the report's language (readRunbookTexts), preferred over the timeline's. */
  constructor(private readonly texts: ReadonlyMap<string, RunTexts> = new Map()) {}

  add(entry: TimelineEntry): void {
    if (!entry.kind.startsWith('runbook.')) return;
    const d = entry.data;
    const runbookId = str(d.runbookId) || str(d.runbook) || 'runbook';
    const explicit = str(d.runId);
    const key = (id: string) => `${entry.incidentId}:${id}`;
    if (entry.kind === 'runbook.started') {
      const runId = explicit || `${runbookId}#${++this.anonymous}`;
      this.runs.set(key(runId), {
        runId,
        runbookId,
        title: this.texts.get(runId)?.title ?? (str(d.title) || str(d.name) || runbookId),
        startedAt: entry.at,
        finishedAt: null,
        finishStatus: null,
        started: d,
        finished: {},
        steps: new Map(),
      });
      this.latestByRunbook.set(`${entry.incidentId}:${runbookId}`, key(runId));
      return;
    }
    const found = this.runs.get(key(explicit)) ?? this.runs.get(this.latestByRunbook.get(`${entry.incidentId}:${runbookId}`) ?? '');
    const run = found ?? this.implicitRun(entry, runbookId, explicit);
    if (entry.kind === 'runbook.step') {
      const id = str(d.stepId) || str(d.step) || str(d.title) || String(run.steps.size + 1);
      const step = run.steps.get(id) ?? { id, title: '', status: 'pending' as StepStatus, reason: '', note: '', phaseId: '', at: entry.at, command: '', exitCode: null };
      // The latest word on a step wins (a retried step that then succeeds is done).
      step.title = this.texts.get(run.runId)?.steps.get(id) ?? (str(d.title) || str(d.name) || step.title || id);
      step.status = stepStatus(d.status);
      step.reason = str(d.reason) || (step.status === 'skipped' || step.status === 'failed' ? step.reason : '');
      step.note = str(d.note) || step.note;
      step.phaseId = str(d.phaseId) || step.phaseId;
      step.at = entry.at;
      step.command = str(d.command) || step.command;
      step.exitCode = typeof d.exitCode === 'number' ? d.exitCode : step.exitCode;
      run.steps.set(id, step);
    } else if (entry.kind === 'runbook.reopened') {
      // A settled step was changed back: the run is open again until it completes anew.
      run.finishedAt = null;
      run.finishStatus = null;
    } else if (FINISH_KINDS.has(entry.kind)) {
      run.finishedAt = entry.at;
      run.finished = d;
      const implied = entry.kind === 'runbook.aborted' ? 'aborted' : entry.kind === 'runbook.failed' ? 'failed' : '';
      run.finishStatus = str(d.status) || str(d.outcome) || implied || null;
    }
  }

  list(): RunbookRun[] {
    return [...this.runs.values()];
  }

  private implicitRun(entry: TimelineEntry, runbookId: string, explicit: string): RunbookRun {
    // A step or finish whose start we never saw (an older record, a filtered export).
    const runId = explicit || `${runbookId}#${++this.anonymous}`;
    const run: RunbookRun = {
      runId,
      runbookId,
      title: runbookId,
      startedAt: entry.at,
      finishedAt: null,
      finishStatus: null,
      started: {},
      finished: {},
      steps: new Map(),
    };
    this.runs.set(`${entry.incidentId}:${runId}`, run);
    this.latestByRunbook.set(`${entry.incidentId}:${runbookId}`, `${entry.incidentId}:${runId}`);
    return run;
  }
}
