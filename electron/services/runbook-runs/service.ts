import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type {
  LintView,
  RunbookCatalogView,
  RunbookSettings,
  RunbookSuggestionView,
  RunbookSummary,
  RunView,
  StepStatus,
  VariablePrompt,
} from '../../../shared/runbook-runs';
import type { Platform, Runbook, Step } from '../../../shared/runbooks';
import { LOCAL_TARGET } from '../../../shared/targets';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { conflict, invalidInput, notFound, ServiceError } from '../errors';
import type { EventBus } from '../events';
import type { Identity } from '../identity';
import type { IncidentService } from '../incidents';
import type { SecretStore } from '../probes/secret-store';
import { DEFAULT_RUNBOOK_LANGUAGE, withVariantBases, findStep, hasErrors, lintRunbooks, RunbookCatalog, runbooksFor, toRunbookPlatform } from '../runbooks';
import type { TimelineService } from '../timeline';
import { RunRepo, type RunRow } from './repo';
import type { RunbookSettingsStore } from './settings';
import { contextValues, incidentDir, RunVariables, type ResolvedValues } from './variables';
import { buildRunView, isSettled } from './view';

export interface RunbookRunDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly identity: Identity;
  readonly timeline: TimelineService;
  readonly incidents: IncidentService;
  readonly events: EventBus;
  readonly secrets: SecretStore;
  readonly settings: RunbookSettingsStore;
  readonly home: string;
  /** The bundled runbooks folder (found from the app's location when absent). */
  readonly bundledDir?: string;
  readonly platform?: Platform;
  /** The incident's targets (a run may be started on, or moved to, one of them). */
  readonly incidentTargets?: (incidentId: number) => readonly string[];
}

/** `languages`: every language the runbook has (from the catalogue), its own first. */
export function summarizeRunbook(r: Runbook, languages: readonly string[] = [r.lang ?? DEFAULT_RUNBOOK_LANGUAGE]): RunbookSummary {
  return {
    id: r.id,
    lang: r.lang ?? DEFAULT_RUNBOOK_LANGUAGE,
    languages,
    title: r.title,
    severities: r.severities,
    appliesTo: r.appliesTo,
    version: r.version,
    description: r.description,
    source: r.source,
    file: r.file,
    phases: r.phases.length,
    steps: r.phases.reduce((n, p) => n + p.steps.length, 0),
  };
}

function languagesOf(catalog: RunbookCatalog, id: string): string[] {
  return catalog.languages(id).map((r) => r.lang ?? DEFAULT_RUNBOOK_LANGUAGE);
}

/**
 * Checklist runs of runbooks on incidents: which runbook (version and file hash) is being
 * followed, each step's state, phase timers, and remembered variable values. Every change
 * is a timeline entry; the run's own tables make progress survive restarts.
 * Commands are run by RunExecutor (executor.ts), which builds on this class.
 */
export class RunbookRunService {
  readonly repo: RunRepo;
  readonly variables: RunVariables;
  readonly platform: Platform;
  private readonly catalog: RunbookCatalog;
  private loading: Promise<unknown> | null = null;

  constructor(readonly deps: RunbookRunDeps) {
    this.repo = new RunRepo(deps.db);
    this.variables = new RunVariables(this.repo, deps.secrets, deps.clock);
    this.platform = deps.platform ?? toRunbookPlatform(process.platform);
    this.catalog = new RunbookCatalog(this.loadOptions());
  }

  // ---- catalog and settings ----------------------------------------------------------

  private loadOptions() {
    return { ...(this.deps.bundledDir ? { bundledDir: this.deps.bundledDir } : {}), userDirs: this.deps.settings.folders() };
  }

  private async ready(): Promise<RunbookCatalog> {
    this.loading ??= this.catalog.reload();
    await this.loading;
    return this.catalog;
  }

  async reload(): Promise<RunbookCatalogView> {
    this.loading = this.catalog.reload(this.loadOptions());
    await this.loading;
    return this.catalogView();
  }

