import { z } from 'zod';
import type { ActiveAlert, AlertsView, AlertTarget, GaugeUpdate, GaugeWindow, Level, MonitorAlert, ProbeResult, ProbesView, RulesView } from '../../../shared/monitor';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { invalidInput } from '../errors';
import type { EventBus } from '../events';
import type { IncidentService } from '../incidents';
import type { TimelineService } from '../timeline';
import { createDefaultSource } from '../gauges/linux-source';
import { GaugeHistoryRepository, MonitorSettingsRepository, PROBES_SETTINGS_KEY, RULES_SETTINGS_KEY, type HistoryQuery } from '../gauges/repository';
import { classify, DEFAULT_RULES, parseRulesConfig, type RulesConfig } from '../../../shared/gauge-rules';
import type { SamplerOptions } from '../gauges/sampler';
import { realScheduler, type Scheduler } from '../gauges/scheduler';
import { GaugeService } from '../gauges/service';
import { alertKey, timelineAlertSink } from '../gauges/timeline-sink';
import { LEVEL_RANK, type MetricSource } from '../gauges/types';
import { exportProbeSettings, importProbeSettings, parseProbeConfig, type ProbeConfig, type ProbeSettingsExport } from '../../../shared/probe-config';
import { ProbeRunner, type ProbeFns } from '../probes/runner';
import type { SecretStore } from '../probes/secret-store';
import { alertMachine } from '../../../shared/alert-routing';
import { LOCAL_TARGET } from '../../../shared/targets';
import { AlertHistory } from './alert-history';
import { AlertRoutes } from './alert-routes';
import { AlertTargetResolver } from './alert-target';

export interface MonitorOptions {
  /** Where gauge readings come from; default /proc on Linux, systeminformation elsewhere. Tests pass an OverridableSource. */
  readonly source?: MetricSource;
  readonly scheduler?: Scheduler;
  readonly sampler?: SamplerOptions;
  /** Replaces probe implementations (tests). */
  readonly probes?: Partial<ProbeFns>;
}

export interface MonitorDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly timeline: TimelineService;
  readonly incidents: IncidentService;
  readonly secrets: SecretStore;
  readonly options?: MonitorOptions;
}

/** How many past alerts the live tail keeps in memory (the whole history is in monitor_alerts). */
const RECENT_ALERTS = 100;

const ROUTE_KINDS: ReadonlySet<string> = new Set(['incident.target-added', 'incident.target-removed', 'alerts.pinned', 'alerts.unpinned', 'status.changed']);

const worse = (a: Level, b: Level): Level => (LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b);

/** zod errors from settings parsing become the boundary's invalid_input, naming the field. */
function asInvalidInput<T>(prefix: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof z.ZodError) {
      const issue = error.issues[0];
      throw invalidInput([prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.'), issue?.message ?? 'invalid');
    }
    if (error instanceof Error && !(error as { code?: unknown }).code) throw invalidInput(prefix || 'input', error.message);
    throw error;
  }
}

/**
 * The live monitor: gauges (sampler + rules + history) and service probes, composed for the
 * app and `firebreak serve`. Constructing it is cheap and starts nothing; one-shot CLI
 * commands use its settings without ever calling `start`. Every alert goes to the UI
 * (`alerts.changed`) and to the timeline of the alert target, if there is one.
 */
export class MonitorService {
  readonly settings: MonitorSettingsRepository;
  readonly history: GaugeHistoryRepository;
  readonly target: AlertTargetResolver;
  /** Which incidents receive alerts about which machine (affected targets and pins). */
  readonly routes: AlertRoutes;
  readonly alertHistory: AlertHistory;
  readonly gauges: GaugeService;
  readonly probes: ProbeRunner;
  private readonly active = new Map<string, MonitorAlert>();
  private recentAlerts: MonitorAlert[] = [];
  private started = false;
  private readonly stops: (() => void)[] = [];
  private readonly stopRouteWatch: () => void;

