import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { runbookInLanguage, type CommandPreview, type PhaseProgress, type RunView, type VariablePrompt } from '../../../../shared/runbook-runs';
import { needsConfirmation, type CommandBlock, type Phase } from '../../../../shared/runbooks';
import { formatDuration } from '../../i18n/format';
import { api, errorMessage } from '../../api';
import { useNow } from '../../hooks';
import { useAppStore } from '../../store/store';
import { ConfirmDialog, VariablesDialog } from './dialogs';
import { Markdown } from './Markdown';
import { StepItem } from './Step';
import { terminalForRun } from './TerminalsPanel';
import { RunTargetPicker } from '../targets/RunTargetPicker';
import { LOCAL_TARGET } from '../../../../shared/targets';
import { dateTimeFormat } from '../../i18n/dates';

type Target = { readonly kind: 'step'; readonly id: string } | { readonly kind: 'all'; readonly id: string };
type Dialog =
  | { readonly type: 'vars'; readonly prompts: readonly VariablePrompt[]; readonly target: Target }
  | { readonly type: 'confirm'; readonly blocks: readonly CommandBlock[]; readonly previews: readonly CommandPreview[]; readonly target: Target; readonly values?: Record<string, string> };

function PhaseTimer({ phase }: { readonly phase: PhaseProgress }) {
  const { t } = useTranslation();
  const now = useNow();
  const used = phase.startedAt ? Math.max(0, (phase.finishedAt ? Date.parse(phase.finishedAt) : now) - Date.parse(phase.startedAt)) : 0;
  const overrun = phase.budgetMinutes !== null && used > phase.budgetMinutes * 60_000;
  const text =
    phase.budgetMinutes !== null
      ? t('runbooks.budget', { used: formatDuration(used), budget: formatDuration(phase.budgetMinutes * 60_000) })
      : t('runbooks.noBudget', { used: formatDuration(used) });
  return (
    <span className={`phase-timer${overrun ? ' overrun' : ''}${phase.startedAt && !phase.finishedAt ? ' live' : ''}`} data-testid="phase-timer" data-overrun={overrun}>
      {text}
      {overrun && <strong> · {t('runbooks.overrun')}</strong>}
    </span>
  );
}

