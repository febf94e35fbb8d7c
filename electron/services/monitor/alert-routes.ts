import { namesMachine } from '../../../shared/alert-routing';
import { LOCAL_TARGET } from '../../../shared/targets';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { conflict, invalidInput, notFound } from '../errors';
import type { TimelineService } from '../timeline';
import { parseTargetName } from '../targets/quote';

/**
 * Which incidents receive alerts about a machine: the open incidents that list it as an
 * affected target, or to which the operator pinned its alerts. Nothing else: load on this
 * laptop is not news for an incident about a server unless someone says so.
 */
export class AlertRoutes {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly timeline: TimelineService,
  ) {}

  /** Open incidents receiving alerts about `machine` (`local` or a host), ascending. */
  incidentsFor(machine: string): number[] {
    const rows = this.db
      .prepare<[], { incident_id: number; name: string }>(
        `SELECT it.incident_id, it.target AS name FROM incident_targets it JOIN incidents i ON i.id = it.incident_id
           WHERE i.status NOT IN ('resolved', 'closed')
         UNION
         SELECT p.incident_id, p.machine AS name FROM incident_alert_pins p JOIN incidents i ON i.id = p.incident_id
           WHERE i.status NOT IN ('resolved', 'closed')`,
      )
      .all();
    const ids = new Set<number>();
    for (const row of rows) if (namesMachine(row.name, machine)) ids.add(row.incident_id);
    return [...ids].sort((a, b) => a - b);
  }

  pins(incidentId: number): string[] {
    return this.db
      .prepare<[number], { machine: string }>('SELECT machine FROM incident_alert_pins WHERE incident_id = ? ORDER BY pinned_at, machine')
      .all(incidentId)
      .map((r) => r.machine);
  }

  /** Sends the machine's alerts to the incident; recorded on its timeline. */
  pin(incidentId: number, raw: string): void {
    const machine = vetMachine(raw);
    if (!this.db.prepare('SELECT 1 FROM incidents WHERE id = ?').get(incidentId)) throw notFound(`incident ${incidentId}`);
    const at = new Date(this.clock.now()).toISOString();
    const entry = this.db
      .transaction(() => {
        const result = this.db.prepare('INSERT OR IGNORE INTO incident_alert_pins (incident_id, machine, pinned_at) VALUES (?, ?, ?)').run(incidentId, machine, at);
        return result.changes === 0 ? undefined : this.timeline.appendInTransaction({ incidentId, kind: 'alerts.pinned', data: { target: machine } });
      })
      .immediate();
    if (!entry) throw conflict(`alerts of ${machine} are already pinned to this incident`);
    this.timeline.announce([entry]);
  }

  unpin(incidentId: number, raw: string): void {
    const machine = vetMachine(raw);
    const entry = this.db
      .transaction(() => {
        const result = this.db.prepare('DELETE FROM incident_alert_pins WHERE incident_id = ? AND machine = ?').run(incidentId, machine);
        return result.changes === 0 ? undefined : this.timeline.appendInTransaction({ incidentId, kind: 'alerts.unpinned', data: { target: machine } });
      })
      .immediate();
    if (!entry) throw notFound(`a pin of ${machine}'s alerts on incident ${incidentId}`);
    this.timeline.announce([entry]);
  }
}

function vetMachine(raw: string): string {
  const name = raw.trim();
  if (name === LOCAL_TARGET) return name;
  try {
    return parseTargetName(name).name;
  } catch (error) {
    throw invalidInput('target', (error as Error).message);
  }
}
