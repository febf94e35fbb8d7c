import { computeSlaClocks } from '../../shared/sla';
import type { Clock } from './clock';
import type { Db } from './db/open';
import type { EventBus } from './events';
import type { IncidentService } from './incidents';
import { PeriodicCheck } from './periodic-check';
import type { TimelineService } from './timeline';

/**
 * Watches the SLA clocks of open incidents and writes each breach to the timeline exactly
 * once. "Once" holds across processes: the sla_breaches primary key decides who writes it
 * when the app and the CLI watch the same database.
 */
export class SlaMonitor {
  private readonly watch = new PeriodicCheck('SLA', () => this.check());

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly incidents: IncidentService,
    private readonly timeline: TimelineService,
    private readonly events?: EventBus,
  ) {}

  /** Checks every open incident now; returns how many breaches were newly recorded. */
  check(): number {
    const now = this.clock.now();
    const claim = this.db.prepare('INSERT OR IGNORE INTO sla_breaches (incident_id, clock, breached_at) VALUES (?, ?, ?)');
    let recorded = 0;
    for (const incident of this.incidents.list({ openOnly: true })) {
      for (const clock of computeSlaClocks(incident, now)) {
        if (clock.level !== 'breached' || clock.stopped) continue;
        const breachedAt = new Date(now + clock.remainingMs).toISOString();
        const entry = this.db
          .transaction(() => {
            if (claim.run(incident.id, clock.kind, breachedAt).changes === 0) return undefined;
            return this.timeline.appendInTransaction({
              incidentId: incident.id,
              kind: 'sla.breached',
              data: { clock: clock.kind, severity: incident.severity, targetMs: clock.targetMs, breachedAt },
            });
          })
          .immediate();
        if (entry) {
          recorded++;
          this.timeline.announce([entry]);
          this.events?.emit('incidents.changed', { incident: this.incidents.get(incident.id) });
        }
      }
    }
    return recorded;
  }

  start(intervalMs = 5_000): void {
    this.watch.start(intervalMs);
  }

  stop(): void {
    this.watch.stop();
  }
}