  /** Each runbook in `lang` where it has that language variant, else in its own language. */
  async catalogView(lang?: string): Promise<RunbookCatalogView> {
    const catalog = await this.ready();
    return { runbooks: catalog.list(lang).map((r) => summarizeRunbook(r, languagesOf(catalog, r.id))), diagnostics: catalog.diagnostics() };
  }

  async runbook(id: string, lang?: string): Promise<Runbook> {
    const found = (await this.ready()).get(id, lang);
    if (!found) throw new ServiceError('not_found', `id: runbook ${JSON.stringify(id)} does not exist`);
    return found;
  }

  async suggest(incidentId: number, lang?: string): Promise<RunbookSuggestionView[]> {
    const incident = this.deps.incidents.get(incidentId);
    const catalog = await this.ready();
    return runbooksFor(catalog.list(lang), incident).map((s) => ({ runbook: summarizeRunbook(s.runbook, languagesOf(catalog, s.runbook.id)), matchedTags: s.matchedTags }));
  }

  settings(): RunbookSettings {
    return { folders: this.deps.settings.folders(), bundledDir: this.deps.bundledDir ?? null };
  }

  async setFolders(folders: readonly string[]): Promise<RunbookSettings> {
    for (const folder of folders) {
      if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw invalidInput('folders', `${folder} is not a folder`);
    }
    this.deps.settings.setFolders(folders);
    await this.reload();
    return this.settings();
  }

  /** The given files/folders, or the bundled and configured folders as loaded. */
  async lint(paths?: readonly string[]): Promise<LintView> {
    const targets = paths && paths.length > 0 ? [...paths] : [...(this.deps.bundledDir ? [this.deps.bundledDir] : []), ...this.deps.settings.folders().filter((d) => fs.existsSync(d))];
    // A variant given alone (`lint x.ja.md`) is still checked against its base file.
    const result = await lintRunbooks(withVariantBases(targets));
    return { diagnostics: result.diagnostics, files: result.files.length, errors: result.diagnostics.filter((d) => d.severity === 'error').length };
  }

  lintFailed(view: LintView): boolean {
    return hasErrors(view.diagnostics);
  }

  // ---- runs ------------------------------------------------------------------------

