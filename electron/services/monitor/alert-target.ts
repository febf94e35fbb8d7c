import type { AlertTarget } from '../../../shared/monitor';
import { statusIndex } from '../../../shared/lifecycle';
import { compareUrgency } from '../../../shared/urgency';
import type { Clock } from '../clock';
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
    const target = this.resolve(now);
    this.cached = { at: now, target };
    return target;
  }

  effective(): number | null {
    return this.target().effective;
  }

  private resolve(now: number): AlertTarget {
    const pinned = this.pinned();
    const open = this.incidents.list({ openOnly: true });
    if (pinned !== null) {
      const incident = open.find((i) => i.id === pinned);
      // A pinned incident that was resolved or closed no longer collects alerts.
      if (incident && statusIndex(incident.status) < statusIndex('resolved')) return { pinned, effective: pinned, reason: 'pinned' };
    }
    const [first] = open.sort((a, b) => compareUrgency(a, b, now));
    return first ? { pinned, effective: first.id, reason: 'most-urgent' } : { pinned, effective: null, reason: 'none' };
  }
}
