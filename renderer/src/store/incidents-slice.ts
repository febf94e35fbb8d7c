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
/** Pages kept on each side of the one read last; farther ones are let go and read again if scrolled back to. */
export const KEEP_INCIDENT_PAGES = 12;

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
  /** Incidents this window was told about (events, single reads), by id; rows of the list are in incidentList (see incidentInList). */
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
  /** Keeps an incident the list brought by id, so a view open on it outlives the list's window moving away. */
  rememberIncident(incident: IncidentView): void;
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

/**
 * The list with one page's rows put in: rows and page marks more than KEEP_INCIDENT_PAGES away
 * are let go, so a page's arrival copies a bounded window, not every row read since the list
 * opened (a sweep through 10,000 incidents copied all 10,000 on every page). Row objects kept
 * are the same objects, so their memoised rows are not drawn again.
 */
export function withIncidentPage(
  list: IncidentListView,
  offset: number,
  incidents: readonly IncidentView[],
  matched: number,
  total: number,
  inFlight: ReadonlySet<number> = new Set(),
): IncidentListView {
  const page = Math.floor(offset / INCIDENT_PAGE);
  const from = (page - KEEP_INCIDENT_PAGES) * INCIDENT_PAGE;
  const to = (page + KEEP_INCIDENT_PAGES + 1) * INCIDENT_PAGE;
  const rows: Record<number, IncidentView> = {};
  for (const key of Object.keys(list.rows)) {
    const pos = Number(key);
    if (pos >= from && pos < to) rows[pos] = list.rows[pos]!;
  }
  incidents.forEach((incident, i) => {
    rows[offset + i] = incident;
  });
  const pages: Record<number, true> = {};
  // A page still on its way keeps its mark wherever it is: without it, the list asks for it again.
  for (const key of Object.keys(list.pages)) {
    const p = Number(key);
    if (Math.abs(p - page) <= KEEP_INCIDENT_PAGES || inFlight.has(p)) pages[p] = true;
  }
  pages[page] = true;
  return { ...list, matched, total, rows, pages };
}

/** An incident the list holds, by id (a bounded window of rows, see withIncidentPage). */
export function incidentInList(list: IncidentListView, id: number): IncidentView | undefined {
  for (const key in list.rows) if (list.rows[key]!.id === id) return list.rows[key];
  return undefined;
}

export const createIncidentsSlice: StateCreator<AppState, [], [], IncidentsSlice> = (set, get) => {
  let settle: ReturnType<typeof setTimeout> | undefined;
  /** Pages asked for and not answered yet, for the list read with `inFlightKey`. */
  const inFlight = new Set<number>();
  let inFlightKey = '';
  const read = async (page: number, key: string): Promise<void> => {
    const { filter } = get();
    if (inFlightKey !== key) {
      inFlight.clear();
      inFlightKey = key;
    }
    inFlight.add(page);
    const result = await api.incidents
      .page({
        offset: page * INCIDENT_PAGE,
        limit: INCIDENT_PAGE,
        ...(filter.statuses.length ? { status: [...filter.statuses] } : {}),
        ...(filter.severities.length ? { severity: [...filter.severities] } : {}),
        ...(filter.query.trim() ? { query: filter.query.trim() } : {}),
      })
      .finally(() => {
        if (inFlightKey === key) inFlight.delete(page);
      });
    const list = get().incidentList;
    if (list.key !== key) return;
    // Only incidents already held by id are refreshed; the rest are found in the list's rows.
    const known = get().incidentById;
    const fresher = result.incidents.filter((incident) => known[incident.id] !== undefined);
    set({
      incidentList: withIncidentPage(list, result.offset, result.incidents, result.matched, result.total, inFlight),
      ...(fresher.length ? { incidentById: { ...known, ...Object.fromEntries(fresher.map((i) => [i.id, i])) } } : {}),
      incidentsLoaded: true,
      incidentsError: undefined,
    });
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
    rememberIncident: (incident) => {
      if (get().incidentById[incident.id] !== incident) set({ incidentById: { ...get().incidentById, [incident.id]: incident } });
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
