import type { StateCreator } from 'zustand';
import type { IncidentView } from '../../../shared/domain';
import type { IncidentStatus } from '../../../shared/lifecycle';
import type { Severity } from '../../../shared/severity';
import { compareUrgency } from '../../../shared/urgency';
import { api, errorMessage } from '../api';
import type { AppState } from './store';

export interface IncidentFilter {
  readonly statuses: readonly IncidentStatus[];
  readonly severities: readonly Severity[];
  readonly query: string;
}

/** Rows one incidents.page call brings: a screen shows ~12. */
export const INCIDENT_PAGE = 100;

/**
 * The incident list as the service pages it (incidents.page, urgency order, filtered there):
 * only the pages under the rows in view are here, so 10,000 incidents never cross at once.
 */
export interface IncidentListView {
  /** The filter these rows were read with (a reply for another one is dropped). */
  readonly key: string;
  readonly matched: number;
  readonly total: number;
  /** By position in the list. */
  readonly rows: Readonly<Record<number, IncidentView>>;
  /** Pages read or being read. */
  readonly pages: Readonly<Record<number, true>>;
}

export interface IncidentsSlice {
  incidentList: IncidentListView;
  /** Every incident this window has seen (pages, events, single reads), by id. */
  incidentById: Readonly<Record<number, IncidentView>>;
  /** Bumped on every change to any incident: screens with their own summaries re-read on it. */
  incidentsVersion: number;
  incidentsLoaded: boolean;
  incidentsError: string | undefined;
  filter: IncidentFilter;
  /** Reads the list again from its first page (after a reconnect, a new filter). */
  loadIncidents(): Promise<void>;
  loadIncidentPage(page: number): Promise<void>;
  /** One incident by id, for a view opened on one the list has not brought. */
  fetchIncident(id: number): Promise<void>;
  upsertIncident(incident: IncidentView): void;
  setFilter(patch: Partial<IncidentFilter>): void;
}

const filterKey = (filter: IncidentFilter) => JSON.stringify([filter.statuses, filter.severities, filter.query.trim()]);
const EMPTY_LIST: IncidentListView = { key: '', matched: 0, total: 0, rows: {}, pages: {} };

/** An event's incident placed among the rows it moved between, before the service's answer. */
export function placeIncident(list: IncidentListView, incident: IncidentView, matches: boolean, nowMs: number): IncidentListView {
  const entries = Object.entries(list.rows).map(([pos, row]) => [Number(pos), row] as const);
  const at = entries.find(([, row]) => row.id === incident.id)?.[0];
  let rows = entries;
  let matched = list.matched;
  if (at !== undefined) {
    rows = entries.filter(([pos]) => pos !== at).map(([pos, row]) => [pos > at ? pos - 1 : pos, row] as const);
    matched--;
  }
  if (matches) {
    // The first loaded row it is more urgent than, counting only the unbroken run from the top.
    let insertAt: number | undefined;
    const byPos = new Map(rows);
    let pos = 0;
    for (; byPos.has(pos); pos++) {
      if (compareUrgency(incident, byPos.get(pos)!, nowMs) < 0) {
        insertAt = pos;
        break;
      }
    }
    if (insertAt === undefined && pos >= matched) insertAt = pos;
    if (insertAt !== undefined) {
      const from = insertAt;
      rows = [...rows.map(([p, row]) => [p >= from ? p + 1 : p, row] as const), [from, incident] as const];
    }
    matched++;
  }
  return { ...list, matched, rows: Object.fromEntries(rows) };
}

export const createIncidentsSlice: StateCreator<AppState, [], [], IncidentsSlice> = (set, get) => {
  let settle: ReturnType<typeof setTimeout> | undefined;
  const read = async (page: number, key: string): Promise<void> => {
    const { filter } = get();
    const result = await api.incidents.page({
      offset: page * INCIDENT_PAGE,
      limit: INCIDENT_PAGE,
      ...(filter.statuses.length ? { status: [...filter.statuses] } : {}),
      ...(filter.severities.length ? { severity: [...filter.severities] } : {}),
      ...(filter.query.trim() ? { query: filter.query.trim() } : {}),
    });
    const list = get().incidentList;
    if (list.key !== key) return;
    const rows: Record<number, IncidentView> = { ...list.rows };
    const byId: Record<number, IncidentView> = { ...get().incidentById };
    result.incidents.forEach((incident, i) => {
      rows[result.offset + i] = incident;
      byId[incident.id] = incident;
    });
    set({ incidentList: { ...list, matched: result.matched, total: result.total, rows }, incidentById: byId, incidentsLoaded: true, incidentsError: undefined });
  };
  const fail = (error: unknown) => set({ incidentsLoaded: true, incidentsError: errorMessage(error) });
  return {
    incidentList: EMPTY_LIST,
    incidentById: {},
    incidentsVersion: 0,
    incidentsLoaded: false,
    incidentsError: undefined,
    filter: { statuses: [], severities: [], query: '' },
    loadIncidents: async () => {
      const key = filterKey(get().filter);
      // The pages in view are read again as the list draws them; the first one now.
      set({ incidentList: { ...EMPTY_LIST, key, pages: { 0: true } } });
      await read(0, key).catch(fail);
    },
    loadIncidentPage: async (page) => {
      const list = get().incidentList;
      if (list.pages[page]) return;
      set({ incidentList: { ...list, pages: { ...list.pages, [page]: true } } });
      await read(page, list.key).catch(fail);
    },
    fetchIncident: async (id) => {
      const incident = await api.incidents.get({ id });
      set({ incidentById: { ...get().incidentById, [id]: incident } });
    },
    upsertIncident: (incident) => {
      const { incidentList, filter } = get();
      const matches = filterIncidents([incident], filter).length === 1;
      set({
        incidentById: { ...get().incidentById, [incident.id]: incident },
        incidentsVersion: get().incidentsVersion + 1,
        incidentList: placeIncident(incidentList, incident, matches, Date.now()),
      });
      // The service's order is the truth (clocks move, rows beyond the loaded ones): the loaded
      // pages are read again once a burst of changes has settled.
      clearTimeout(settle);
      settle = setTimeout(() => {
        const list = get().incidentList;
        for (const page of Object.keys(list.pages)) void read(Number(page), list.key).catch(fail);
      }, 250);
    },
    setFilter: (patch) => {
      set({ filter: { ...get().filter, ...patch } });
      void get().loadIncidents();
    },
  };
};

/** The same match as the service's filter, for one incident an event brought (see placeIncident()). */
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
