import { DEFAULT_RULES, type RulesConfig } from '../../../shared/gauge-rules';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { EventBus } from '../events';
import { GaugeService, type GaugeUpdate } from '../gauges/service';
import { realScheduler, type Cancel, type Scheduler } from '../gauges/scheduler';
import type { GaugeAlert } from '../../../shared/gauges';
import type { TimelineService } from '../timeline';
import { RemoteProcSource } from './remote-source';
import type { TargetService } from './service';

export interface TargetGaugesDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly timeline: TimelineService;
  readonly targets: TargetService;
  readonly scheduler?: Scheduler;
  /** The seeds' thresholds and sustained rules, as for the laptop's gauges. */
  readonly rules?: () => RulesConfig;
  /** How often a lost gauge loop is restarted (the connection's own backoff still applies). */
  readonly retryMs?: number;
  readonly events?: EventBus;
}

interface Running {
  readonly service: GaugeService;
  readonly source: RemoteProcSource;
  unreachableSince: string | null;
  retry: Cancel | null;
}

/**
 * Gauges of remote targets: per target one GaugeService (same sampler, rules, hysteresis
 * and sustained windows as the laptop's) over a RemoteProcSource. Alerts go to the
 * timelines of the open incidents that list the target, with `host` naming it; a target
 * whose loop dies (connection lost, host down) raises `target.unreachable` there once,
 * and `target.reachable` when the loop is back.
 */
export class TargetGauges {
  private readonly running = new Map<string, Running>();

  constructor(private readonly deps: TargetGaugesDeps) {}

  /** Open incidents that list the target or pin its alerts. */
  incidentsOf(name: string): number[] {
    return this.deps.db
      .prepare<[string, string], { incident_id: number }>(
        `SELECT it.incident_id FROM incident_targets it JOIN incidents i ON i.id = it.incident_id WHERE it.target = ? AND i.status NOT IN ('resolved', 'closed')
         UNION
         SELECT p.incident_id FROM incident_alert_pins p JOIN incidents i ON i.id = p.incident_id WHERE p.machine = ? AND i.status NOT IN ('resolved', 'closed')
         ORDER BY 1`,
      )
      .all(name, name)
      .map((r) => r.incident_id);
  }

  private record(name: string, kind: string, data: Record<string, unknown>): void {
    const incidents = this.incidentsOf(name);
    if (incidents.length === 0) return;
    this.deps.timeline.appendMany(incidents.map((incidentId) => ({ incidentId, kind, data: { ...data, host: name } })));
  }

  /** Starts sampling a target at 1 Hz (idempotent); rejects when it cannot be reached now. */
  async start(name: string): Promise<GaugeService> {
    const existing = this.running.get(name);
    if (existing) return existing.service;
    const target = this.deps.targets.ssh(name);
    const scheduler = this.deps.scheduler ?? realScheduler;
    let entry: Running | undefined;
    const source = new RemoteProcSource(target, () => this.deps.clock.now(), (why) => entry && this.lost(name, entry, why));
    const service = new GaugeService({
      source,
      clock: this.deps.clock,
      scheduler,
      rules: this.deps.rules?.() ?? DEFAULT_RULES,
      // Process lists are not sampled remotely; disks come with every tenth frame.
      sampler: { processIntervalMs: 0 },
      activeIncident: () => null,
      onAlert: (alert: GaugeAlert) => this.record(name, alert.kind, { ...alert }),
    });
    entry = { service, source, unreachableSince: null, retry: null };
    this.running.set(name, entry);
    try {
      await source.prime();
      // The first sample then already has a reading (the budget: within 2 s).
      // The prelude and the first full frame, a fifth of a second apart: a first sample with real rates.
      await source.frames(2);
      await service.start();
    } catch (error) {
      this.running.delete(name);
      service.stop();
      throw error;
    }
    return service;
  }

  private lost(name: string, entry: Running, why: string): void {
    if (this.running.get(name) !== entry) return;
    if (entry.unreachableSince === null) {
      entry.unreachableSince = new Date(this.deps.clock.now()).toISOString();
      this.record(name, 'target.unreachable', { since: entry.unreachableSince, message: why });
    }
    const scheduler = this.deps.scheduler ?? realScheduler;
    entry.retry?.();
    entry.retry = scheduler.setTimeout(() => {
      entry.retry = null;
      if (this.running.get(name) !== entry) return;
      entry.source.prime().then(
        () => {
          this.record(name, 'target.reachable', { unreachableSince: entry.unreachableSince });
          entry.unreachableSince = null;
        },
        (error: unknown) => this.lost(name, entry, error instanceof Error ? error.message : String(error)),
      );
    }, this.deps.retryMs ?? 5_000);
  }

  latest(name: string): GaugeUpdate | null {
    const entry = this.running.get(name);
    const sample = entry?.service.sampler.latest();
    return entry && sample ? { sample, levels: entry.service.levels(sample) } : null;
  }

  service(name: string): GaugeService | undefined {
    return this.running.get(name)?.service;
  }

  stop(name: string): void {
    const entry = this.running.get(name);
    if (!entry) return;
    this.running.delete(name);
    entry.retry?.();
    entry.service.stop();
    entry.source.stop();
  }

  close(): void {
    for (const name of [...this.running.keys()]) this.stop(name);
  }
}
