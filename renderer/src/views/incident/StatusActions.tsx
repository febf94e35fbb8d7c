import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { STATUSES, skippedStatuses, statusIndex, type IncidentStatus } from '../../../../shared/lifecycle';
import { SEVERITIES, type Severity } from '../../../../shared/severity';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';

/** The next step forward is one click; skipping ahead asks for the reason the timeline needs. */
export function StatusActions({ incident }: { readonly incident: IncidentView }) {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const upsert = useAppStore((s) => s.upsertIncident);
  const [skipTo, setSkipTo] = useState<IncidentStatus | ''>('');
  const [reason, setReason] = useState('');
  const [pauseReason, setPauseReason] = useState('');
  const [pausing, setPausing] = useState(false);
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

  if (closed) return <p className="muted">{t('incident.closedReadOnly')}</p>;

  return (
    <div className="status-actions">
      {next && (
        <button type="button" className="primary" data-testid="advance-status" onClick={() => void run(() => api.incidents.transition({ id: incident.id, to: next }))}>
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
              void run(() => api.incidents.transition({ id: incident.id, to: skipTo, reason })).then((ok) => {
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
