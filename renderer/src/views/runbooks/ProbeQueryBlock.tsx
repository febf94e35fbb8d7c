import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProbeTarget } from '../../../../shared/probe-config';
import { blockStatements, WRITE_CONFIRMATION, type ProbeQueryLanguage, type ProbeQueryOutcome } from '../../../../shared/probe-query';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { ConfirmDialog } from './dialogs';

/** Characters of the answer shown under the block; the evidence keeps all of it. */
const SHOWN_CHARS = 4_000;

/**
 * A `redis` or `cypher` block of a runbook: shown as written, and run on request against a
 * configured probe target of its kind (a picker when there are several). Read-only unless the
 * block writes, which asks for the typed confirmation first (the main side checks it again);
 * the answer is kept as evidence of the incident.
 */
export function ProbeQueryBlock({ language, text, children }: { readonly language: ProbeQueryLanguage; readonly text: string; readonly children: React.ReactNode }) {
  const { t } = useTranslation();
  const incidentId = useAppStore((s) => s.selectedId);
  const kind = language === 'redis' ? 'redis' : 'neo4j';
  const [targets, setTargets] = useState<readonly ProbeTarget[] | null>(null);
  const [picked, setPicked] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<readonly string[] | null>(null);
  const [outcome, setOutcome] = useState<ProbeQueryOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.probes
      .config()
      .then((view) => {
        if (!live) return;
        const matching = view.config.targets.filter((target) => target.kind === kind);
        setTargets(matching);
        setPicked((current) => current || (matching[0]?.name ?? ''));
      })
      .catch(() => live && setTargets([]));
    return () => {
      live = false;
    };
  }, [kind]);

  const statements = blockStatements(language, text);
  const writes = 'error' in statements ? [] : statements.statements.filter((s) => s.write !== null);

  const run = async (confirmation?: string) => {
    if (incidentId === undefined || !picked) return;
    setBusy(true);
    setError(null);
    try {
      setOutcome(await api.probes.query({ incidentId, language, text, probe: picked, ...(confirmation ? { confirmation } : {}) }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (targets === null || targets.length === 0) {
    return (
      <div className="probe-block" data-testid="probe-block">
        {children}
        {targets !== null && <p className="muted small">{t('runbooks.probeNone', { kind: kind === 'redis' ? 'Redis' : 'Neo4j' })}</p>}
      </div>
    );
  }
  return (
    <div className="probe-block" data-testid="probe-block">
      {children}
      <div className="probe-block-actions">
        {targets.length > 1 && (
          <label>
            {t('runbooks.probeTarget')}{' '}
            <select value={picked} onChange={(e) => setPicked(e.target.value)} data-testid="probe-picker">
              {targets.map((target) => (
                <option key={target.name} value={target.name}>
                  {target.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          className={writes.length > 0 ? 'danger-button' : undefined}
          onClick={() => (writes.length > 0 ? setConfirming(writes.map((w) => `${w.text}  # ${w.write}`)) : void run())}
          disabled={busy || incidentId === undefined}
          data-testid="probe-run"
        >
          {t(writes.length > 0 ? 'runbooks.probeRunWrite' : 'runbooks.probeRun', { probe: picked })}
        </button>
      </div>
      {error && (
        <p className="error-text" data-testid="probe-error">
          {error}
        </p>
      )}
      {outcome && (
        <div className="probe-result" data-testid="probe-result">
          <p className="muted small">{t('runbooks.probeKept', { count: outcome.results.length, probe: outcome.probe, mode: outcome.mode, sha: outcome.sha256?.slice(0, 12) ?? '—' })}</p>
          <pre className="cmd-code">{answerText(outcome)}</pre>
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          word={WRITE_CONFIRMATION}
          commands={confirming}
          onCancel={() => setConfirming(null)}
          onConfirm={(typed) => {
            setConfirming(null);
            void run(typed);
          }}
        />
      )}
    </div>
  );
}

function answerText(outcome: ProbeQueryOutcome): string {
  const text = outcome.results
    .map((r) => `> ${r.text}\n${r.error !== undefined ? `(error) ${r.error}` : JSON.stringify(r.result, null, 2)}`)
    .join('\n');
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}\n…` : text;
}
