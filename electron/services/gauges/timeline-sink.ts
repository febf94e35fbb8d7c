import type { ProbeAlert } from '../probes/types';
import os from 'node:os';
import type { Db } from '../db/open';
import type { TimelineEntry } from '../../../shared/domain';
import type { AppendRequest } from '../timeline';
import type { GaugeAlert } from './alerts';
import { pidAlive } from '../pid-alive';

export type MonitorAlert = GaugeAlert | ProbeAlert;

/** The timeline entry for an alert: kind `alert.raised` / `alert.cleared`, the alert itself as data. */
export function alertTimelineRequest(incidentId: number, alert: MonitorAlert): AppendRequest {
  return { incidentId, kind: alert.kind, data: { ...alert } };
}

/** One alert condition, whatever its state: a gauge rule on a subject, or a probe. */
export function alertKey(alert: MonitorAlert): string {
  return alert.source === 'gauge' ? `gauge:${alert.rule}:${alert.subject}` : `probe:${alert.probe}`;
}

interface AlertTimeline {
  appendInTransaction(request: AppendRequest): TimelineEntry;
  announce(entries: readonly TimelineEntry[]): void;
}

export interface AlertSinkOptions {
  readonly onError?: (error: unknown, alert: MonitorAlert) => void;
  /** This process, as other processes on the profile see it (tests stand in for a second one). */
  readonly pid?: number;
  readonly host?: string;
  readonly isAlive?: (pid: number) => boolean;
}


/**
 * An alert sink that appends gauge and probe alerts to the active incident's timeline (and
 * drops them when no incident is open). Append failures go to `onError`, never to the sampler.
 *
 * Each crossing is written once per profile: if another live process on this machine (the
 * app and `firebreak serve` on one profile) already recorded the same state for the same
 * alert on that incident, this one stands down. A state left by a process that is gone does
 * not count, so after a restart an alert that is still on is recorded again.
 */
export function timelineAlertSink(
  db: Db,
  timeline: AlertTimeline,
  activeIncident: () => number | null,
  options: AlertSinkOptions = {},
): (alert: MonitorAlert) => void {
  const pid = options.pid ?? process.pid;
  const host = options.host ?? os.hostname();
  const isAlive = options.isAlive ?? pidAlive;
  const read = db.prepare<[number, string], { state: string; pid: number; host: string }>('SELECT state, pid, host FROM monitor_alert_state WHERE incident_id = ? AND key = ?');
  const write = db.prepare(
    `INSERT INTO monitor_alert_state (incident_id, key, state, pid, host, changed_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (incident_id, key) DO UPDATE SET state = excluded.state, pid = excluded.pid, host = excluded.host, changed_at = excluded.changed_at`,
  );
  return (alert) => {
    const incidentId = activeIncident();
    if (incidentId === null) return;
    const key = alertKey(alert);
    const state = alert.kind === 'alert.raised' ? 'raised' : 'cleared';
    try {
      const entry = db
        .transaction(() => {
          const last = read.get(incidentId, key);
          if (last && last.state === state && last.host === host && last.pid !== pid && isAlive(last.pid)) return undefined;
          write.run(incidentId, key, state, pid, host, alert.at);
          return timeline.appendInTransaction(alertTimelineRequest(incidentId, alert));
        })
        .immediate();
      if (entry) timeline.announce([entry]);
    } catch (error) {
      options.onError?.(error, alert);
    }
  };
}