export function Checklist({ run, readOnly }: { readonly run: RunView; readonly readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const upsertRun = useAppStore((s) => s.upsertRun);
  const runTarget = run.target;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // Shown in the UI language when the run has it; switching language keeps the progress (same step ids).
  const shown = runbookInLanguage(run, i18n.language);
  const steps = shown.phases.flatMap((p) => p.steps);
  const settled = steps.filter((s) => run.steps[s.id]?.status !== 'pending').length;
  const time = dateTimeFormat;
  const languageName = (lang: string) => t(`language.${lang}`, { defaultValue: lang });
  const shownLang = shown.lang ?? run.lang;

  const blocksFor = (stepId: string): CommandBlock[] => {
    const ids = new Set(run.currentBlocks[stepId] ?? []);
    return steps.find((s) => s.id === stepId)?.commands.filter((b) => ids.has(b.id)) ?? [];
  };

  // The run's target, except a step whose commands are all marked local (a check from outside).
  const whereFor = (target: Target): string => {
    if (target.kind !== 'step') return runTarget;
    const blocks = blocksFor(target.id);
    return blocks.length > 0 && blocks.every((b) => b.attributes.local) ? LOCAL_TARGET : runTarget;
  };

  const execute = async (target: Target, values?: Record<string, string>, confirmation?: string) => {
    setDialog(null);
    setBusy(target.id);
    try {
      const terminalId = await terminalForRun(run.incidentId, whereFor(target));
      if (target.kind === 'step') {
        const outcome = await api.runs.runStep({ runId: run.id, stepId: target.id, terminalId, ...(values ? { values } : {}), ...(confirmation ? { confirmation } : {}) });
        upsertRun(outcome.run);
      } else {
        const outcome = await api.runs.runAll({ runId: run.id, phaseId: target.id, terminalId, ...(values ? { values } : {}) });
        upsertRun(outcome.run);
        const stopped = outcome.stoppedAt ? steps.find((s) => s.id === outcome.stoppedAt) : undefined;
        if (stopped) notify('error', t('runbooks.stoppedAt', { step: stopped.text, code: outcome.exitCode ?? '?' }));
        else notify('info', t('runbooks.ranAll', { count: outcome.ran.length }));
      }
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  const afterValues = async (target: Target, values?: Record<string, string>) => {
    const dangerous = target.kind === 'step' ? blocksFor(target.id).filter(needsConfirmation) : [];
    if (dangerous.length === 0 || target.kind !== 'step') return void execute(target, values);
    // The dialog shows what will really be typed (values substituted) and where: the answers
    // are saved first so the host can substitute them.
    try {
      if (values) await api.runs.setVariables({ runId: run.id, values });
      const terminalId = await terminalForRun(run.incidentId, whereFor(target));
      const previews = await api.runs.preview({ runId: run.id, stepId: target.id, terminalId });
      setDialog({ type: 'confirm', blocks: dangerous, previews, target });
    } catch (error) {
      setDialog(null);
      notify('error', errorMessage(error));
    }
  };

  const start = async (target: Target) => {
    try {
      const prompts = await api.runs.variables({ runId: run.id, ...(target.kind === 'step' ? { stepId: target.id } : { phaseId: target.id }) });
      const ask = prompts.filter((p) => p.ask);
      if (ask.length > 0) setDialog({ type: 'vars', prompts: ask, target });
      else await afterValues(target);
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  const phaseView = (phase: Phase, progress: PhaseProgress | undefined) => (
    <section key={phase.id} className="phase" data-phase-id={phase.id}>
      <header className="phase-head">
        <h3>{phase.title}</h3>
        {progress && <PhaseTimer phase={progress} />}
        {!readOnly && progress && progress.runAllStepIds.length > 0 && (
          <button
            type="button"
            onClick={() => void start({ kind: 'all', id: phase.id })}
            disabled={busy !== null}
            title={t('runbooks.runAllHint', { count: progress.runAllStepIds.length })}
            data-testid="phase-run-all"
          >
            {busy === phase.id ? t('runbooks.running') : t('runbooks.runAll')}
          </button>
        )}
      </header>
      <Markdown source={phase.description} className="md phase-description" />
      <ol className="steps">
        {phase.steps.map((step) => (
          <StepItem
            key={step.id}
            run={run}
            step={step}
            progress={run.steps[step.id]!}
            busy={busy === step.id}
            disabled={readOnly}
            onRun={() => void start({ kind: 'step', id: step.id })}
          />
        ))}
      </ol>
    </section>
  );

  return (
    <div className="checklist" data-testid="checklist" data-run-id={run.id} data-lang={shown.lang ?? run.lang ?? ''}>
      <header className="checklist-head">
        <h2>{shown.title}</h2>
        <span className="muted small">
          {run.version !== '' && `${t('runbooks.version', { version: run.version })} · `}
          {t('runbooks.startedBy', { time: time.format(new Date(run.startedAt)), actor: run.startedBy })} · <span title={run.sha256}>sha256 {run.sha256.slice(0, 10)}</span>
          {run.lang && run.lang !== shownLang && <span data-testid="run-started-in"> · {t('runbooks.startedIn', { language: languageName(run.lang) })}</span>}
        </span>
        <RunTargetPicker run={run} disabled={readOnly} />
        <span className={`pill${run.status === 'completed' ? ' ok-text' : ''}`} data-testid="run-progress">
          {run.status === 'completed' ? t('runbooks.completed') : t('runbooks.progress', { settled, total: steps.length })}
        </span>
      </header>
      {run.runbookChanged && <p className="notice small">{t('runbooks.changed')}</p>}
      {shownLang && shownLang !== i18n.language && (
        <p className="muted small" data-testid="run-not-in-language">
          {t('runbooks.notInLanguage', { language: languageName(i18n.language), shown: languageName(shownLang) })}
        </p>
      )}
      {shown.phases.map((phase) => phaseView(phase, run.phases.find((p) => p.id === phase.id)))}
      {dialog?.type === 'vars' && (
        <VariablesDialog prompts={dialog.prompts} onCancel={() => setDialog(null)} onSubmit={(values) => void afterValues(dialog.target, values)} />
      )}
      {dialog?.type === 'confirm' && (
        <ConfirmDialog
          word={dialog.blocks[0]!.attributes.name ?? 'RUN'}
          commands={dialog.blocks.map((b) => b.code)}
          previews={dialog.previews}
          onCancel={() => setDialog(null)}
          onConfirm={(typed) => void execute(dialog.target, dialog.values, typed)}
        />
      )}
    </div>
  );
}
