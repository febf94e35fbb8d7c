import type { StateCreator } from 'zustand';
import type { IncidentView } from '../../../shared/domain';
import type { IncidentStatus } from '../../../shared/lifecycle';
import type { Severity } from '../../../shared/severity';
import { sortByUrgency } from '../../../shared/urgency';
import { api, errorMessage } from '../api';
import type { AppState } from './store';

export interface IncidentFilter {
  readonly statuses: readonly IncidentStatus[];
  readonly severities: readonly Severity[];
  readonly query: string;
}

export interface IncidentsSlice {
  incidents: readonly IncidentView[];
  incidentsLoaded: boolean;
  incidentsError: string | undefined;
  filter: IncidentFilter;
  loadIncidents(): Promise<void>;
  upsertIncident(incident: IncidentView): void;
  setFilter(patch: Partial<IncidentFilter>): void;
}

export const createIncidentsSlice: StateCreator<AppState, [], [], IncidentsSlice> = (set, get) => ({
  incidents: [],
  incidentsLoaded: false,
  incidentsError: undefined,
  filter: { statuses: [], severities: [], query: '' },
  loadIncidents: async () => {
    try {
      const incidents = await api.incidents.list({});
      set({ incidents, incidentsLoaded: true, incidentsError: undefined });
    } catch (error) {
      set({ incidentsLoaded: true, incidentsError: errorMessage(error) });
    }
  },
  upsertIncident: (incident) => {
    const others = get().incidents.filter((i) => i.id !== incident.id);
    set({ incidents: sortByUrgency([...others, incident], Date.now()) });
  },
  setFilter: (patch) => set({ filter: { ...get().filter, ...patch } }),
});

/** Filtering happens client-side: the whole log of a laptop fits in memory, and it keeps typing instant. */
export function filterIncidents(incidents: readonly IncidentView[], filter: IncidentFilter): IncidentView[] {
  const query = filter.query.trim().toLowerCase();
  return incidents.filter(
    (i) =>
      (filter.statuses.length === 0 || filter.statuses.includes(i.status)) &&
      (filter.severities.length === 0 || filter.severities.includes(i.severity)) &&
      (query === '' ||
        i.title.toLowerCase().includes(query) ||
        i.summary.toLowerCase().includes(query) ||
        i.services.some((s) => s.toLowerCase().includes(query)) ||
        i.tags.some((t) => t.toLowerCase().includes(query)) ||
        `inc-${String(i.id).padStart(4, '0')}`.includes(query)),
  );
}
