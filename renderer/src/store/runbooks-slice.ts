import type { StateCreator } from 'zustand';
import type { RunbookSuggestionView, RunView } from '../../../shared/runbook-runs';
import type { TerminalExitEvent, TerminalInfo } from '../../../shared/terminals';
import { api, errorMessage } from '../api';
import { currentLanguage } from '../i18n/language';
import type { AppState } from './store';

export interface RunbooksSlice {
  /** Runs per incident, in the order they started. */
  runs: Readonly<Record<number, readonly RunView[]>>;
  suggestions: Readonly<Record<number, readonly RunbookSuggestionView[]>>;
  /** Live terminals per incident. */
  terminals: Readonly<Record<number, readonly TerminalInfo[]>>;
  /** How each ended terminal ended (shown until the operator closes its tab). */
  terminalExits: Readonly<Record<string, TerminalExitEvent>>;
  activeTerminal: Readonly<Record<number, string | undefined>>;
  loadRunbooks(incidentId: number): Promise<void>;
  upsertRun(run: RunView): void;
  addTerminal(info: TerminalInfo): void;
  terminalExited(event: TerminalExitEvent): void;
  forgetTerminal(incidentId: number, id: string): void;
  setActiveTerminal(incidentId: number, id: string | undefined): void;
}

export const createRunbooksSlice: StateCreator<AppState, [], [], RunbooksSlice> = (set, get) => ({
  runs: {},
  suggestions: {},
  terminals: {},
  terminalExits: {},
  activeTerminal: {},
  loadRunbooks: async (incidentId) => {
    try {
      const [runs, suggestions, terminals] = await Promise.all([
        api.runs.list({ incidentId }),
        api.runbooks.suggest({ incidentId, lang: currentLanguage() }),
        api.terminals.list({ incidentId }),
      ]);
      set((s) => ({
        runs: { ...s.runs, [incidentId]: runs },
        suggestions: { ...s.suggestions, [incidentId]: suggestions },
        terminals: { ...s.terminals, [incidentId]: mergeTerminals(s.terminals[incidentId] ?? [], terminals, s.terminalExits) },
        activeTerminal: { ...s.activeTerminal, [incidentId]: s.activeTerminal[incidentId] ?? terminals[0]?.id },
      }));
    } catch (error) {
      get().notify('error', errorMessage(error));
    }
  },
  upsertRun: (run) =>
    set((s) => {
      const list = s.runs[run.incidentId] ?? [];
      const at = list.findIndex((r) => r.id === run.id);
      const next = at >= 0 ? list.map((r) => (r.id === run.id ? run : r)) : [...list, run];
      return { runs: { ...s.runs, [run.incidentId]: next } };
    }),
  addTerminal: (info) =>
    set((s) => {
      const list = s.terminals[info.incidentId] ?? [];
      if (list.some((t) => t.id === info.id)) return {};
      return {
        terminals: { ...s.terminals, [info.incidentId]: [...list, info] },
        activeTerminal: { ...s.activeTerminal, [info.incidentId]: info.id },
      };
    }),
  terminalExited: (event) =>
    set((s) => ({
      terminalExits: { ...s.terminalExits, [event.id]: event },
      terminals: {
        ...s.terminals,
        [event.incidentId]: (s.terminals[event.incidentId] ?? []).map((t) => (t.id === event.id ? { ...t, running: false } : t)),
      },
    })),
  forgetTerminal: (incidentId, id) =>
    set((s) => {
      const list = (s.terminals[incidentId] ?? []).filter((t) => t.id !== id);
      const active = s.activeTerminal[incidentId] === id ? list[list.length - 1]?.id : s.activeTerminal[incidentId];
      return { terminals: { ...s.terminals, [incidentId]: list }, activeTerminal: { ...s.activeTerminal, [incidentId]: active } };
    }),
  setActiveTerminal: (incidentId, id) => set((s) => ({ activeTerminal: { ...s.activeTerminal, [incidentId]: id } })),
});

/** Live ones from the main side, plus ended ones this page still shows. */
function mergeTerminals(
  shown: readonly TerminalInfo[],
  live: readonly TerminalInfo[],
  exits: Readonly<Record<string, TerminalExitEvent>>,
): TerminalInfo[] {
  const ids = new Set(live.map((t) => t.id));
  const ended = shown.filter((t) => !ids.has(t.id) && exits[t.id]).map((t) => ({ ...t, running: false }));
  return [...live, ...ended].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
