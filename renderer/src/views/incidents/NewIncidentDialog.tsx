import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SEVERITIES, SEVERITY_TARGETS, type Severity } from '../../../../shared/severity';
import { formatDuration } from '../../i18n/format';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';

const splitList = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function NewIncidentDialog() {
  const { t } = useTranslation();
  const open = useAppStore((s) => s.newIncidentOpen);
  const setOpen = useAppStore((s) => s.setNewIncidentOpen);
  const select = useAppStore((s) => s.select);
  const upsert = useAppStore((s) => s.upsertIncident);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('high');
  const [summary, setSummary] = useState('');
  const [impact, setImpact] = useState('');
  const [responder, setResponder] = useState('');
  const [services, setServices] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      setError(undefined);
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const incident = await api.incidents.create({
        title,
        severity,
        summary,
        impact,
        responder,
        services: splitList(services),
      });
      upsert(incident);
      select(incident.id);
      setTitle('');
      setSummary('');
      setImpact('');
      setServices('');
      setOpen(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="dialog" onClose={() => setOpen(false)} aria-labelledby="new-incident-title">
      <form onSubmit={submit}>
        <h2 id="new-incident-title">{t('newIncident.title')}</h2>
        <label>
          {t('fields.title')}
          <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus required maxLength={200} placeholder={t('newIncident.titlePlaceholder')} />
        </label>
        <fieldset className="severity-picker">
          <legend>{t('fields.severity')}</legend>
          {SEVERITIES.map((s) => (
            <label key={s} className={`severity-option severity-${s}${severity === s ? ' on' : ''}`}>
              <input type="radio" name="severity" value={s} checked={severity === s} onChange={() => setSeverity(s)} />
              <strong>
                {SEVERITY_TARGETS[s].alias} · {t(`severity.${s}.label`)}
              </strong>
              <span>{t(`severity.${s}.description`)}</span>
              <small>
                {t('newIncident.targets', {
                  response: formatDuration(SEVERITY_TARGETS[s].responseMs),
                  recovery: formatDuration(SEVERITY_TARGETS[s].recoveryMs),
                })}
              </small>
            </label>
          ))}
        </fieldset>
        <label>
          {t('fields.summary')}
          <textarea name="summary" value={summary} onChange={(e) => setSummary(e.target.value)} rows={3} placeholder={t('newIncident.summaryPlaceholder')} />
        </label>
        <label>
          {t('fields.impact')}
          <textarea name="impact" value={impact} onChange={(e) => setImpact(e.target.value)} rows={2} placeholder={t('newIncident.impactPlaceholder')} />
        </label>
        <div className="form-row">
          <label>
            {t('fields.responder')}
            <input name="responder" value={responder} onChange={(e) => setResponder(e.target.value)} maxLength={200} />
          </label>
          <label>
            {t('fields.services')}
            <input name="services" value={services} onChange={(e) => setServices(e.target.value)} placeholder={t('newIncident.servicesPlaceholder')} />
          </label>
        </div>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => setOpen(false)}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('newIncident.submit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
