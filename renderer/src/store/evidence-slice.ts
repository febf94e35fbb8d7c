import type { StateCreator } from 'zustand';
import type { TimelineEntry } from '../../../shared/domain';
import type { ArtifactFilter } from '../../../shared/artifact-page';
import type { ArtifactRecord, CollectionResult, EvidenceProgressEvent } from '../../../shared/evidence';
import { api, errorMessage } from '../api';
import type { AppState } from './store';

export type CollectorKind = 'preset' | 'snapshot' | 'files' | 'changes';

/** A collection this window started and is waiting for (the call returns when it ends). */
export interface RunningCollection {
  readonly requestId: string;
  readonly incidentId: number;
  readonly collector: CollectorKind;
  readonly startedAt: number;
  readonly progress: EvidenceProgressEvent | undefined;
  readonly cancelling: boolean;
}

/** Rows fetched per call. */
export const ARTIFACT_PAGE = 200;
const KEEP_PAGES = 12;

/**
 * What the Evidence tab holds of an incident's artifacts: a snapshot below `cursor` (an
 * artifact id), read a page at a time as rows scroll into view; newest first.
 */
export interface ArtifactListView {
  readonly filter: ArtifactFilter;
  readonly generation: number;
  readonly cursor: number;
  readonly matched: number;
  readonly total: number;
  /** How many of the incident's artifacts are retracted (hidden unless the filter includes them). */
  readonly retracted: number;
  readonly pages: Readonly<Record<number, readonly ArtifactRecord[]>>;
  readonly statuses: readonly string[];
  readonly collectors: readonly string[];
}

export function artifactAt(view: ArtifactListView, index: number): ArtifactRecord | undefined {
  return view.pages[Math.floor(index / ARTIFACT_PAGE)]?.[index % ARTIFACT_PAGE];
}

export interface EvidenceSlice {
  evidence: Readonly<Record<number, ArtifactListView>>;
  evidenceError: Readonly<Record<number, string>>;
  collections: Readonly<Record<string, RunningCollection>>;
  /** The last collection this window finished per incident, for the result line. */
  lastCollection: Readonly<Record<number, CollectionResult>>;
  /** (Re)loads the newest page of the artifacts, with `filter` if given (otherwise the one in use). */
  loadEvidence(incidentId: number, filter?: ArtifactFilter): Promise<void>;
  loadArtifactPage(incidentId: number, page: number): Promise<void>;
  startCollection(incidentId: number, collector: CollectorKind, run: (requestId: string) => Promise<CollectionResult>): Promise<CollectionResult | undefined>;
  cancelCollection(requestId: string): Promise<void>;
  setEvidenceProgress(progress: EvidenceProgressEvent): void;
  /** Custody entries from elsewhere (the CLI, a runbook transcript) refresh a listing on screen. */
  noteEvidenceEntry(entry: TimelineEntry): void;
}

let sequence = 0;
const newRequestId = () => `ui-${Date.now().toString(36)}-${(++sequence).toString(36)}`;
const reloadTimers = new Map<number, ReturnType<typeof setTimeout>>();
const inFlight = new Set<string>();
let generations = 0;
/** The newest load asked for per incident: an older answer arriving late is dropped. */
const latestLoad = new Map<number, number>();
const filterArg = (filter: ArtifactFilter) => (filter.text?.trim() || filter.status || filter.collector || filter.includeRetracted ? { filter } : {});

export const createEvidenceSlice: StateCreator<AppState, [], [], EvidenceSlice> = (set, get) => ({
  evidence: {},
  evidenceError: {},
  collections: {},
  lastCollection: {},
  loadEvidence: async (incidentId, requested) => {
    const previous = get().evidence[incidentId];
    const filter = requested ?? previous?.filter ?? {};
    const generation = ++generations;
    latestLoad.set(incidentId, generation);
    try {
      const page = await api.evidence.artifactsPage({ incidentId, limit: ARTIFACT_PAGE, facets: true, ...filterArg(filter) });
      if (latestLoad.get(incidentId) !== generation) return;
      const view: ArtifactListView = {
        filter,
        generation,
        cursor: page.headId + 1,
        matched: page.matched,
        total: page.total,
        retracted: page.retracted,
        pages: { 0: page.artifacts },
        statuses: page.facets?.statuses ?? [],
        collectors: page.facets?.collectors ?? [],
      };
      set({ evidence: { ...get().evidence, [incidentId]: view }, evidenceError: { ...get().evidenceError, [incidentId]: '' } });
    } catch (error) {
      set({ evidenceError: { ...get().evidenceError, [incidentId]: errorMessage(error) } });
    }
  },
  loadArtifactPage: async (incidentId, page) => {
    const view = get().evidence[incidentId];
    if (!view || view.pages[page] || page * ARTIFACT_PAGE >= view.matched) return;
    const key = `${incidentId}:${view.generation}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    try {
      const result = await api.evidence.artifactsPage({ incidentId, limit: ARTIFACT_PAGE, beforeId: view.cursor, skip: page * ARTIFACT_PAGE, ...filterArg(view.filter) });
      const current = get().evidence[incidentId];
      if (!current || current.generation !== view.generation) return;
      const pages: Record<number, readonly ArtifactRecord[]> = {};
      for (const [n, rows] of Object.entries(current.pages)) if (Math.abs(Number(n) - page) <= KEEP_PAGES) pages[Number(n)] = rows;
      pages[page] = result.artifacts;
      set({ evidence: { ...get().evidence, [incidentId]: { ...current, pages } } });
    } catch (error) {
      get().notify('error', errorMessage(error));
    } finally {
      inFlight.delete(key);
    }
  },
  startCollection: async (incidentId, collector, run) => {
    const requestId = newRequestId();
    const entry: RunningCollection = { requestId, incidentId, collector, startedAt: Date.now(), progress: undefined, cancelling: false };
    set({ collections: { ...get().collections, [requestId]: entry } });
    try {
      const result = await run(requestId);
      set({ lastCollection: { ...get().lastCollection, [incidentId]: result } });
      return result;
    } catch (error) {
      get().notify('error', errorMessage(error));
      return undefined;
    } finally {
      const { [requestId]: _done, ...rest } = get().collections;
      set({ collections: rest });
      await get().loadEvidence(incidentId);
    }
  },
  cancelCollection: async (requestId) => {
    const running = get().collections[requestId];
    if (!running) return;
    set({ collections: { ...get().collections, [requestId]: { ...running, cancelling: true } } });
    try {
      // A remote collection is registered with the targets handler, not the local one.
      const { cancelled } = await api.evidence.cancel({ requestId });
      if (!cancelled) await api.targets.cancelCollect({ requestId });
    } catch (error) {
      get().notify('error', errorMessage(error));
    }
  },
  setEvidenceProgress: (progress) => {
    const running = get().collections[progress.requestId];
    if (!running) return;
    set({ collections: { ...get().collections, [progress.requestId]: { ...running, progress } } });
  },
  noteEvidenceEntry: (entry) => {
    if (entry.kind !== 'evidence.collected' && entry.kind !== 'evidence.collection-incomplete' && entry.kind !== 'evidence.retracted') return;
    const incidentId = entry.incidentId;
    if (!get().evidence[incidentId] || reloadTimers.has(incidentId)) return;
    // A big collection commits a batch every few seconds: one reload per burst is enough.
    reloadTimers.set(
      incidentId,
      setTimeout(() => {
        reloadTimers.delete(incidentId);
        void get().loadEvidence(incidentId);
      }, 500),
    );
  },
});
