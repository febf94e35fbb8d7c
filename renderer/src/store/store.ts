import { create } from 'zustand';
import { createEscalationSlice, type EscalationSlice } from './escalation-slice';
import { createEvidenceSlice, type EvidenceSlice } from './evidence-slice';
import { createIncidentsSlice, type IncidentsSlice } from './incidents-slice';
import { createMonitorSlice, type MonitorSlice } from './monitor-slice';
import { createRunbooksSlice, type RunbooksSlice } from './runbooks-slice';
import { createTargetsSlice, type TargetsSlice } from './targets-slice';
import { createTeamSlice, type TeamSlice } from './team-slice';
import { createTimelineSlice, type TimelineSlice } from './timeline-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type AppState = IncidentsSlice & TimelineSlice & UiSlice & MonitorSlice & RunbooksSlice & EvidenceSlice & EscalationSlice & TargetsSlice & TeamSlice;

/** The one store; components read from it with selectors. */
export const useAppStore = create<AppState>()((...a) => ({
  ...createIncidentsSlice(...a),
  ...createTimelineSlice(...a),
  ...createUiSlice(...a),
  ...createMonitorSlice(...a),
  ...createRunbooksSlice(...a),
  ...createEvidenceSlice(...a),
  ...createEscalationSlice(...a),
  ...createTargetsSlice(...a),
  ...createTeamSlice(...a),
}));