  constructor(private readonly deps: MonitorDeps) {
    const options = deps.options ?? {};
    this.settings = new MonitorSettingsRepository(deps.db, deps.clock);
    this.history = new GaugeHistoryRepository(deps.db);
    this.target = new AlertTargetResolver(deps.incidents, this.settings, deps.clock, deps.events);
    this.routes = new AlertRoutes(deps.db, deps.clock, deps.timeline);
    this.alertHistory = new AlertHistory(deps.db);
    const toTimeline = timelineAlertSink(deps.db, deps.timeline, (alert) => this.routes.incidentsFor(alertMachine({ ...alert })), {
      onError: (error) => console.error('firebreak: could not record an alert on the timeline:', error),
    });
    const onAlert = (alert: MonitorAlert) => {
      this.remember(alert);
      toTimeline(alert);
    };
    // Where this laptop's alerts go changes with an incident's targets, pins and status: the UI hears it at once.
    this.stopRouteWatch = deps.events.on('timeline.appended', ({ entry }) => {
      if (ROUTE_KINDS.has(entry.kind)) this.announceAlerts();
    });
    const scheduler = options.scheduler ?? realScheduler;
    this.gauges = new GaugeService({
      source: options.source ?? createDefaultSource(),
      clock: deps.clock,
      scheduler,
      onAlert,
      activeIncident: () => this.target.effective(),
      history: this.history,
      rules: this.storedRules(),
      ...(options.sampler ? { sampler: options.sampler } : {}),
    });
    this.probes = new ProbeRunner(this.storedProbeConfig(), {
      secrets: deps.secrets,
      clock: deps.clock,
      scheduler,
      ...(options.probes ? { probes: options.probes } : {}),
      onResult: (result) => deps.events.emit('probes.result', { result }),
      onAlert,
    });
  }

  get running(): boolean {
    return this.started;
  }

  /** Starts sampling and the probe schedule (app and `serve` only). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stops.push(this.gauges.onUpdate((update) => this.deps.events.emit('gauges.sample', this.withDisplay(update))));
    this.stops.push(this.gauges.onProcesses((snapshot) => this.deps.events.emit('gauges.processes', snapshot)));
    this.probes.start();
    await this.gauges.start();
  }

  /** Stops everything and writes the open history bucket. Safe to call twice. */
  stop(): void {
    this.probes.stop();
    if (this.started) this.gauges.stop();
    this.started = false;
    for (const stop of this.stops.splice(0)) stop();
  }

  close(): void {
    this.stop();
    this.stopRouteWatch();
    this.target.close();
  }

  // ---- gauges ----

  recent(sinceMs?: number): GaugeWindow {
    const rules = this.gauges.rules();
    const updates = this.gauges.recent(sinceMs).map((sample) => this.withDisplay({ sample, levels: this.gauges.levels(sample) }, rules));
    return { updates, processes: this.gauges.processes(), windowMs: 15 * 60_000 };
  }

  historyRows(incidentId: number, query: HistoryQuery) {
    this.deps.incidents.get(incidentId);
    return this.history.list(incidentId, query);
  }

  rules(): RulesView {
    return { rules: this.gauges.rules(), defaults: DEFAULT_RULES };
  }

  setRules(input: unknown): RulesConfig {
    const config = asInvalidInput('', () => this.gauges.setRules(input));
    this.settings.set(RULES_SETTINGS_KEY, config, parseRulesConfig);
    return config;
  }

  // ---- probes ----

  probeConfig(): ProbeConfig {
    return this.probes.configuration;
  }

  async probesView(): Promise<ProbesView> {
    const config = this.probes.configuration;
    const refs = [...new Set(config.targets.map((t) => t.secretRef).filter((r): r is string => r !== undefined))];
    const secretsSet: string[] = [];
    for (const ref of refs) {
      try {
        if ((await this.deps.secrets.get(ref)) !== null) secretsSet.push(ref);
      } catch {
        // An undecryptable secret counts as not set: the form asks for it again.
      }
    }
    return { config, secretsSet, results: this.probes.results() };
  }

