import { useCallback, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { STATUSES } from '../../../../shared/lifecycle';
import { SEVERITIES } from '../../../../shared/severity';
import { computeSlaClocks } from '../../../../shared/sla';
import { SeverityBadge, StatusPill } from '../../components/badges';
import { SlaClock } from '../../components/SlaClock';
import { useNow, useShortcut } from '../../hooks';
import { filterIncidents } from '../../store/incidents-slice';
import { useAppStore } from '../../store/store';

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function IncidentList() {
  const { t } = useTranslation();
  const incidents = useAppStore((s) => s.incidents);
  const loaded = useAppStore((s) => s.incidentsLoaded);
  const error = useAppStore((s) => s.incidentsError);
  const filter = useAppStore((s) => s.filter);
  const setFilter = useAppStore((s) => s.setFilter);
  const selectedId = useAppStore((s) => s.selectedId);
  const select = useAppStore((s) => s.select);
  const openNew = useAppStore((s) => s.setNewIncidentOpen);
  const search = useRef<HTMLInputElement>(null);
  const now = useNow();
  const visible = useMemo(() => filterIncidents(incidents, filter), [incidents, filter]);
  useShortcut('/', useCallback(() => search.current?.focus(), []));

  return (
    <aside className="sidebar" aria-label={t('list.title')}>
      <div className="sidebar-tools">
        <input
          ref={search}
          type="search"
          className="search"
          placeholder={t('list.search')}
          aria-label={t('list.search')}
          value={filter.query}
          onChange={(e) => setFilter({ query: e.target.value })}
        />
        <div className="chips" role="group" aria-label={t('list.filterSeverity')}>
          {SEVERITIES.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip severity-${s}${filter.severities.includes(s) ? ' on' : ''}`}
              aria-pressed={filter.severities.includes(s)}
              onClick={() => setFilter({ severities: toggle(filter.severities, s) })}
            >
              {t(`severity.${s}.label`)}
            </button>
          ))}
        </div>
        <div className="chips" role="group" aria-label={t('list.filterStatus')}>
          {STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip${filter.statuses.includes(s) ? ' on' : ''}`}
              aria-pressed={filter.statuses.includes(s)}
              onClick={() => setFilter({ statuses: toggle(filter.statuses, s) })}
            >
              {t(`status.${s}`)}
            </button>
          ))}
        </div>
      </div>
      {error && <p className="error-text">{t('list.loadFailed', { error })}</p>}
      {loaded && incidents.length === 0 && !error && (
        <div className="empty">
          <h3>{t('list.emptyTitle')}</h3>
          <p>{t('list.emptyBody')}</p>
          <button type="button" className="primary" onClick={() => openNew(true)}>
            {t('actions.newIncident')}
          </button>
        </div>
      )}
      {incidents.length > 0 && visible.length === 0 && <p className="muted pad">{t('list.noMatch')}</p>}
      <ul className="incident-list">
        {visible.map((incident) => {
          const clocks = computeSlaClocks(incident, now).filter((c) => !c.stopped);
          const clock = clocks.sort((a, b) => a.remainingMs / a.targetMs - b.remainingMs / b.targetMs)[0];
          return (
            <li key={incident.id}>
              <button
                type="button"
                className={`incident-row${incident.id === selectedId ? ' selected' : ''}`}
                onClick={() => select(incident.id)}
                data-testid={`incident-row-${incident.id}`}
              >
                <div className="row-top">
                  <SeverityBadge severity={incident.severity} />
                  <span className="ref">INC-{String(incident.id).padStart(4, '0')}</span>
                  <StatusPill status={incident.status} />
                </div>
                <div className="row-title">{incident.title}</div>
                {clock && <SlaClock clock={clock} compact />}
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
