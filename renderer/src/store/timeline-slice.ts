import type { StateCreator } from 'zustand';
import type { TimelineEntry } from '../../../shared/domain';
import { isEmptyFilter, matchesTimelineFilter, type TimelineFacets, type TimelineFilter, type TimelinePage } from '../../../shared/timeline-page';
import { api, errorMessage } from '../api';
import type { AppState } from './store';

/**
 * Rows fetched per call; ~7 screens of the timeline. The same as a 100-entry incident's whole
 * record, so a long incident's first show carries (and parses) no more than a short one's.
 */
export const TIMELINE_PAGE = 100;
/** Pages kept around the last one fetched; farther ones are dropped and fetched again if needed. */
export const KEEP_PAGES = 24;

/**
 * What the renderer holds of one incident's timeline: never all of it. A snapshot taken at
 * `cursor` (a seq) is read a page at a time on demand; what was appended since is in
 * `newer`, pushed by events. Row i of the list (newest first) is newer[i], then the
 * snapshot's row i − newer.length. Updating one page or prepending one entry keeps every
 * other array as it was, so rows already drawn are not drawn again.
 */
export interface TimelineView {
  readonly incidentId: number;
  readonly filter: TimelineFilter;
  /** Bumped on every reload, so late answers to an older load are dropped. */
  readonly generation: number;
  readonly loaded: boolean;
  /** Snapshot: entries with seq < cursor that match, `olderCount` of them. */
  readonly cursor: number;
  readonly olderCount: number;
  readonly pages: Readonly<Record<number, readonly TimelineEntry[]>>;
  /** Appended since the snapshot and matching the filter, newest first. */
  readonly newer: readonly TimelineEntry[];
  /** The newest seq known for this incident (matching or not): entries at or below it are not new. */
  readonly headSeq: number;
  readonly correctedBy: Readonly<Record<number, readonly number[]>>;
  readonly facets: TimelineFacets;
}

export interface TimelineSlice {
  timelines: Readonly<Record<number, TimelineView>>;
  timelineError: string | undefined;
  /** (Re)loads the newest page, with `filter` if given (otherwise the one in use). */
  loadTimeline(incidentId: number, filter?: TimelineFilter): Promise<void>;
  /** Fetches the page holding snapshot row page × TIMELINE_PAGE, if it is not there. */
  loadTimelinePage(incidentId: number, page: number): Promise<void>;
  /** The filter box's choices (kinds, actors, hosts): asked for when the box is first used, since on a long record they take a scan. */
  loadTimelineFacets(incidentId: number): Promise<void>;
  appendEntry(entry: TimelineEntry): void;
}

const NO_FACETS: TimelineFacets = { kinds: [], actors: [], hosts: [] };
const inFlight = new Set<string>();
/** Facets are read once per incident and page load; appended entries add to them after that. */
const facetsAsked = new Set<number>();
let generations = 0;

export function timelineRowCount(view: TimelineView): number {
  return view.newer.length + view.olderCount;
}

/** The entry at list row `index` (newest first), or undefined while its page is not loaded. */
export function timelineEntryAt(view: TimelineView, index: number): TimelineEntry | undefined {
  if (index < view.newer.length) return view.newer[index];
  const row = index - view.newer.length;
  return view.pages[Math.floor(row / TIMELINE_PAGE)]?.[row % TIMELINE_PAGE];
}

/** The snapshot page that holds list row `index`, or undefined for a pushed row. */
export function timelinePageOf(view: TimelineView, index: number): number | undefined {
  return index < view.newer.length ? undefined : Math.floor((index - view.newer.length) / TIMELINE_PAGE);
}

function mergeCorrections(into: TimelineView['correctedBy'], page: TimelinePage['correctedBy']): TimelineView['correctedBy'] {
  const keys = Object.keys(page);
  return keys.length === 0 ? into : { ...into, ...page };
}

function mergeFacets(a: TimelineFacets, b: TimelineFacets): TimelineFacets {
  const merge = (x: readonly string[], y: readonly string[]) => [...new Set([...x, ...y])].sort();
  return { kinds: merge(a.kinds, b.kinds), actors: merge(a.actors, b.actors), hosts: merge(a.hosts, b.hosts) };
}

function addFacet(list: readonly string[], value: string): readonly string[] {
  return list.includes(value) ? list : [...list, value].sort();
}

/**
 * The view with one snapshot page put in. Pages farther than KEEP_PAGES from it are let go (memory
 * follows what is on screen); every other page keeps its array, so rows already drawn are not
 * drawn again when a page lands.
 */
export function withTimelinePage(view: TimelineView, page: number, result: Pick<TimelinePage, 'entries' | 'correctedBy'>): TimelineView {
  const pages: Record<number, readonly TimelineEntry[]> = {};
  for (const key of Object.keys(view.pages)) if (Math.abs(Number(key) - page) <= KEEP_PAGES) pages[Number(key)] = view.pages[Number(key)]!;
  pages[page] = result.entries;
  return { ...view, pages, correctedBy: mergeCorrections(view.correctedBy, result.correctedBy) };
}

