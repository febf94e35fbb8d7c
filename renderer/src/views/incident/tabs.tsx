import type { ComponentType } from 'react';
import type { IncidentView } from '../../../../shared/domain';
import { Details } from './Details';
import { Timeline } from './Timeline';
import { EvidenceTab } from '../evidence/EvidenceTab';
import { ResourcesTab } from '../targets/ResourcesTab';
import { IncidentTargets } from '../targets/IncidentTargets';
import { ReportTab } from '../reports/ReportTab';
import { CommunicationsTab } from '../escalation/CommunicationsTab';
import { RunbooksTab } from '../runbooks/RunbooksTab';
import { IncidentRisksTab } from '../risks/IncidentRisksTab';

export interface IncidentTab {
  readonly id: string;
  /** i18n key of the tab's label. */
  readonly label: string;
  readonly Component: ComponentType<{ readonly incident: IncidentView }>;
}

function TimelineTab({ incident }: { readonly incident: IncidentView }) {
  return (
    <>
      <Details incident={incident} />
      <Timeline incidentId={incident.id} />
    </>
  );
}

/** The incident screen's tabs; each feature adds its own entry here. */
export const INCIDENT_TABS: readonly IncidentTab[] = [
  { id: 'timeline', label: 'tabs.timeline', Component: TimelineTab },
  { id: 'runbooks', label: 'runbooks.tab', Component: RunbooksTab },
  { id: 'evidence', label: 'evidence.tab', Component: EvidenceTab },
  { id: 'comms', label: 'comms.tab', Component: CommunicationsTab },
  { id: 'report', label: 'reports.tab', Component: ReportTab },
  { id: 'resources', label: 'monitor.history.tab', Component: ResourcesTab },
  { id: 'risks', label: 'risks.tab', Component: IncidentRisksTab },
  { id: 'targets', label: 'targets.tab', Component: IncidentTargets },
];
