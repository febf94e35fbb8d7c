import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { computeSlaClocks } from '../../../../shared/sla';
import { SeverityBadge, StatusPill } from '../../components/badges';
import { SlaClock } from '../../components/SlaClock';
import { useNow } from '../../hooks';
import { useAppStore } from '../../store/store';
import { StatusActions } from './StatusActions';
import { Timeline } from './Timeline';

export function IncidentView({ incidentId }: { readonly incidentId: number }) {
  const { t, i18n } = useTranslation();
  const incident = useAppStore((s) => s.incidents.find((i) => i.id === incidentId));
  const loaded = useAppStore((s) => s.incidentsLoaded);
  const loadTimeline = useAppStore((s) => s.loadTimeline);
  const now = useNow();

  useEffect(() => {
    void loadTimeline(incidentId);
  }, [incidentId, loadTimeline]);

  if (!incident) return <div className="empty main-empty">{loaded ? t('incident.notFound') : t('common.loading')}</div>;

  const clocks = computeSlaClocks(incident, now);
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const times = (
    [
      ['detected', incident.detectedAt],
      ['acknowledged', incident.acknowledgedAt],
      ['mitigated', incident.mitigatedAt],
      ['resolved', incident.resolvedAt],
      ['closed', incident.closedAt],
    ] as const
  ).filter(([, v]) => v !== null);

  return (
    <main className="incident" aria-label={incident.title}>
      <header className="incident-head">
        <div className="title-line">
          <SeverityBadge severity={incident.severity} />
          <span className="ref">INC-{String(incident.id).padStart(4, '0')}</span>
          <StatusPill status={incident.status} />
        </div>
        <h1 data-testid="incident-title">{incident.title}</h1>
        <div className="clocks">
          {clocks.map((clock) => (
            <SlaClock key={clock.kind} clock={clock} />
          ))}
        </div>
        <StatusActions incident={incident} />
      </header>
      <section className="details">
        <dl>
          {times.map(([status, value]) => (
            <div key={status}>
              <dt>{t(`status.${status}`)}</dt>
              <dd>
                <time dateTime={value ?? ''}>{when.format(new Date(value ?? 0))}</time>
              </dd>
            </div>
          ))}
          {incident.responder && (
            <div>
              <dt>{t('fields.responder')}</dt>
              <dd>{incident.responder}</dd>
            </div>
          )}
          {incident.services.length > 0 && (
            <div>
              <dt>{t('fields.services')}</dt>
              <dd>{incident.services.join(', ')}</dd>
            </div>
          )}
        </dl>
        {incident.summary && (
          <>
            <h3>{t('fields.summary')}</h3>
            <p className="prose">{incident.summary}</p>
          </>
        )}
        {incident.impact && (
          <>
            <h3>{t('fields.impact')}</h3>
            <p className="prose">{incident.impact}</p>
          </>
        )}
      </section>
      <Timeline incidentId={incident.id} />
    </main>
  );
}
