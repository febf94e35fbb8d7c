import type { StateCreator } from 'zustand';
import type { TimelineEntry } from '../../../shared/domain';
import type { EscalationState } from '../../../shared/escalation';
import { api, errorMessage } from '../api';
import type { AppState } from './store';

// Escalation levels for the incident list and the escalation state of incidents on screen
// (issue 17). Kept live from timeline events: escalation.* and update.sent reload them.

export interface EscalationSlice {
  /** incident id → level, for incidents escalated past Level 1. */
  escalationLevels: Readonly<Record<number, number>>;
  escalations: Readonly<Record<number, EscalationState>>;
  loadEscalationLevels(): Promise<void>;
  loadEscalation(incidentId: number): Promise<void>;
  setEscalation(state: EscalationState): void;
  noteEscalationEntry(entry: TimelineEntry): void;
}

export const createEscalationSlice: StateCreator<AppState, [], [], EscalationSlice> = (set, get) => ({
  escalationLevels: {},
  escalations: {},
  loadEscalationLevels: async () => {
    try {
      set({ escalationLevels: await api.escalation.levels() });
    } catch {
      // The list still works without its level badges; the next event retries.
    }
  },
  loadEscalation: async (incidentId) => {
    try {
      get().setEscalation(await api.escalation.state({ incidentId }));
    } catch (error) {
      get().notify('error', errorMessage(error));
    }
  },
  setEscalation: (state) =>
    set((s) => ({
      escalations: { ...s.escalations, [state.incidentId]: state },
      escalationLevels: state.level > 1 ? { ...s.escalationLevels, [state.incidentId]: state.level } : s.escalationLevels,
    })),
  noteEscalationEntry: (entry) => {
    if (!entry.kind.startsWith('escalation.') && entry.kind !== 'update.sent') return;
    if (entry.kind === 'escalation.escalated') void get().loadEscalationLevels();
    // Only incidents on screen are kept live; others load when opened.
    if (get().escalations[entry.incidentId]) void get().loadEscalation(entry.incidentId);
  },
});
