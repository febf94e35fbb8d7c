import type { PhaseProgress, RunView, StepCommandRun, StepProgress, StepStatus } from '../../../shared/runbook-runs';
import type { Phase, Platform, Runbook } from '../../../shared/runbooks';
import { commandsFor, runAllPlan } from '../runbooks';
import { parseRunbook, parseTranslations, type PhaseRow, type RunRow, type StepRow } from './repo';

export const isSettled = (status: StepStatus): boolean => status !== 'pending';

function stepProgress(stepId: string, row: StepRow | undefined): StepProgress {
  return {
    stepId,
    status: row?.status ?? 'pending',
    reason: row?.reason ?? null,
    note: row?.note ?? null,
    at: row?.at ?? null,
    actor: row?.actor ?? null,
    lastRun: row?.last_run ? (JSON.parse(row.last_run) as StepCommandRun) : null,
  };
}

export function phaseProgress(phase: Phase, row: PhaseRow | undefined, platform: Platform, now: number): PhaseProgress {
  const started = row ? Date.parse(row.started_at) : null;
  const finished = row?.finished_at ? Date.parse(row.finished_at) : null;
  const usedMs = started === null ? 0 : Math.max(0, (finished ?? now) - started);
  const budget = phase.budgetMinutes ?? null;
  return {
    id: phase.id,
    title: phase.title,
    budgetMinutes: budget,
    startedAt: row?.started_at ?? null,
    finishedAt: row?.finished_at ?? null,
    usedMs,
    overrun: budget !== null && usedMs > budget * 60_000,
    runAllStepIds: runAllPlan(phase, platform).map((item) => item.step.id),
  };
}

export function buildRunView(
  run: RunRow,
  steps: readonly StepRow[],
  phases: readonly PhaseRow[],
  context: { platform: Platform; now: number; current?: Runbook },
): RunView {
  const runbook = parseRunbook(run);
  const stepRows = new Map(steps.map((s) => [s.step_id, s]));
  const phaseRows = new Map(phases.map((p) => [p.phase_id, p]));
  const progress: Record<string, StepProgress> = {};
  const currentBlocks: Record<string, string[]> = {};
  for (const phase of runbook.phases) {
    for (const step of phase.steps) {
      progress[step.id] = stepProgress(step.id, stepRows.get(step.id));
      currentBlocks[step.id] = commandsFor(step, context.platform).current.map((b) => b.id);
    }
  }
  return {
    id: run.id,
    incidentId: run.incident_id,
    runbookId: run.runbook_id,
    title: runbook.title,
    version: run.runbook_version,
    sha256: run.runbook_sha256,
    startedAt: run.started_at,
    startedBy: run.started_by,
    completedAt: run.completed_at,
    target: run.target,
    status: run.completed_at ? 'completed' : 'active',
    platform: context.platform,
    runbook,
    lang: run.runbook_lang,
    translations: parseTranslations(run),
    runbookChanged: context.current !== undefined && context.current.sha256 !== run.runbook_sha256,
    phases: runbook.phases.map((p) => phaseProgress(p, phaseRows.get(p.id), context.platform, context.now)),
    steps: progress,
    currentBlocks,
  };
}
