import type { Clock } from '../clock';
import { AlertEngine, type AlertSink, type GaugeAlert } from './alerts';
import { Downsampler } from './downsample';
import type { GaugeHistoryRepository } from './repository';
import { DEFAULT_RULES, parseRulesConfig, type RulesConfig } from '../../../shared/gauge-rules';
import { GaugeSampler, type SamplerOptions, type SamplerStats } from './sampler';
import type { Scheduler } from './scheduler';
import { measurements, type GaugeSample, type Level, type MetricSource, type ProcessSnapshot } from './types';

import type { GaugeLevels } from '../../../shared/monitor';

export type { GaugeLevels } from '../../../shared/monitor';

/** What the UI receives every second (event `gauges.sample`). */
export interface GaugeUpdate {
  readonly sample: GaugeSample;
  readonly levels: GaugeLevels;
}

export interface GaugeServiceDeps {
  readonly source: MetricSource;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  /** Every alert (raised and cleared); the caller appends it to the active incident's timeline. */
  readonly onAlert: AlertSink;
  /** The incident whose timeline/history receives data now, or null. */
  readonly activeIncident: () => number | null;
  /** Where downsampled history goes while an incident is open (omit to keep nothing). */
  readonly history?: GaugeHistoryRepository;
  readonly rules?: RulesConfig;
  readonly sampler?: SamplerOptions;
  /** Downsampling bucket; default one minute. */
  readonly bucketMs?: number;
}

/**
 * Sampler + rules + history, wired: each sample is checked against the rules (alerts go to
 * `onAlert`), folded into one-minute min/avg/max rows (written for the active incident),
 * and handed to listeners with the current levels.
 */
export class GaugeService {
  readonly sampler: GaugeSampler;
  private readonly engine: AlertEngine;
  private readonly downsampler: Downsampler;
  private rulesConfig: RulesConfig;
  private bucketIncident: number | null = null;
  private readonly listeners = new Set<(update: GaugeUpdate) => void>();
  private unsubscribe: (() => void) | null = null;
  private persistErrors = 0;

  constructor(private readonly deps: GaugeServiceDeps) {
    this.rulesConfig = deps.rules ?? DEFAULT_RULES;
    this.sampler = new GaugeSampler(deps.source, deps.clock, deps.scheduler, deps.sampler);
    this.engine = new AlertEngine(this.rulesConfig, deps.onAlert);
    this.downsampler = new Downsampler(deps.bucketMs ?? 60_000);
  }

  async start(): Promise<void> {
    this.unsubscribe ??= this.sampler.onSample((sample) => this.handle(sample));
    await this.sampler.start();
  }

  /** Stops sampling and writes the open bucket for the active incident. */
  stop(): void {
    this.sampler.stop();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.persist(this.downsampler.flush());
  }

  onUpdate(listener: (update: GaugeUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onProcesses(listener: (snapshot: ProcessSnapshot) => void): () => void {
    return this.sampler.onProcesses(listener);
  }

  rules(): RulesConfig {
    return this.rulesConfig;
  }

  /** Validates (zod) and applies edited rules; throws ZodError on bad input. */
  setRules(input: unknown): RulesConfig {
    const config = parseRulesConfig(input);
    this.rulesConfig = config;
    this.engine.setConfig(config);
    return config;
  }

  recent(sinceMs?: number): GaugeSample[] {
    return this.sampler.recent(sinceMs);
  }

  processes(): ProcessSnapshot | null {
    return this.sampler.processes();
  }

  refreshProcesses(): Promise<ProcessSnapshot | null> {
    return this.sampler.refreshProcesses();
  }

  activeAlerts(): ReturnType<AlertEngine['active']> {
    return this.engine.active();
  }

  stats(): SamplerStats & { persistErrors: number } {
    return { ...this.sampler.getStats(), persistErrors: this.persistErrors };
  }

  levels(sample: GaugeSample | undefined = this.sampler.latest()): GaugeLevels {
    const disks: Record<string, Level> = {};
    for (const disk of sample?.disks ?? []) disks[disk.mount] = this.engine.levelOf('disk', disk.mount);
    return { cpu: this.engine.levelOf('cpu'), memory: this.engine.levelOf('memory'), swap: this.engine.levelOf('swap'), disks };
  }

  /** Exposed for tests and for the "force a sample" debug action. */
  handle(sample: GaugeSample): GaugeAlert[] {
    const alerts = this.engine.evaluate(sample.at, measurements(sample));
    const incident = this.deps.activeIncident();
    if (incident !== this.bucketIncident) {
      // The incident changed mid-bucket: the part so far belongs to the previous one.
      this.persist(this.downsampler.flush());
      this.bucketIncident = incident;
    }
    this.persist(this.downsampler.add(sample));
    const update: GaugeUpdate = { sample, levels: this.levels(sample) };
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch {
        // A failing listener must not stop the gauges.
      }
    }
    return alerts;
  }

  private persist(rows: ReturnType<Downsampler['flush']>): void {
    if (rows.length === 0 || this.bucketIncident === null || !this.deps.history) return;
    try {
      this.deps.history.write(this.bucketIncident, rows);
    } catch {
      // e.g. the incident was deleted or the database is busy: history is best-effort.
      this.persistErrors++;
    }
  }
}
