import { api, onConnection, onEvent } from '../api';
import { feedTerminal } from '../views/runbooks/term-sessions';
import { useAppStore } from './store';

/**
 * The one place main-side events enter the store. After a reconnect everything on screen
 * is reloaded, since events sent while disconnected are gone.
 */
export function startBridge(): () => void {
  const store = useAppStore.getState;
  let wasLost = false;
  const stops = [
    onEvent('incidents.changed', ({ incident }) => store().upsertIncident(incident)),
    onEvent('timeline.appended', ({ entry }) => store().appendEntry(entry)),
    onEvent('timeline.appended', ({ entry }) => store().noteEvidenceEntry(entry)),
    onEvent('timeline.appended', ({ entry }) => store().noteEscalationEntry(entry)),
    onEvent('evidence.progress', (progress) => store().setEvidenceProgress(progress)),
    onEvent('gauges.sample', (update) => store().addGaugeUpdate(update)),
    onEvent('gauges.processes', (snapshot) => store().setProcesses(snapshot)),
    onEvent('probes.result', ({ result }) => store().setProbeResult(result)),
    onEvent('alerts.changed', (view) => store().setAlerts(view)),
    onEvent('targets.status', (status) => store().setTargetStatus(status)),
    onEvent('targets.gauges', (update) => store().addTargetGauge(update)),
    onEvent('runs.changed', ({ run }) => store().upsertRun(run)),
    // Terminal output goes straight to its xterm (not through the store), which acks it.
    onEvent('terminals.data', (event) => feedTerminal(event)),
    onEvent('terminals.exit', (event) => store().terminalExited(event)),
    onConnection((state) => {
      store().setConnection(state);
      if (state === 'lost') wasLost = true;
      if (state === 'open' && wasLost) {
        wasLost = false;
        void store().loadIncidents();
        void store().loadMonitor();
        void store().loadEscalationLevels();
        void store().loadTargets();
        const selected = store().selectedId;
        if (selected !== undefined) void store().loadTimeline(selected);
        if (selected !== undefined) void store().loadRunbooks(selected);
      }
    }),
  ];
  void store().loadIncidents();
  void store().loadMonitor();
  void store().loadEscalationLevels();
  void store().loadTargets();
  api.app.info().then(store().setAppInfo, () => undefined);
  return () => stops.forEach((stop) => stop());
}
