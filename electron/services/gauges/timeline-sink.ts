import os from 'node:os';
import type { TimelineEntry } from '../../../shared/domain';
import type { Db } from '../db/open';
import { pidAlive } from '../pid-alive';
import type { ProbeAlert } from '../probes/types';
import type { AppendRequest } from '../timeline';
import type { GaugeAlert } from './alerts';

export type MonitorAlert = GaugeAlert | ProbeAlert;

/** The timeline entry for an alert: kind `alert.raised` / `alert.cleared`, the alert itself as data. */
export function alertTimelineRequest(incidentId: number, alert: MonitorAlert): AppendRequest {
  return { incidentId, kind: alert.kind, data: { ...alert } };
}

/** One alert condition, whatever its state: a gauge rule on a subject, or a probe. */
export function alertKey(alert: MonitorAlert): string {
  return alert.source === 'gauge' ? `gauge:${alert.rule}:${alert.subject}` : `probe:${alert.probe}`;
}

export interface AlertTimeline {
  appendInTransaction(request: AppendRequest): TimelineEntry;
  announce(entries: readonly TimelineEntry[]): void;
  get(id: number): TimelineEntry | undefined;
}

export interface AlertProcessOptions {
  /** This process, as other processes on the profile see it (tests stand in for a second one). */
  readonly pid?: number;
  readonly host?: string;
  readonly isAlive?: (pid: number) => boolean;
}

export interface AlertSinkOptions extends AlertProcessOptions {
  readonly onError?: (error: unknown, alert: MonitorAlert) => void;
}

/**
 * Two samplers see the same crossing within a few seconds of each other (their ticks and
 * debounces differ). A matching record older than this is not the other one's view of
 * this crossing, whatever its pid says (pids are reused after a reboot or a restore).
 */
const SAME_CROSSING_MS = 60_000;

/** Records an alert transition on a timeline once per profile (see profileAlertGate). */
export interface ProfileAlertGate {
  /**
   * Appends `request` unless another live process on this machine recorded the same `level`
   * for the same `key` moments before `at` (ISO time); returns the entry either way, and
   * announces it to this process's windows. Throws what the append throws.
   */
  record(key: string, level: string, at: string, request: AppendRequest): TimelineEntry | undefined;
}

/**
 * Each crossing is written once per profile: if another live process on this machine (the
 * app and `firebreak serve` on one profile) recorded the same transition for the same key
 * moments ago, this one stands down and only tells its own windows about that entry. Used
 * by gauge and probe alerts here, and by service-indicator alerts and risk early warnings.
 */
export function profileAlertGate(db: Db, timeline: AlertTimeline, options: AlertProcessOptions = {}): ProfileAlertGate {
  const pid = options.pid ?? process.pid;
  const host = options.host ?? os.hostname();
  const isAlive = options.isAlive ?? pidAlive;
  const read = db.prepare<[string], { level: string; entry_id: number; pid: number; host: string; at: string }>(
    'SELECT level, entry_id, pid, host, at FROM monitor_alert_state WHERE key = ?',
  );
  const write = db.prepare(
    `INSERT INTO monitor_alert_state (key, incident_id, level, entry_id, pid, host, at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET incident_id = excluded.incident_id, level = excluded.level, entry_id = excluded.entry_id,
       pid = excluded.pid, host = excluded.host, at = excluded.at`,
  );
  const sameCrossing = (last: { level: string; pid: number; host: string; at: string }, level: string, at: string): boolean =>
    last.level === level &&
    last.host === host &&
    last.pid !== pid &&
    Math.abs(Date.parse(at) - Date.parse(last.at)) < SAME_CROSSING_MS &&
    isAlive(last.pid);
  return {
    record(key, level, at, request) {
      const entry = db
        .transaction((): TimelineEntry | undefined => {
          const last = read.get(key);
          if (last && sameCrossing(last, level, at)) return timeline.get(last.entry_id);
          const appended = timeline.appendInTransaction(request);
          write.run(key, request.incidentId, level, appended.id, pid, host, at);
          return appended;
        })
        .immediate();
      // Announced either way: this process's windows show the entry whoever wrote it.
      if (entry) timeline.announce([entry]);
      return entry;
    },
  };
}

/**
 * An alert sink that appends gauge and probe alerts to the timelines of the incidents that
 * receive alerts about the alert's machine (`incidentsFor`: affected targets and pins; none,
 * and the alert stays in the console), once per profile and incident (profileAlertGate).
 * Append failures go to `onError`, never to the sampler.
 */
export function timelineAlertSink(
  db: Db,
  timeline: AlertTimeline,
  incidentsFor: (alert: MonitorAlert) => readonly number[],
  options: AlertSinkOptions = {},
): (alert: MonitorAlert) => void {
  const gate = profileAlertGate(db, timeline, options);
  return (alert) => {
    try {
      for (const incidentId of incidentsFor(alert)) {
        gate.record(`${alertKey(alert)}#${incidentId}`, `${alert.kind}:${alert.to}`, alert.at, alertTimelineRequest(incidentId, alert));
      }
    } catch (error) {
      options.onError?.(error, alert);
    }
  };
}
