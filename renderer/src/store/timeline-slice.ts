import type { StateCreator } from 'zustand';
import type { TimelineEntry } from '../../../shared/domain';
import { api, errorMessage } from '../api';
import type { AppState } from './store';

export interface TimelineSlice {
  timelines: Readonly<Record<number, readonly TimelineEntry[]>>;
  timelineError: string | undefined;
  loadTimeline(incidentId: number): Promise<void>;
  appendEntry(entry: TimelineEntry): void;
}

export const createTimelineSlice: StateCreator<AppState, [], [], TimelineSlice> = (set, get) => ({
  timelines: {},
  timelineError: undefined,
  loadTimeline: async (incidentId) => {
    try {
      const entries = await api.timeline.list({ incidentId });
      set({ timelines: { ...get().timelines, [incidentId]: entries }, timelineError: undefined });
    } catch (error) {
      set({ timelineError: errorMessage(error) });
    }
  },
  appendEntry: (entry) => {
    const current = get().timelines[entry.incidentId];
    // Only timelines already on screen are kept live; others load fresh when opened.
    if (!current || current.some((e) => e.id === entry.id)) return;
    const next = [...current, entry].sort((a, b) => a.seq - b.seq);
    set({ timelines: { ...get().timelines, [entry.incidentId]: next } });
  },
});
