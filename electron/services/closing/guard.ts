import type { ChannelParsed } from '../../../shared/contract';
import { describeGap, POSTMORTEM_FIELDS, type CloseGap, type CloseReadiness, type PostmortemField } from '../../../shared/closing';
import type { IncidentView } from '../../../shared/domain';
import { statusIndex, type IncidentStatus } from '../../../shared/lifecycle';
import { noteField } from '../../../shared/note-fields';
import type { Db } from '../db/open';
import { invalidInput } from '../errors';
import { formatIncidentRef, type IncidentService } from '../incidents';
import type { RunbookRunService } from '../runbook-runs/service';
import type { TerminalService } from '../terminals';

export interface CloseGuardDeps {
  readonly db: Db;
  readonly incidents: IncidentService;
  readonly runbooks: Pick<RunbookRunService, 'list'>;
  readonly terminals: Pick<TerminalService, 'list' | 'runningCommands'>;
}

/** Items named per gap; the count says how many there are in all. */
const MAX_ITEMS = 12;

/**
 * Resolve and close are checked here, for the UI and the CLI alike (both reach it through
 * `incidents.transition`): what the incident still lacks is listed, and going ahead anyway
 * needs a reason, recorded on the timeline together with what was missing.
 */
export class CloseGuard {
  constructor(private readonly deps: CloseGuardDeps) {}

  check(id: number, to: IncidentStatus): CloseReadiness {
    const incident = this.deps.incidents.get(id);
    const gaps: CloseGap[] = [];
    if (statusIndex(to) < statusIndex('resolved')) return { incidentId: id, to, gaps };
    const closing = to === 'closed';
    if (incident.responder.trim() === '') gaps.push({ kind: 'responder', count: 1, items: [] });
    const fields = this.noteFields(id);
    if (!fields.has('rootCause')) gaps.push({ kind: 'rootCause', count: 1, items: [] });

    const pending: string[] = [];
    for (const run of this.deps.runbooks.list(id)) {
      for (const phase of run.runbook.phases) {
        for (const step of phase.steps) {
          if ((run.steps[step.id]?.status ?? 'pending') === 'pending') pending.push(`${run.runbook.title} › ${step.text}`);
        }
      }
    }
    if (pending.length) gaps.push({ kind: 'pendingSteps', count: pending.length, items: pending.slice(0, MAX_ITEMS) });

    const running = this.deps.terminals.runningCommands(id);
    if (running.length) gaps.push({ kind: 'runningCommands', count: running.length, items: running.slice(0, MAX_ITEMS).map((r) => r.command) });

    if (closing) {
      // Closing ends the incident's terminals (nothing may run on a closed incident): say so first.
      const open = this.deps.terminals.list(id).filter((t) => t.running);
      if (open.length) gaps.push({ kind: 'openTerminals', count: open.length, items: open.slice(0, MAX_ITEMS).map((t) => `${t.shell} (pid ${t.pid})`) });
      const empty = POSTMORTEM_FIELDS.filter((f: PostmortemField) => !fields.has(f));
      if (empty.length) gaps.push({ kind: 'postmortem', count: empty.length, items: empty });
    }
    return { incidentId: id, to, gaps };
  }

  /** `incidents.transition` with the check: gaps and no reason is refused, naming every gap. */
  transition(input: ChannelParsed<'incidents.transition'>): IncidentView {
    const { gaps } = this.check(input.id, input.to);
    if (gaps.length === 0) return this.deps.incidents.transition(input);
    const lines = gaps.map(describeGap);
    if ((input.reason?.trim() ?? '') === '') {
      throw invalidInput('reason', `${formatIncidentRef(input.id)} is not ready to be ${input.to}: ${lines.join('; ')}. Give a reason to go ahead anyway`);
    }
    return this.deps.incidents.transition(input, lines);
  }

  /** Which report fields the incident's notes fill ("Root cause: …"). */
  private noteFields(id: number): Set<string> {
    const found = new Set<string>();
    const rows = this.deps.db.prepare<[number], { data: string }>(`SELECT data FROM timeline WHERE incident_id = ? AND kind = 'note'`).iterate(id);
    for (const row of rows) {
      const text = (JSON.parse(row.data) as { text?: unknown }).text;
      const field = typeof text === 'string' ? noteField(text) : undefined;
      if (field) found.add(field.field);
    }
    return found;
  }
}
