// Data shapes of the live monitor (gauges, probes, alerts) that both sides use. The readings
// and alerts are in ./gauges, the rules in ./gauge-rules and the probe settings in
// ./probe-config (pure modules, no Node APIs); the services import them from the contract.

import type { GaugeAlert, GaugeSample, Level, ProcessSnapshot } from './gauges';
import type { RulesConfig } from './gauge-rules';
import type { ProbeConfig, ProbeKind } from './probe-config';

export type {
  CpuReading,
  DiskIoReading,
  FsReading,
  GaugeAlert,
  GaugeMetric,
  GaugeSample,
  HistoryRow,
  Level,
  LoadReading,
  MemoryReading,
  NetworkReading,
  ProcessEntry,
  ProcessReading,
  ProcessSnapshot,
} from './gauges';
export type { GaugeRule, LevelRule, RulesConfig, RulesConfigInput, SustainedRule, Threshold } from './gauge-rules';
export type { HttpTarget, Neo4jTarget, ProbeConfig, ProbeConfigInput, ProbeKind, ProbeSettingsExport, ProbeTarget, RedisTarget, TcpTarget } from './probe-config';

// ---- Gauges ----

/** Alert state of the gauges the UI colours (from the rules, with hysteresis and hold). */
export interface GaugeLevels {
  readonly cpu: Level;
  readonly memory: Level;
  readonly swap: Level;
  /** By mount point. */
  readonly disks: Readonly<Record<string, Level>>;
}

/** What the UI receives every second (event `gauges.sample`). */
export interface GaugeUpdate {
  readonly sample: GaugeSample;
  /** Alert levels (debounced, with hysteresis and hold). */
  readonly levels: GaugeLevels;
  /**
   * Colours for display: the worse of the value's band right now (the seed dashboard's
   * normal/warning/danger) and the alert level, plus a band per core.
   */
  readonly display: GaugeLevels & { readonly cores: readonly Level[] };
}

/** `gauges.recent`: the in-memory window (up to 15 minutes) and the latest process list. */
export interface GaugeWindow {
  readonly updates: readonly GaugeUpdate[];
  readonly processes: ProcessSnapshot | null;
  readonly windowMs: number;
}

export interface RulesView {
  readonly rules: RulesConfig;
  /** The seeds' defaults, for "restore defaults". */
  readonly defaults: RulesConfig;
}

// ---- Probes ----

/** Health of a probed service, best first. */
export type ProbeState = 'ok' | 'warning' | 'danger' | 'down';

export type BreakerState = 'closed' | 'open' | 'half-open';

export type DetailValue = string | number | boolean | null;

/** A table row: safe to print, log and append to the timeline (no secrets). */
export interface ProbeResult {
  readonly name: string;
  readonly kind: ProbeKind;
  /** host:port or URL without credentials. */
  readonly target: string;
  readonly state: ProbeState;
  readonly latencyMs: number | null;
  /** Attempts made (0 when the breaker refused the run). */
  readonly attempts: number;
  readonly at: string;
  readonly durationMs: number;
  readonly breaker: BreakerState;
  /** While calls are paused (breaker open): when the next trial call is due (ISO). */
  readonly breakerRetryAt?: string | null;
  /** True when the breaker was open and the service was not contacted. */
  readonly skipped: boolean;
  readonly error: string | null;
  readonly details: Readonly<Record<string, DetailValue>>;
  readonly reasons: readonly string[];
}

/**
 * A probe's state change, for the timeline: appended as `kind` with the whole object as data
 * (same kinds as gauge alerts).
 */
export interface ProbeAlert {
  readonly kind: 'alert.raised' | 'alert.cleared';
  readonly source: 'probe';
  readonly probe: string;
  readonly probeKind: ProbeKind;
  readonly target: string;
  readonly from: ProbeState;
  readonly to: ProbeState;
  readonly at: string;
  readonly latencyMs: number | null;
  readonly error: string | null;
  readonly reasons: readonly string[];
  readonly breaker: BreakerState;
  readonly message: string;
}

/** `probes.config`: the settings (never secrets) and which secret refs are set. */
export interface ProbesView {
  readonly config: ProbeConfig;
  /** Refs named by targets that have a stored secret (the values never leave the main side). */
  readonly secretsSet: readonly string[];
  readonly results: readonly ProbeResult[];
}

// ---- Alerts ----

export type MonitorAlert = GaugeAlert | ProbeAlert;

/** An alert that is raised now (its latest `alert.raised`, not yet cleared). */
export interface ActiveAlert {
  /** Stable per rule+subject or per probe. */
  readonly key: string;
  readonly alert: MonitorAlert;
}

/**
 * Where alerts go: the incident the user pinned, else the most urgent open incident;
 * `effective` null means alerts are shown in the UI only.
 */
export interface AlertTarget {
  readonly pinned: number | null;
  readonly effective: number | null;
  readonly reason: 'pinned' | 'most-urgent' | 'none';
}

export interface AlertsView {
  readonly active: readonly ActiveAlert[];
  /** Newest first, bounded (the live tail; the whole history is `monitor.alertHistory`). */
  readonly recent: readonly MonitorAlert[];
  /** Where service-indicator alerts and gauge history go. */
  readonly target: AlertTarget;
  /**
   * Open incidents that receive this laptop's alerts: those that list it as an affected
   * target or pin its alerts (empty: the alerts stay in the console).
   */
  readonly localIncidents: readonly number[];
  /** Whether the sampler and probe schedule run in this process (app / serve). */
  readonly running: boolean;
}

/** One page of the alert history, newest first (`id` orders it). */
export interface AlertHistoryPage {
  readonly items: readonly { readonly id: number; readonly alert: MonitorAlert }[];
  /** Older rows exist below this page. */
  readonly hasMore: boolean;
  readonly total: number;
}

export function isMonitorAlertKind(kind: string): kind is MonitorAlert['kind'] {
  return kind === 'alert.raised' || kind === 'alert.cleared';
}
