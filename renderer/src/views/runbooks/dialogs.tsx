import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandPreview, VariablePrompt } from '../../../../shared/runbook-runs';

function Modal({ title, onCancel, children, testId }: { readonly title: string; readonly onCancel: () => void; readonly children: ReactNode; readonly testId: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="dialog" onCancel={(e) => (e.preventDefault(), onCancel())} aria-label={title} data-testid={testId}>
      {children}
    </dialog>
  );
}

/** Dangerous (confirm=true) commands run only after the operator types the word. */
export function ConfirmDialog(props: {
  readonly word: string;
  readonly commands: readonly string[];
  /** Runbook steps: each command exactly as it will be typed, and where it runs (replaces `commands`). */
  readonly previews?: readonly CommandPreview[];
  readonly onConfirm: (typed: string) => void;
  readonly onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const ok = typed.trim() === props.word || typed.trim() === 'RUN';
  return (
    <Modal title={t('runbooks.confirmTitle')} onCancel={props.onCancel} testId="confirm-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) props.onConfirm(typed.trim());
        }}
      >
        <h2>{t('runbooks.confirmTitle')}</h2>
        {props.previews
          ? props.previews.map((c) => (
              <div key={c.blockId} className="confirm-preview" data-testid="confirm-preview">
                <p className="muted small" data-testid="confirm-where">
                  {t(c.host ? 'runbooks.runsOnHost' : 'runbooks.runsHere', { cwd: c.cwd, host: c.host ?? '' })}
                </p>
                <pre className={`cmd-code${c.dangerous ? ' danger' : ''}`} data-testid="confirm-command">
                  {c.command}
                </pre>
              </div>
            ))
          : props.commands.map((c, i) => (
              <pre key={i} className="cmd-code danger">
                {c}
              </pre>
            ))}
        <p>{t('runbooks.confirmBody', { word: props.word })}</p>
        <label>
          {t('runbooks.confirmLabel')}
          <input autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={props.word} autoComplete="off" spellCheck={false} />
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={props.onCancel}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="danger-button" disabled={!ok}>
            {t('runbooks.confirmRun')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** promptEnv / front-matter variables, asked once per incident; secrets are masked. */
export function VariablesDialog(props: { readonly prompts: readonly VariablePrompt[]; readonly onSubmit: (values: Record<string, string>) => void; readonly onCancel: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(props.prompts.map((p) => [p.name, p.value ?? ''])));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit(values);
  };
  return (
    <Modal title={t('runbooks.variablesTitle')} onCancel={props.onCancel} testId="variables-dialog">
      <form onSubmit={submit}>
        <h2>{t('runbooks.variablesTitle')}</h2>
        <p className="muted small">{t('runbooks.variablesBody')}</p>
        {props.prompts.map((p, i) => (
          <label key={p.name}>
            <span>
              <code>{p.name}</code> {p.secret && <span className="tag-secret">{t('runbooks.secret')}</span>} {p.description && <span>— {p.description}</span>}
              {/* A guess or a default is never used unseen: it is marked so the operator checks it. */}
              {(p.from === 'incident' || p.from === 'default') && (
                <span className="tag-guess" data-testid={`value-from-${p.name}`}>
                  {' '}
                  {t(p.from === 'incident' ? 'runbooks.valueFromIncident' : 'runbooks.valueDefault')}
                </span>
              )}
            </span>
            <input
              autoFocus={i === 0}
              type={p.secret ? 'password' : 'text'}
              autoComplete="off"
              spellCheck={false}
              value={values[p.name] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [p.name]: e.target.value }))}
              aria-label={p.name}
            />
          </label>
        ))}
        <div className="dialog-actions">
          <button type="button" onClick={props.onCancel}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('runbooks.variablesRun')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
