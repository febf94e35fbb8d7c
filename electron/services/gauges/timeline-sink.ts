import type { ProbeAlert } from '../probes/types';
import type { AppendRequest } from '../timeline';
import type { GaugeAlert } from './alerts';

export type MonitorAlert = GaugeAlert | ProbeAlert;

/** The timeline entry for an alert: kind `alert.raised` / `alert.cleared`, the alert itself as data. */
export function alertTimelineRequest(incidentId: number, alert: MonitorAlert): AppendRequest {
  return { incidentId, kind: alert.kind, data: { ...alert } };
}

/**
 * An alert sink that appends gauge and probe alerts to the active incident's timeline (and
 * drops them when no incident is open). Append failures go to `onError`, never to the sampler.
 */
export function timelineAlertSink(
  timeline: { append(request: AppendRequest): unknown },
  activeIncident: () => number | null,
  onError: (error: unknown, alert: MonitorAlert) => void = () => undefined,
): (alert: MonitorAlert) => void {
  return (alert) => {
    const incidentId = activeIncident();
    if (incidentId === null) return;
    try {
      timeline.append(alertTimelineRequest(incidentId, alert));
    } catch (error) {
      onError(error, alert);
    }
  };
}
