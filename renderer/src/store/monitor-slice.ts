import type { StateCreator } from 'zustand';
import type { AlertsView, GaugeUpdate, ProbeResult, ProbesView, ProcessSnapshot, RulesView } from '../../../shared/monitor';
import { api, errorMessage } from '../api';
import type { AppState } from './store';

/** The charts show 15 minutes; at 1 Hz that is 900 updates, and never more are kept. */
export const GAUGE_WINDOW_MS = 15 * 60_000;
const MAX_UPDATES = 960;

export interface MonitorSlice {
  gaugeUpdates: readonly GaugeUpdate[];
  processes: ProcessSnapshot | null;
  alerts: AlertsView | undefined;
  probes: ProbesView | undefined;
  rulesView: RulesView | undefined;
  monitorError: string | undefined;
  loadMonitor(): Promise<void>;
  addGaugeUpdate(update: GaugeUpdate): void;
  setProcesses(snapshot: ProcessSnapshot | null): void;
  setAlerts(view: AlertsView): void;
  setProbes(view: ProbesView): void;
  setProbeResult(result: ProbeResult): void;
  setRulesView(view: RulesView): void;
}

/** Keeps the window bounded by time and by count, oldest first. */
export function appendBounded(updates: readonly GaugeUpdate[], update: GaugeUpdate): GaugeUpdate[] {
  const last = updates[updates.length - 1];
  if (last && update.sample.at <= last.sample.at) return updates as GaugeUpdate[];
  const cutoff = update.sample.at - GAUGE_WINDOW_MS;
  let start = 0;
  while (start < updates.length && updates[start]!.sample.at <= cutoff) start++;
  start = Math.max(start, updates.length + 1 - MAX_UPDATES);
  const next = updates.slice(start);
  next.push(update);
  return next;
}

export const createMonitorSlice: StateCreator<AppState, [], [], MonitorSlice> = (set, get) => ({
  gaugeUpdates: [],
  processes: null,
  alerts: undefined,
  probes: undefined,
  rulesView: undefined,
  monitorError: undefined,
  loadMonitor: async () => {
    try {
      const [window, alerts, probes, rulesView] = await Promise.all([api.gauges.recent({}), api.monitor.alerts(), api.probes.config(), api.gauges.rules()]);
      // Samples that arrived as events while loading are merged, not lost.
      let updates: GaugeUpdate[] = window.updates.slice(-MAX_UPDATES);
      for (const u of get().gaugeUpdates) updates = appendBounded(updates, u);
      set({ gaugeUpdates: updates, processes: window.processes ?? get().processes, alerts, probes, rulesView, monitorError: undefined });
    } catch (error) {
      set({ monitorError: errorMessage(error) });
    }
  },
  addGaugeUpdate: (update) => set({ gaugeUpdates: appendBounded(get().gaugeUpdates, update) }),
  setProcesses: (processes) => set({ processes }),
  setAlerts: (alerts) => set({ alerts }),
  setProbes: (probes) => set({ probes }),
  setProbeResult: (result) => {
    const probes = get().probes;
    if (!probes) return;
    const results = [...probes.results.filter((r) => r.name !== result.name), result];
    set({ probes: { ...probes, results } });
  },
  setRulesView: (rulesView) => set({ rulesView }),
});
