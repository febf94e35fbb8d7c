import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { EventBus } from '../events';
import type { Identity } from '../identity';
import { profileAlertGate, type AlertProcessOptions } from '../gauges/timeline-sink';
import type { IncidentService } from '../incidents';
import { RiskService } from '../risks/service';
import type { Target } from '../targets/target';
import type { TimelineService } from '../timeline';
import { createFetcher, type FetchText } from './fetch';
import { SignalRecorder } from './recorder';
import { MetricsService } from './service';
import { SignalAlerts } from './signal-alerts';

export interface SignalsWiringDeps {
  readonly home: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly identity: Identity;
  readonly events: EventBus;
  readonly timeline: TimelineService;
  readonly incidents: IncidentService;
  readonly alertTarget: () => number | null;
  readonly resolveTarget?: (name: string) => Target;
  /** Tests: a fetcher and the wait between the two scrapes of a fresh reading. */
  readonly fetchText?: FetchText;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Tests: this process as the once-per-profile alert gate sees it (a second process on one profile). */
  readonly alertProcess?: AlertProcessOptions;
}

/**
 * Service metrics and the risk register, connected: every new set of indicators goes to
 * the UI (`metrics.signals`) and to the risk rules, and so do gauge samples and probe
 * results. Returns both services and the function that disconnects them.
 */
export function createSignals(deps: SignalsWiringDeps): { metrics: MetricsService; risks: RiskService; close(): void } {
  // One gate for indicator alerts and risk warnings: the app and `firebreak serve` on one
  // profile both evaluate them, and each crossing is recorded once (like gauge alerts).
  const gate = profileAlertGate(deps.db, deps.timeline, deps.alertProcess);
  const risks = new RiskService({ ...deps, alertGate: gate });
  const alerts = new SignalAlerts(
    (alert) => {
      // Act now: on the incident that receives alerts, like a gauge alert, and in the console.
      const incidentId = deps.alertTarget();
      if (incidentId !== null) {
        try {
          gate.record(`signal:${alert.indicator}`, alert.alert, new Date(alert.at).toISOString(), { incidentId, kind: 'signal.alert', data: { ...alert } });
        } catch {
          // The incident closed meanwhile: the console still shows it.
        }
      }
      deps.events.emit('metrics.alert', { ...alert, incidentId });
    },
    (notice) => deps.events.emit('metrics.alert', { ...notice, incidentId: null }),
  );
  const metrics = new MetricsService({
    home: deps.home,
    clock: deps.clock,
    fetchText: deps.fetchText ?? createFetcher(deps.resolveTarget),
    recorder: new SignalRecorder(deps.home),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    onSignals: (view) => {
      deps.events.emit('metrics.signals', view);
      alerts.observe(view);
      risks.observeSignals(view);
    },
  });
  const stops = [
    deps.events.on('gauges.sample', (update) => void risks.observeGauge(update.sample)),
    deps.events.on('probes.result', ({ result }) => void risks.observeProbe(result)),
  ];
  return {
    metrics,
    risks,
    close: () => {
      metrics.stop();
      for (const stop of stops) stop();
    },
  };
}
