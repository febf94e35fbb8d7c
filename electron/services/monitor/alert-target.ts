import type { AlertTarget } from '../../../shared/monitor';
import { statusIndex } from '../../../shared/lifecycle';
import type { Clock } from '../clock';
import { ServiceError } from '../errors';
import type { EventBus } from '../events';
import type { IncidentService } from '../incidents';
import type { MonitorSettingsRepository } from '../gauges/repository';

export const ALERT_TARGET_SETTINGS_KEY = 'monitor.alertTarget';

/** Recomputed at most this often; incident changes invalidate it at once. */
const CACHE_MS = 5_000;

const parsePinned = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null);

/**
 * Which incident receives alerts and gauge history: the one the user pinned (while it is
 * still open), else the most urgent open incident (the order of the incident list), else
 * none. The sampler asks every second, so the answer is cached and dropped whenever an
 * incident changes; the pin is a setting, shared with the CLI and across restarts.
 */
export class AlertTargetResolver {
  private cached: { at: number; target: AlertTarget } | null = null;
  private readonly stop: () => void;

  constructor(
    private readonly incidents: IncidentService,
    private readonly settings: MonitorSettingsRepository,
    private readonly clock: Clock,
    events: EventBus,
  ) {
    this.stop = events.on('incidents.changed', () => this.invalidate());
  }

  invalidate(): void {
    this.cached = null;
  }

  close(): void {
    this.stop();
  }

  pinned(): number | null {
    return this.settings.get(ALERT_TARGET_SETTINGS_KEY, parsePinned) ?? null;
  }

  /** Pins an incident (null: back to automatic). Throws not_found for an unknown incident. */
  pin(incidentId: number | null): AlertTarget {
    if (incidentId !== null) this.incidents.get(incidentId);
    this.settings.set(ALERT_TARGET_SETTINGS_KEY, incidentId, parsePinned);
    this.invalidate();
    return this.target();
  }

  target(): AlertTarget {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < CACHE_MS && now >= this.cached.at) return this.cached.target;
    const target = this.resolve();
    this.cached = { at: now, target };
    return target;
  }

  effective(): number | null {
    return this.target().effective;
  }

  private resolve(): AlertTarget {
    const pinned = this.pinned();
    // A pinned incident that was resolved or closed no longer collects alerts.
    if (pinned !== null && this.isOpen(pinned)) return { pinned, effective: pinned, reason: 'pinned' };
    // The first row of the incident list's order: one row read, not every open incident built and sorted.
    const [first] = this.incidents.page({ openOnly: true }, 0, 1).incidents;
    return first ? { pinned, effective: first.id, reason: 'most-urgent' } : { pinned, effective: null, reason: 'none' };
  }

  private isOpen(id: number): boolean {
    try {
      return statusIndex(this.incidents.get(id).status) < statusIndex('resolved');
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'not_found') return false;
      throw error;
    }
  }
}