export const createTimelineSlice: StateCreator<AppState, [], [], TimelineSlice> = (set, get) => ({
  timelines: {},
  timelineError: undefined,
  loadTimeline: async (incidentId, requested) => {
    const previous = get().timelines[incidentId];
    const filter = requested ?? previous?.filter ?? {};
    const generation = ++generations;
    // Entries pushed while the first page is on its way are kept in `newer` (see appendEntry).
    const loading: TimelineView = {
      incidentId,
      filter,
      generation,
      loaded: previous?.loaded ?? false,
      cursor: previous?.cursor ?? 1,
      olderCount: previous?.olderCount ?? 0,
      pages: previous && previous.filter === filter ? previous.pages : {},
      newer: previous && previous.filter === filter ? previous.newer : [],
      headSeq: previous?.headSeq ?? Number.MAX_SAFE_INTEGER,
      correctedBy: previous?.correctedBy ?? {},
      facets: previous?.facets ?? NO_FACETS,
    };
    set((s) => ({ timelines: { ...s.timelines, [incidentId]: loading } }));
    try {
      const filterArg = isEmptyFilter(filter) ? {} : { filter };
      const page = await api.timeline.page({ incidentId, limit: TIMELINE_PAGE, ...filterArg });
      const current = get().timelines[incidentId];
      if (!current || current.generation !== generation) return;
      const pushed = current.headSeq === Number.MAX_SAFE_INTEGER ? current.newer.filter((e) => e.seq > page.headSeq) : [];
      const view: TimelineView = {
        ...current,
        loaded: true,
        cursor: page.headSeq + 1,
        olderCount: page.matched,
        pages: { 0: page.entries },
        newer: pushed.filter((e) => matchesTimelineFilter(e, filter)),
        headSeq: Math.max(page.headSeq, pushed[0]?.seq ?? 0),
        correctedBy: page.correctedBy,
      };
      set((s) => ({ timelines: { ...s.timelines, [incidentId]: view }, timelineError: undefined }));
    } catch (error) {
      set({ timelineError: errorMessage(error) });
    }
  },
  loadTimelinePage: async (incidentId, page) => {
    const view = get().timelines[incidentId];
    if (!view?.loaded || view.pages[page] || page * TIMELINE_PAGE >= view.olderCount) return;
    const key = `${incidentId}:${view.generation}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    try {
      const result = await api.timeline.page({
        incidentId,
        limit: TIMELINE_PAGE,
        beforeSeq: view.cursor,
        skip: page * TIMELINE_PAGE,
        ...(isEmptyFilter(view.filter) ? {} : { filter: view.filter }),
      });
      const current = get().timelines[incidentId];
      if (!current || current.generation !== view.generation) return;
      set((s) => ({ timelines: { ...s.timelines, [incidentId]: withTimelinePage(current, page, result) } }));
    } catch (error) {
      get().notify('error', errorMessage(error));
    } finally {
      inFlight.delete(key);
    }
  },
  loadTimelineFacets: async (incidentId) => {
    if (facetsAsked.has(incidentId)) return;
    facetsAsked.add(incidentId);
    try {
      const facets = await api.timeline.facets({ incidentId });
      const latest = get().timelines[incidentId];
      if (latest) set((s) => ({ timelines: { ...s.timelines, [incidentId]: { ...latest, facets: mergeFacets(latest.facets, facets) } } }));
    } catch (error) {
      facetsAsked.delete(incidentId);
      get().notify('error', errorMessage(error));
    }
  },
  appendEntry: (entry) => {
    const view = get().timelines[entry.incidentId];
    // Only timelines already on screen are kept live; others load fresh when opened.
    if (!view) return;
    const loading = view.headSeq === Number.MAX_SAFE_INTEGER;
    if (loading ? view.newer.some((e) => e.id === entry.id) : entry.seq <= view.headSeq) return;
    const matches = loading || matchesTimelineFilter(entry, view.filter);
    const corrected = entry.corrects !== null ? { ...view.correctedBy, [entry.corrects]: [...(view.correctedBy[entry.corrects] ?? []), entry.seq] } : view.correctedBy;
    const facets =
      view.facets.kinds.includes(entry.kind) && view.facets.actors.includes(entry.actor) && view.facets.hosts.includes(entry.host)
        ? view.facets
        : { kinds: addFacet(view.facets.kinds, entry.kind), actors: addFacet(view.facets.actors, entry.actor), hosts: addFacet(view.facets.hosts, entry.host) };
    const next: TimelineView = {
      ...view,
      newer: matches ? [entry, ...view.newer] : view.newer,
      headSeq: loading ? view.headSeq : entry.seq,
      correctedBy: corrected,
      facets,
    };
    set((s) => ({ timelines: { ...s.timelines, [entry.incidentId]: next } }));
  },
});
