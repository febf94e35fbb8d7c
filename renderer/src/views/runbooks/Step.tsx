import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunView, StepProgress, StepStatus } from '../../../../shared/runbook-runs';
import { needsConfirmation, type CommandBlock, type Step } from '../../../../shared/runbooks';
import { assertNever } from '../../../../shared/assert';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { Markdown } from './Markdown';
import { durationText } from './timeline-text';

const MARK: Record<StepStatus, string> = { pending: '○', done: '✓', skipped: '↷', failed: '✗' };


function CommandView({ block }: { readonly block: CommandBlock }) {
  const { t } = useTranslation();
  const a = block.attributes;
  const dangerous = needsConfirmation(block);
  return (
    <div className={`cmd${dangerous ? ' cmd-danger' : ''}`} data-block-id={block.id}>
      <div className="cmd-head">
        <span className="cmd-lang">{block.language}</span>
        {a.name && <span className="cmd-name">{a.name}</span>}
        {dangerous && (
          <span className="cmd-badge danger" title={block.danger ? t('runbooks.dangerFound', { what: block.danger.what }) : undefined} data-testid="cmd-danger">
            {t('runbooks.dangerous')}
          </span>
        )}
        {a.interactive && <span className="cmd-badge">{t('runbooks.interactive')}</span>}
        {a.background && <span className="cmd-badge">{t('runbooks.background')}</span>}
        {a.timeoutMs !== undefined && <span className="cmd-badge">{t('runbooks.timeout', { time: durationText(a.timeoutMs) })}</span>}
      </div>
      <pre className="cmd-code">{block.code}</pre>
      {block.expectedOutput !== undefined && (
        <details className="cmd-output" data-testid="expected-output">
          <summary>{t('runbooks.expectedOutput')}</summary>
          <pre>{block.expectedOutput}</pre>
        </details>
      )}
    </div>
  );
}

type Editing = 'skip' | 'fail' | null;

export function StepItem(props: {
  readonly run: RunView;
  readonly step: Step;
  readonly progress: StepProgress;
  readonly busy: boolean;
  readonly disabled: boolean;
  readonly onRun: () => void;
}) {
  const { t } = useTranslation();
  const { run, step, progress } = props;
  const notify = useAppStore((s) => s.notify);
  const upsertRun = useAppStore((s) => s.upsertRun);
  const [editing, setEditing] = useState<Editing>(null);
  const [text, setText] = useState('');
  const currentIds = new Set(run.currentBlocks[step.id] ?? []);
  const current = step.commands.filter((b) => currentIds.has(b.id));
  const alternates = step.commands.filter((b) => !currentIds.has(b.id));
  const last = progress.lastRun;

  const mark = async (status: StepStatus, extra: { reason?: string; note?: string } = {}) => {
    try {
      upsertRun(await api.runs.setStep({ runId: run.id, stepId: step.id, status, ...extra }));
      setEditing(null);
      setText('');
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  const submitEdit = () => {
    switch (editing) {
      case 'skip':
        return void mark('skipped', { reason: text });
      case 'fail':
        return void mark('failed', { note: text });
      case null:
        return undefined;
      default:
        return assertNever(editing, 'editing');
    }
  };

  return (
    <li className={`step step-${progress.status}`} data-step-id={step.id} data-status={progress.status}>
      <div className="step-head">
        <span className="step-mark" aria-hidden="true">
          {MARK[progress.status]}
        </span>
        <span className="step-text">{step.text}</span>
        <span className={`pill step-pill-${progress.status}`}>{t(`runbooks.status.${progress.status}`)}</span>
      </div>
      <Markdown source={step.guidance} className="md step-guidance" />
      {current.map((block) => (
        <CommandView key={block.id} block={block} />
      ))}
      {alternates.length > 0 && (
        <details className="alternates">
          <summary>{t('runbooks.otherPlatforms', { count: alternates.length })}</summary>
          {alternates.map((block) => (
            <CommandView key={block.id} block={block} />
          ))}
        </details>
      )}
      {last && (
        // The block's success check decides (exit 0 with "health check failed" in the output is a failure).
        <div
          className={`last-run ${(last.checkFailed !== undefined ? last.checkFailed === null : last.exitCode === 0) ? 'ok-text' : 'error-text'}`}
          data-testid="last-run"
          data-check={last.checkFailed ? 'failed' : last.checkFailed === null ? 'passed' : undefined}
          title={last.path ?? ''}
        >
          {last.checkFailed && <strong data-testid="check-failed">{t('runbooks.checkFailed', { why: last.checkFailed })} · </strong>}
          {last.exitCode === null ? t('runbooks.lastRunUnknown', { duration: durationText(last.durationMs) }) : t('runbooks.lastRun', { code: last.exitCode, duration: durationText(last.durationMs) })}
          {last.sha256 && <span className="muted"> · {t('runbooks.transcript', { hash: last.sha256.slice(0, 12) })}</span>}
        </div>
      )}
      {(progress.reason || progress.note) && (
        <div className="step-note small">
          {progress.reason && <span>{progress.reason}</span>}
          {progress.note && <span>{progress.note}</span>}
          {progress.actor && <span className="muted"> — {progress.actor}</span>}
        </div>
      )}
      {!props.disabled && (
        <div className="step-actions">
          {current.length > 0 && (
            <button type="button" className={progress.status === 'pending' ? 'primary' : undefined} onClick={props.onRun} disabled={props.busy} data-testid="step-run">
              {props.busy ? t('runbooks.running') : t('runbooks.run')}
            </button>
          )}
          {progress.status === 'pending' ? (
            <>
              <button type="button" onClick={() => void mark('done')} data-testid="step-done">
                {t('runbooks.done')}
              </button>
              <button type="button" onClick={() => setEditing(editing === 'skip' ? null : 'skip')} data-testid="step-skip">
                {t('runbooks.skip')}
              </button>
              <button type="button" onClick={() => setEditing(editing === 'fail' ? null : 'fail')} data-testid="step-fail">
                {t('runbooks.fail')}
              </button>
            </>
          ) : (
            <button type="button" onClick={() => void mark('pending')} data-testid="step-reopen">
              {t('runbooks.reset')}
            </button>
          )}
        </div>
      )}
      {editing && (
        <form
          className="inline-form step-form"
          onSubmit={(e) => {
            e.preventDefault();
            submitEdit();
          }}
        >
          <input
            autoFocus
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={editing === 'skip' ? t('runbooks.skipReason') : t('runbooks.failNote')}
            aria-label={editing === 'skip' ? t('runbooks.skipReason') : t('runbooks.failNote')}
            data-testid="step-reason"
          />
          <button type="submit" disabled={editing === 'skip' && text.trim() === ''}>
            {t('runbooks.save')}
          </button>
          <button type="button" onClick={() => setEditing(null)}>
            {t('actions.cancel')}
          </button>
        </form>
      )}
    </li>
  );
}