  async setProbeConfig(input: unknown): Promise<ProbesView> {
    const config = asInvalidInput('config', () => parseProbeConfig(input));
    this.settings.set(PROBES_SETTINGS_KEY, config, parseProbeConfig);
    this.probes.setConfig(config);
    // Targets that are gone no longer hold an alert.
    for (const [key, alert] of this.active) if (alert.source === 'probe' && !config.targets.some((t) => t.name === alert.probe)) this.active.delete(key);
    if (this.started) this.probes.start();
    this.announceAlerts();
    return this.probesView();
  }

  async runProbes(name?: string): Promise<ProbeResult[]> {
    if (name === undefined) return this.probes.runAll();
    if (!this.probes.configuration.targets.some((t) => t.name === name)) throw invalidInput('name', `no probe named "${name}"`);
    return [await this.probes.run(name)];
  }

  exportProbes(): ProbeSettingsExport {
    return exportProbeSettings(this.probes.configuration, new Date(this.deps.clock.now()));
  }

  async importProbes(document: unknown): Promise<{ view: ProbesView; stripped: string[] }> {
    const { config, stripped } = asInvalidInput('document', () => importProbeSettings(document));
    return { view: await this.setProbeConfig(config), stripped };
  }

  // ---- alerts ----

  alerts(): AlertsView {
    const active: ActiveAlert[] = [...this.active].map(([key, alert]) => ({ key, alert }));
    return { active, recent: this.recentAlerts, target: this.target.target(), localIncidents: this.routes.incidentsFor(LOCAL_TARGET), running: this.started };
  }

  setAlertTarget(incidentId: number | null): AlertTarget {
    const target = this.target.pin(incidentId);
    this.announceAlerts();
    return target;
  }

  private remember(alert: MonitorAlert): void {
    const key = alertKey(alert);
    if (alert.kind === 'alert.raised') this.active.set(key, alert);
    else this.active.delete(key);
    this.recentAlerts = [alert, ...this.recentAlerts].slice(0, RECENT_ALERTS);
    try {
      this.alertHistory.record(alert);
    } catch (error) {
      console.error('firebreak: could not record an alert in the alert history:', error);
    }
    this.announceAlerts();
  }

  private announceAlerts(): void {
    this.deps.events.emit('alerts.changed', this.alerts());
  }

  /** Display colours: the worse of the value's band now and the debounced alert level (a target's readings too). */
  withDisplay(update: Omit<GaugeUpdate, 'display'>, rules: RulesConfig = this.gauges.rules()): GaugeUpdate {
    const { sample, levels } = update;
    const band = (metric: 'cpu' | 'memory' | 'swap' | 'disk', value: number | undefined) => (value === undefined ? 'normal' : classify(rules, metric, value));
    const disks: Record<string, Level> = {};
    for (const disk of sample.disks ?? []) disks[disk.mount] = worse(levels.disks[disk.mount] ?? 'normal', band('disk', disk.percent));
    return {
      sample,
      levels,
      display: {
        cpu: worse(levels.cpu, band('cpu', sample.cpu?.total)),
        cores: (sample.cpu?.cores ?? []).map((core) => band('cpu', core)),
        memory: worse(levels.memory, band('memory', sample.memory?.percent)),
        swap: worse(levels.swap, band('swap', sample.memory?.swapTotalBytes ? sample.memory.swapPercent : undefined)),
        disks,
      },
    };
  }

  private storedRules(): RulesConfig {
    try {
      return this.settings.get(RULES_SETTINGS_KEY, parseRulesConfig) ?? DEFAULT_RULES;
    } catch {
      // Rules saved by another version that no longer parse: fall back to the seeds' defaults.
      return DEFAULT_RULES;
    }
  }

  private storedProbeConfig(): ProbeConfig {
    try {
      return this.settings.get(PROBES_SETTINGS_KEY, parseProbeConfig) ?? parseProbeConfig({});
    } catch {
      return parseProbeConfig({});
    }
  }
}