  incidentDir(incidentId: number): string {
    const dir = incidentDir(this.deps.home, incidentId);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Starts a run of the runbook in `lang` (falling back to its own language). The run
   * records that file's language and hash, and keeps the other languages as they are now
   * so a language switch mid-run shows the same procedure.
   */
  async start(incidentId: number, runbookId: string, lang?: string, target: string = LOCAL_TARGET): Promise<RunView> {
    const incident = this.deps.incidents.get(incidentId);
    if (incident.status === 'closed') throw conflict('the incident is closed; runbooks cannot be started on it');
    this.checkTarget(incidentId, target);
    const runbook = await this.runbook(runbookId, lang);
    const runbookLang = runbook.lang ?? DEFAULT_RUNBOOK_LANGUAGE;
    const translations = Object.fromEntries(
      this.catalog
        .languages(runbook.id)
        .filter((r) => (r.lang ?? DEFAULT_RUNBOOK_LANGUAGE) !== runbookLang)
        .map((r) => [r.lang ?? DEFAULT_RUNBOOK_LANGUAGE, r]),
    );
    const row: RunRow = {
      id: `rr-${randomBytes(5).toString('hex')}`,
      incident_id: incidentId,
      runbook_id: runbook.id,
      runbook_version: runbook.version,
      runbook_sha256: runbook.sha256,
      runbook_json: JSON.stringify(runbook),
      runbook_lang: runbookLang,
      translations_json: Object.keys(translations).length > 0 ? JSON.stringify(translations) : null,
      started_at: this.nowIso(),
      started_by: this.deps.identity.actor,
      completed_at: null,
      target,
    };
    this.repo.transaction(() => {
      this.repo.insertRun(row);
      this.deps.timeline.append({
        incidentId,
        kind: 'runbook.started',
        data: { runbookId: runbook.id, runId: row.id, title: runbook.title, version: runbook.version, sha256: runbook.sha256, source: runbook.source, file: runbook.file, lang: runbookLang, target },
      });
    });
    this.incidentDir(incidentId);
    return this.changed(row.id);
  }

  /** Moves the run's steps to another target (or back to this laptop); written on the timeline. */
  setTarget(runId: string, target: string): RunView {
    const row = this.row(runId);
    if (row.target === target) return this.view(row);
    this.checkTarget(row.incident_id, target);
    this.repo.transaction(() => {
      this.repo.setTarget(row.id, target);
      this.deps.timeline.append({ incidentId: row.incident_id, kind: 'runbook.target', data: { runId: row.id, runbookId: row.runbook_id, target, previous: row.target } });
    });
    return this.changed(row.id);
  }

  private checkTarget(incidentId: number, target: string): void {
    if (target === LOCAL_TARGET) return;
    const known = this.deps.incidentTargets?.(incidentId) ?? [];
    if (!known.includes(target)) throw invalidInput('target', `${target} is not one of this incident's targets (${known.length ? known.join(', ') : 'it has none'}); add it to the incident first`);
  }

  list(incidentId: number): RunView[] {
    this.deps.incidents.get(incidentId);
    return this.repo.runsOf(incidentId).map((r) => this.view(r));
  }

  get(runId: string): RunView {
    return this.view(this.row(runId));
  }

  setStep(input: { runId: string; stepId: string; status: StepStatus; reason?: string | undefined; note?: string | undefined }): RunView {
    const row = this.row(input.runId);
    const runbook = JSON.parse(row.runbook_json) as Runbook;
    const found = findStep(runbook, input.stepId);
    if (!found) throw notFound(`step ${JSON.stringify(input.stepId)} in runbook ${row.runbook_id}`);
    const reason = input.reason?.trim() || null;
    const note = input.note?.trim() || null;
    if (input.status === 'skipped' && !reason) throw invalidInput('reason', 'say why the step is skipped');
    const at = this.nowIso();
    this.repo.transaction(() => {
      this.repo.upsertStep({ run_id: row.id, step_id: input.stepId, status: input.status, reason, note, at, actor: this.deps.identity.actor });
      this.repo.startPhase(row.id, found.phase.id, at);
      this.deps.timeline.append({
        incidentId: row.incident_id,
        kind: 'runbook.step',
        data: {
          runbookId: row.runbook_id,
          runId: row.id,
          phaseId: found.phase.id,
          stepId: input.stepId,
          title: found.step.text,
          status: input.status,
          ...(reason ? { reason } : {}),
          ...(note ? { note } : {}),
        },
      });
      this.settle(row, runbook, found.phase.id, at);
    });
    return this.changed(row.id);
  }

  /** Marks the phase started (first activity) without changing any step. */
  touchPhase(runId: string, phaseId: string): void {
    this.repo.startPhase(runId, phaseId, this.nowIso());
  }

  async prompts(runId: string, scope: { stepId?: string | undefined; phaseId?: string | undefined }): Promise<VariablePrompt[]> {
    const row = this.row(runId);
    const runbook = JSON.parse(row.runbook_json) as Runbook;
    let steps = this.scopeSteps(runbook, scope);
    if (scope.phaseId !== undefined && steps) {
      // Run all passes over done and skipped steps, so their values are not asked for.
      const settled = new Set(this.repo.steps(row.id).filter((st) => st.status === 'done' || st.status === 'skipped').map((st) => st.step_id));
      steps = steps.filter((st) => !settled.has(st.id));
    }
    return this.variables.prompts(runbook, steps, row.incident_id, this.context(row));
  }

  async setVariables(runId: string, values: Readonly<Record<string, string>>): Promise<VariablePrompt[]> {
    const row = this.row(runId);
    const runbook = JSON.parse(row.runbook_json) as Runbook;
    await this.variables.remember(row.incident_id, runbook, values);
    return this.variables.prompts(runbook, undefined, row.incident_id, this.context(row));
  }

  async resolveValues(row: RunRow, stepId: string): Promise<ResolvedValues> {
    return this.variables.resolve(row.incident_id, this.context(row, stepId));
  }

  scopeSteps(runbook: Runbook, scope: { stepId?: string | undefined; phaseId?: string | undefined }): Step[] | undefined {
    if (scope.stepId !== undefined) {
      const found = findStep(runbook, scope.stepId);
      if (!found) throw notFound(`step ${JSON.stringify(scope.stepId)}`);
      return [found.step];
    }
    if (scope.phaseId !== undefined) {
      const phase = runbook.phases.find((p) => p.id === scope.phaseId);
      if (!phase) throw notFound(`phase ${JSON.stringify(scope.phaseId)}`);
      return [...phase.steps];
    }
    return undefined;
  }

  row(runId: string): RunRow {
    const row = this.repo.run(runId);
    if (!row) throw notFound(`runbook run ${JSON.stringify(runId)}`);
    return row;
  }

  /** Rebuilds the view and tells every window. */
  changed(runId: string): RunView {
    const view = this.get(runId);
    this.deps.events.emit('runs.changed', { run: view });
    return view;
  }

  nowIso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private context(row: RunRow, stepId?: string): Record<string, string> {
    const incident = this.deps.incidents.get(row.incident_id);
    return contextValues(incident, { home: this.deps.home, platform: this.platform, actor: this.deps.identity.actor, runbookId: row.runbook_id, ...(stepId ? { stepId } : {}) });
  }

  private view(row: RunRow): RunView {
    // Compared with the same language's file, so a run in Japanese is not "changed" by its hash differing from the English one.
    const current = this.catalog.get(row.runbook_id, row.runbook_lang ?? undefined);
    return buildRunView(row, this.repo.steps(row.id), this.repo.phases(row.id), {
      platform: this.platform,
      now: this.deps.clock.now(),
      ...(current ? { current } : {}),
    });
  }

  /** Phase finished / run completed bookkeeping after a step changed (inside the transaction). */
  private settle(row: RunRow, runbook: Runbook, phaseId: string, at: string): void {
    const states = new Map(this.repo.steps(row.id).map((s) => [s.step_id, s.status]));
    const settled = (step: Step) => isSettled(states.get(step.id) ?? 'pending');
    const phase = runbook.phases.find((p) => p.id === phaseId)!;
    const phaseRow = this.repo.phases(row.id).find((p) => p.phase_id === phaseId);
    const phaseDone = phase.steps.every(settled);
    if (phaseDone && phaseRow && !phaseRow.finished_at) {
      this.repo.setPhaseFinished(row.id, phaseId, at);
      const usedMs = Math.max(0, Date.parse(at) - Date.parse(phaseRow.started_at));
      const overrun = phase.budgetMinutes !== undefined && usedMs > phase.budgetMinutes * 60_000;
      this.deps.timeline.append({
        incidentId: row.incident_id,
        kind: 'runbook.phase',
        data: { runbookId: row.runbook_id, runId: row.id, phaseId, title: phase.title, usedMs, budgetMinutes: phase.budgetMinutes ?? null, overrun },
      });
    } else if (!phaseDone && phaseRow?.finished_at) {
      this.repo.setPhaseFinished(row.id, phaseId, null);
    }
    const allDone = runbook.phases.every((p) => p.steps.every(settled));
    if (allDone && !row.completed_at) {
      this.repo.setCompleted(row.id, at);
      const failed = [...states.values()].filter((s) => s === 'failed').length;
      this.deps.timeline.append({
        incidentId: row.incident_id,
        kind: 'runbook.completed',
        data: { runbookId: row.runbook_id, runId: row.id, title: runbook.title, status: failed > 0 ? 'failed' : 'succeeded', failedSteps: failed },
      });
    } else if (!allDone && row.completed_at) {
      this.repo.setCompleted(row.id, null);
      this.deps.timeline.append({ incidentId: row.incident_id, kind: 'runbook.reopened', data: { runbookId: row.runbook_id, runId: row.id } });
    }
  }
}
