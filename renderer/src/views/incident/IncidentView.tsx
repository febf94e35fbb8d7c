import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { computeSlaClocks } from '../../../../shared/sla';
import { SeverityBadge, StatusPill } from '../../components/badges';
import { EscalationBadge } from '../../components/EscalationBadge';
import { SlaClock } from '../../components/SlaClock';
import { EscalationBar } from '../escalation/EscalationBar';
import { useNow } from '../../hooks';
import { incidentInList } from '../../store/incidents-slice';
import { useAppStore } from '../../store/store';
import { StatusActions } from './StatusActions';
import { INCIDENT_TABS } from './tabs';
import { incidentRef } from '../../../../shared/incident-ref';
import { ShareButton } from '../team/ShareButton';

export function IncidentView({ incidentId }: { readonly incidentId: number }) {
  const { t } = useTranslation();
  const [tabId, setTabId] = useState(INCIDENT_TABS[0]!.id);
  const pinned = useAppStore((s) => s.incidentById[incidentId]);
  const listed = useAppStore((s) => (pinned ? undefined : incidentInList(s.incidentList, incidentId)));
  const incident = pinned ?? listed;
  // Found among the list's rows: kept by id, since the list lets rows go as it scrolls.
  useEffect(() => {
    if (listed) useAppStore.getState().rememberIncident(listed);
  }, [listed]);
  const fetchIncident = useAppStore((s) => s.fetchIncident);
  const [missing, setMissing] = useState<number>();
  const loadTimeline = useAppStore((s) => s.loadTimeline);
  const level = useAppStore((s) => s.escalations[incidentId]?.level ?? 1);
  const now = useNow();

  useEffect(() => {
    void loadTimeline(incidentId);
  }, [incidentId, loadTimeline]);

  // Opened on an incident the list has not read (a link, a far page): read it alone.
  const known = incident !== undefined;
  useEffect(() => {
    if (!known) fetchIncident(incidentId).catch(() => setMissing(incidentId));
  }, [known, incidentId, fetchIncident]);

  if (!incident) return <div className="empty main-empty">{missing === incidentId ? t('incident.notFound') : t('common.loading')}</div>;

  const clocks = computeSlaClocks(incident, now);
  const active = INCIDENT_TABS.find((tab) => tab.id === tabId) ?? INCIDENT_TABS[0]!;

  return (
    <main className="incident" aria-label={incident.title}>
      <header className="incident-head">
        <div className="title-line">
          <SeverityBadge severity={incident.severity} />
          <span className="ref" data-testid="incident-ref">{incidentRef(incident.id, incident.sharedUid)}</span>
          <StatusPill status={incident.status} />
          <EscalationBadge level={level} always />
          <ShareButton incident={incident} />
        </div>
        <h1 data-testid="incident-title">{incident.title}</h1>
        <div className="clocks">
          {clocks.map((clock) => (
            <SlaClock key={clock.kind} clock={clock} />
          ))}
        </div>
        <EscalationBar incident={incident} now={now} />
        <StatusActions incident={incident} />
      </header>
      {INCIDENT_TABS.length > 1 && (
        <nav className="tabs" role="tablist">
          {INCIDENT_TABS.map((tab) => (
            <button
              key={tab.id}
              type="button"
              role="tab"
              aria-selected={tab.id === active.id}
              className={tab.id === active.id ? 'tab on' : 'tab'}
              onClick={() => setTabId(tab.id)}
              data-testid={`tab-${tab.id}`}
            >
              {t(tab.label)}
            </button>
          ))}
        </nav>
      )}
      <active.Component incident={incident} />
    </main>
  );
}
