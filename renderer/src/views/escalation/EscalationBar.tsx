import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { useAppStore } from '../../store/store';
import { EscalateDialog } from './EscalateDialog';
import { suggestionText } from './suggestion-text';
import { UpdateClock } from './UpdateClock';
import './escalation.css';

/**
 * In the incident header: the next update's clock, an open escalation suggestion (never
 * acted on silently: the operator decides) and the Escalate action.
 */
export function EscalationBar({ incident, now }: { readonly incident: IncidentView; readonly now: number }) {
  const { t } = useTranslation();
  const state = useAppStore((s) => s.escalations[incident.id]);
  const load = useAppStore((s) => s.loadEscalation);
  const [open, setOpen] = useState(false);

  // Loading runs the triggers on the main side; a slow re-check catches clocks crossing a line.
  useEffect(() => {
    void load(incident.id);
    const timer = setInterval(() => void load(incident.id), 30_000);
    return () => clearInterval(timer);
  }, [incident.id, incident.severity, incident.status, load]);

  const suggestion = state?.suggestions.filter((s) => s.open).at(-1);
  const closed = incident.status === 'closed';
  const reachable = suggestion?.contacts ?? [];

  return (
    <div className="escalation-bar">
      <UpdateClock incident={incident} lastSentAt={state?.lastUpdateAt ?? null} cadenceMs={state?.updateCadenceMs} now={now} />
      {state?.policyError && (
        <p className="error-text small" role="alert" data-testid="escalation-policy-error">
          {t('escalation.policyError', { error: state.policyError })}
        </p>
      )}
      {suggestion && !closed && (
        <div className="suggestion" role="status" data-testid="escalation-suggestion" data-level={suggestion.level}>
          <div className="what">
            <strong>{t('escalation.suggest', { level: suggestion.level })}</strong>
            <span className="detail">{t('escalation.because', { detail: suggestionText(suggestion.trigger, suggestion.facts, suggestion.detail, t) })}</span>
            <span className="who">
              {reachable.length
                ? t('escalation.callable', {
                    level: suggestion.level,
                    names: reachable.map((c) => `${c.name}${c.inCover ? '' : ` (${t('escalation.outOfHours')})`}${c.placeholder ? ` (${t('escalation.placeholder')})` : ''}`).join(', '),
                  })
                : t('escalation.nobodyInHours')}
            </span>
          </div>
        </div>
      )}
      {!closed && (
        <button type="button" className={suggestion ? 'primary' : ''} onClick={() => setOpen(true)} data-testid="escalate">
          {t('escalation.escalate')}
        </button>
      )}
      {open && state && <EscalateDialog incidentId={incident.id} currentLevel={state.level} suggestion={suggestion} onClose={() => setOpen(false)} />}
    </div>
  );
}
