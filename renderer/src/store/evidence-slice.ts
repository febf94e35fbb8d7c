import type { StateCreator } from 'zustand';
import type { TimelineEntry } from '../../../shared/domain';
import type { CollectionResult, EvidenceListing, EvidenceProgressEvent } from '../../../shared/evidence';
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

export interface EvidenceSlice {
  evidence: Readonly<Record<number, EvidenceListing>>;
  evidenceError: Readonly<Record<number, string>>;
  collections: Readonly<Record<string, RunningCollection>>;
  /** The last collection this window finished per incident, for the result line. */
  lastCollection: Readonly<Record<number, CollectionResult>>;
  loadEvidence(incidentId: number): Promise<void>;
  startCollection(incidentId: number, collector: CollectorKind, run: (requestId: string) => Promise<CollectionResult>): Promise<CollectionResult | undefined>;
  cancelCollection(requestId: string): Promise<void>;
  setEvidenceProgress(progress: EvidenceProgressEvent): void;
  /** Custody entries from elsewhere (the CLI, a runbook transcript) refresh a listing on screen. */
  noteEvidenceEntry(entry: TimelineEntry): void;
}

let sequence = 0;
const newRequestId = () => `ui-${Date.now().toString(36)}-${(++sequence).toString(36)}`;
const reloadTimers = new Map<number, ReturnType<typeof setTimeout>>();

export const createEvidenceSlice: StateCreator<AppState, [], [], EvidenceSlice> = (set, get) => ({
  evidence: {},
  evidenceError: {},
  collections: {},
  lastCollection: {},
  loadEvidence: async (incidentId) => {
    try {
      const listing = await api.evidence.list({ incidentId });
      set({ evidence: { ...get().evidence, [incidentId]: listing }, evidenceError: { ...get().evidenceError, [incidentId]: '' } });
    } catch (error) {
      set({ evidenceError: { ...get().evidenceError, [incidentId]: errorMessage(error) } });
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
      await api.evidence.cancel({ requestId });
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
    if (entry.kind !== 'evidence.collected' && entry.kind !== 'evidence.collection-incomplete') return;
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
