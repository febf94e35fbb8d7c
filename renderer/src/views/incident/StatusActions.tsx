import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CloseReadiness } from '../../../../shared/closing';
import type { IncidentView } from '../../../../shared/domain';
import { STATUSES, skippedStatuses, statusIndex, type IncidentStatus } from '../../../../shared/lifecycle';
import { SEVERITIES, type Severity } from '../../../../shared/severity';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { CloseCheck } from './CloseCheck';

/** The next step forward is one click; skipping ahead asks for the reason the timeline needs. */
export function StatusActions({ incident }: { readonly incident: IncidentView }) {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const upsert = useAppStore((s) => s.upsertIncident);
  const [skipTo, setSkipTo] = useState<IncidentStatus | ''>('');
  const [reason, setReason] = useState('');
  const [pauseReason, setPauseReason] = useState('');
  const [pausing, setPausing] = useState(false);
  // Resolve / Close with something missing: the list, and the skip reason given so far.
  const [check, setCheck] = useState<{ readiness: CloseReadiness; skipReason: string } | null>(null);
  const closed = incident.status === 'closed';
  const next = STATUSES[statusIndex(incident.status) + 1];
  const later = STATUSES.slice(statusIndex(incident.status) + 2);
  const paused = incident.pauses.some((p) => p.endedAt === null);
  const open = statusIndex(incident.status) < statusIndex('resolved');

  const run = async (work: () => Promise<IncidentView>) => {
    try {
      upsert(await work());
      return true;
    } catch (error) {
      notify('error', errorMessage(error));
      return false;
    }
  };

  /** Resolve and close are checked first; anything missing is shown before it happens. */
  const advance = async (to: IncidentStatus, skipReason = ''): Promise<boolean> => {
    if (statusIndex(to) >= statusIndex('resolved')) {
      try {
        const readiness = await api.incidents.closeCheck({ id: incident.id, to });
        if (readiness.gaps.length > 0) {
          setCheck({ readiness, skipReason });
          return false;
        }
      } catch (error) {
        notify('error', errorMessage(error));
        return false;
      }
    }
    return run(() => api.incidents.transition({ id: incident.id, to, ...(skipReason ? { reason: skipReason } : {}) }));
  };

  if (closed) return <p className="muted">{t('incident.closedReadOnly')}</p>;

  return (
    <div className="status-actions">
      {next && (
        <button type="button" className="primary" data-testid="advance-status" onClick={() => void advance(next)}>
          {t(`actions.to.${next}`)}
        </button>
      )}
      {later.length > 0 && (
        <details className="skip">
          <summary>{t('actions.skipAhead')}</summary>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (skipTo === '') return;
              void advance(skipTo, reason).then((ok) => {
                if (ok) {
                  setSkipTo('');
                  setReason('');
                }
              });
            }}
          >
            <select value={skipTo} onChange={(e) => setSkipTo(e.target.value as IncidentStatus | '')} aria-label={t('actions.skipTarget')}>
              <option value="">{t('actions.skipTarget')}</option>
              {later.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
            {skipTo !== '' && (
              <p className="muted small">
                {t('actions.skipping', { statuses: skippedStatuses(incident.status, skipTo).map((s) => t(`status.${s}`)).join(', ') })}
              </p>
            )}
            <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('actions.skipReason')} aria-label={t('actions.skipReason')} />
            <button type="submit" disabled={skipTo === '' || reason.trim() === ''}>
              {t('actions.skip')}
            </button>
          </form>
        </details>
      )}
      {check && (
        <CloseCheck
          readiness={check.readiness}
          onBack={() => setCheck(null)}
          onGoAhead={(why) => {
            const { readiness, skipReason } = check;
            const reasonText = skipReason ? `${skipReason} — ${why}` : why;
            void run(() => api.incidents.transition({ id: incident.id, to: readiness.to, reason: reasonText })).then((ok) => {
              if (ok) {
                setCheck(null);
                setSkipTo('');
                setReason('');
              }
            });
          }}
        />
      )}
      <label className="inline">
        {t('fields.severity')}
        <select
          value={incident.severity}
          aria-label={t('fields.severity')}
          onChange={(e) => void run(() => api.incidents.setSeverity({ id: incident.id, severity: e.target.value as Severity }))}
        >
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`severity.${s}.label`)}
            </option>
          ))}
        </select>
      </label>
      {open && paused && (
        <button type="button" onClick={() => void run(() => api.incidents.resumeSla({ id: incident.id }))}>
          {t('actions.resumeSla')}
        </button>
      )}
      {open && !paused && !pausing && (
        <button type="button" onClick={() => setPausing(true)}>
          {t('actions.pauseSla')}
        </button>
      )}
      {open && !paused && pausing && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => api.incidents.pauseSla({ id: incident.id, reason: pauseReason })).then((ok) => {
              if (ok) {
                setPausing(false);
                setPauseReason('');
              }
            });
          }}
        >
          <input autoFocus value={pauseReason} onChange={(e) => setPauseReason(e.target.value)} placeholder={t('actions.pauseReason')} aria-label={t('actions.pauseReason')} />
          <button type="submit" disabled={pauseReason.trim() === ''}>
            {t('actions.pause')}
          </button>
          <button type="button" onClick={() => setPausing(false)}>
            {t('actions.cancel')}
          </button>
        </form>
      )}
    </div>
  );
}
