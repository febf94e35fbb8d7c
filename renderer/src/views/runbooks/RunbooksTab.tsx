import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { notLoaded, type NotLoaded } from '../../../../shared/runbooks';
import { runbookInLanguage, type RunbookSummary, type RunView } from '../../../../shared/runbook-runs';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { LOCAL_TARGET } from '../../../../shared/targets';
import { StartTargetPicker } from '../targets/StartTargetPicker';
import { Checklist } from './Checklist';
import { RunbookFolders } from './Folders';
import { TerminalsPanel } from './TerminalsPanel';
import './runbooks.css';

const NO_RUNS: readonly RunView[] = [];

function Picker({ incident, onStarted }: { readonly incident: IncidentView; readonly onStarted: (run: RunView) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const suggestions = useAppStore((s) => s.suggestions[incident.id]);
  const notify = useAppStore((s) => s.notify);
  const [all, setAll] = useState<readonly RunbookSummary[]>([]);
  const [other, setOther] = useState('');
  const [busy, setBusy] = useState(false);
  const [target, setTarget] = useState(LOCAL_TARGET);
  const [failed, setFailed] = useState<readonly NotLoaded[]>([]);
  // Bumped when the runbook folders change, to list what they hold now.
  const [folderVersion, setFolderVersion] = useState(0);
  const loadRunbooks = useAppStore((s) => s.loadRunbooks);

  useEffect(() => {
    api.runbooks.list({ lang }).then(
      (view) => {
        setAll(view.runbooks);
        setFailed(notLoaded(view.diagnostics));
      },
      (error: unknown) => notify('error', t('runbooks.loadFailed', { error: errorMessage(error) })),
    );
  }, [notify, t, lang, folderVersion]);

  const start = async (runbookId: string) => {
    setBusy(true);
    try {
      onStarted(await api.runs.start({ incidentId: incident.id, runbookId, lang, ...(target !== LOCAL_TARGET ? { target } : {}) }));
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="picker" aria-label={t('runbooks.suggested')}>
      <h2>{t('runbooks.suggested')}</h2>
      <p className="muted small">{t('runbooks.suggestedHint', { severity: t(`severity.${incident.severity}.label`) })}</p>
      <StartTargetPicker incidentId={incident.id} value={target} onChange={setTarget} />
      {suggestions && suggestions.length === 0 && <p className="muted">{t('runbooks.none')}</p>}
      <ul className="suggestions">
        {(suggestions ?? []).map(({ runbook, matchedTags }) => (
          <li key={runbook.id} className="suggestion" data-runbook-id={runbook.id}>
            <div className="suggestion-text">
              <strong>{runbook.title}</strong>
              <span className="muted small">
                {t('runbooks.steps', { phases: runbook.phases, steps: runbook.steps })}
                {matchedTags.length > 0 && ` · ${t('runbooks.matched', { tags: matchedTags.join(', ') })}`}
              </span>
              {runbook.description && <span className="small">{runbook.description}</span>}
            </div>
            <button type="button" className="primary" disabled={busy} onClick={() => void start(runbook.id)} data-testid={`start-${runbook.id}`}>
              {t('runbooks.start')}
            </button>
          </li>
        ))}
      </ul>
      {failed.length > 0 && (
        <details className="not-loaded" data-testid="runbooks-not-loaded">
          <summary>{t('runbooks.notLoaded', { count: failed.length })}</summary>
          <ul>
            {failed.map((f) => (
              <li key={f.file}>
                {f.file}:{f.line}: {f.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <RunbookFolders
        onChanged={() => {
          setFolderVersion((v) => v + 1);
          void loadRunbooks(incident.id);
        }}
      />
      <div className="picker-all">
        <select value={other} onChange={(e) => setOther(e.target.value)} aria-label={t('runbooks.allRunbooks')}>
          <option value="">{t('runbooks.allRunbooks')}…</option>
          {all.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title} ({r.severities.join(', ')})
            </option>
          ))}
        </select>
        <button type="button" disabled={busy || other === ''} onClick={() => void start(other)}>
          {t('runbooks.start')}
        </button>
      </div>
    </section>
  );
}

export function RunbooksTab({ incident }: { readonly incident: IncidentView }) {
  const { t, i18n } = useTranslation();
  const runs = useAppStore((s) => s.runs[incident.id] ?? NO_RUNS);
  const loadRunbooks = useAppStore((s) => s.loadRunbooks);
  const upsertRun = useAppStore((s) => s.upsertRun);
  const [selected, setSelected] = useState<string>();
  const [picking, setPicking] = useState(false);
  const readOnly = incident.status === 'closed';

  // Reloaded on a language switch too: the suggestions are listed in the UI language.
  useEffect(() => {
    void loadRunbooks(incident.id);
  }, [incident.id, loadRunbooks, i18n.language]);

  const run = runs.find((r) => r.id === selected) ?? runs[runs.length - 1];
  const showPicker = !readOnly && (picking || runs.length === 0);

  return (
    <div className="runbooks-tab">
      <div className="runbooks-main">
        {runs.length > 0 && (
          <nav className="run-tabs">
            {runs.map((r) => (
              <button
                key={r.id}
                type="button"
                className={`chip${r.id === run?.id && !showPicker ? ' on' : ''}`}
                onClick={() => {
                  setSelected(r.id);
                  setPicking(false);
                }}
              >
                {r.status === 'completed' ? '✓ ' : ''}
                {runbookInLanguage(r, i18n.language).title}
              </button>
            ))}
            {!readOnly && (
              <button type="button" className="chip" onClick={() => setPicking(true)} data-testid="start-another">
                + {t('runbooks.startAnother')}
              </button>
            )}
          </nav>
        )}
        {showPicker ? (
          <Picker
            incident={incident}
            onStarted={(started) => {
              upsertRun(started);
              setSelected(started.id);
              setPicking(false);
            }}
          />
        ) : (
          run && <Checklist run={run} readOnly={readOnly} />
        )}
      </div>
      <TerminalsPanel incidentId={incident.id} readOnly={readOnly} />
    </div>
  );
}
