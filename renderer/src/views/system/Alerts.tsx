import { useEffect, useState } from 'react';
import type { IncidentView } from '../../../../shared/domain';
import { useTranslation } from 'react-i18next';
import { formatIncidentRefShort } from './refs';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { AlertHistory } from './AlertHistory';
import { alertDirectionOf, alertLevel, describeAlert } from './alert-text';
import { dateTimeFormat } from '../../i18n/dates';

/** Where alerts go (incidents about this laptop; the indicator pin) and what is raised right now. */
export function Alerts() {
  const { t } = useTranslation();
  const alerts = useAppStore((s) => s.alerts);
  const notify = useAppStore((s) => s.notify);
  // The open incidents only (the pin's choices), read again when any incident changes: the
  // store holds pages of the whole list, not all of it.
  const version = useAppStore((s) => s.incidentsVersion);
  const [open, setOpen] = useState<readonly IncidentView[]>([]);
  useEffect(() => {
    let stale = false;
    api.incidents.list({ openOnly: true }).then(
      (list) => !stale && setOpen(list),
      (error: unknown) => !stale && notify('error', errorMessage(error)),
    );
    return () => {
      stale = true;
    };
  }, [version, notify]);
  const time = dateTimeFormat;
  const target = alerts?.target;
  const effective = open.find((i) => i.id === target?.effective);

  const pin = async (value: string) => {
    try {
      const next = await api.monitor.setAlertTarget({ incidentId: value === '' ? null : Number(value) });
      const current = useAppStore.getState().alerts;
      if (current) useAppStore.getState().setAlerts({ ...current, target: next });
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  const pinnedOpen = target?.pinned != null && open.some((i) => i.id === target.pinned);
  return (
    <section className="alerts-panel" aria-label={t('monitor.sections.alerts')}>
      <div className="alert-target">
        <p className="local-route small" data-testid="local-alert-route">
          {alerts && alerts.localIncidents.length > 0
            ? t('monitor.alerts.localTo', { refs: alerts.localIncidents.map((id) => formatIncidentRefShort(id)).join(', ') })
            : t('monitor.alerts.localNowhere')}
        </p>
        <label>
          <span>{t('monitor.alerts.target')}</span>
          <select value={pinnedOpen ? String(target!.pinned) : ''} onChange={(e) => void pin(e.target.value)} data-testid="alert-target">
            <option value="">
              {target?.reason === 'most-urgent' && effective
                ? t('monitor.alerts.automaticNow', { ref: formatIncidentRefShort(effective.id), title: effective.title })
                : t('monitor.alerts.automaticNone')}
            </option>
            {open.map((i) => (
              <option key={i.id} value={String(i.id)}>
                {formatIncidentRefShort(i.id)} {i.title}
              </option>
            ))}
          </select>
        </label>
        {target?.pinned != null && !pinnedOpen && <span className="muted small">{t('monitor.alerts.pinnedClosed')}</span>}
        {target?.reason === 'none' && <span className="muted small">{t('monitor.alerts.none')}</span>}
      </div>
      <div className="active-alerts" data-testid="active-alerts">
        <h3>{t('monitor.alerts.active')}</h3>
        {!alerts || alerts.active.length === 0 ? (
          <p className="muted small">{t('monitor.alerts.noActive')}</p>
        ) : (
          <ul>
            {alerts.active.map(({ key, alert }) => (
              <li key={key} className={`alert-item level-${alertLevel(alert)} alert-${alertDirectionOf(alert as unknown as Record<string, unknown>)}`}>
                <span className="alert-dot" />
                <span>{describeAlert(alert as unknown as Record<string, unknown>, t)}</span>
                <time className="muted small" dateTime={alert.at}>
                  {t('monitor.alerts.since', { time: time.format(new Date(alert.at)) })}
                </time>
              </li>
            ))}
          </ul>
        )}
        <AlertHistory />
      </div>
    </section>
  );
}
