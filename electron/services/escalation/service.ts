import type { IncidentView, TimelineEntry } from '../../../shared/domain';
import {
  allowsAnyHour,
  DEFAULT_ESCALATION_POLICY,
  updateCadenceMs,
  isInCover,
  type ContactVia,
  type EscalationHistory,
  type EscalationLevel,
  type EscalationPolicy,
  type EscalationPolicyView,
  type EscalationRecord,
  type EscalationState,
  type EscalationSuggestion,
  type SentUpdate,
  type SuggestedContact,
  type SuggestionFacts,
  type SuggestionTrigger,
  type UpdateChannel,
  type UpdateLanguage,
} from '../../../shared/escalation';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { conflict, invalidInput, notFound } from '../errors';
import type { EventBus } from '../events';
import { formatIncidentRef, type IncidentService } from '../incidents';
import { PeriodicCheck } from '../periodic-check';
import { toEntry, type TimelineRow, type TimelineService } from '../timeline';
import type { ContactDirectory } from './contacts';
import type { OnCallRotation } from './rotation';
import { NOT_PROGRESS_SQL, findTriggers, type TriggerFacts } from './suggest';

// Escalations are timeline entries (escalation.escalated / .acknowledged / .suggested), so
// they are hash-chained and reach the report with everything else; the level of an incident
// is the highest level it was escalated to (1 before anyone escalates: the on-call operator).

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface EscalationDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly incidents: IncidentService;
  readonly timeline: TimelineService;
  readonly contacts: ContactDirectory;
  readonly rotation: OnCallRotation;
  readonly events?: EventBus;
  /** The operator's policy file (escalation-policy.yaml); seed 004's defaults without one. */
  readonly policy?: EscalationPolicySource;
}

export interface EscalationPolicySource {
  readonly path: string;
  load(): EscalationPolicy;
  save(policy: EscalationPolicy): void;
}

/** Reads an incident's escalation entries into the view the UI, CLI and report use. */
export function readEscalationState(incidentId: number, entries: Iterable<TimelineEntry>): EscalationHistory {
  const escalations: EscalationRecord[] = [];
  const suggestions: EscalationSuggestion[] = [];
  const updates: SentUpdate[] = [];
  const acks = new Map<number, string>();
  for (const e of entries) {
    const d = e.data;
    switch (e.kind) {
      case 'escalation.escalated':
        escalations.push({ entryId: e.id, at: e.at, actor: e.actor, level: d.level as EscalationLevel, contact: str(d.contact), via: (str(d.via) || null) as ContactVia | null, reason: str(d.reason), acknowledgedAt: null });
        break;
      case 'escalation.acknowledged':
        if (typeof d.escalationEntryId === 'number' && !acks.has(d.escalationEntryId)) acks.set(d.escalationEntryId, e.at);
        break;
      case 'escalation.suggested':
        suggestions.push({
          entryId: e.id,
          at: e.at,
          trigger: d.trigger as SuggestionTrigger,
          level: d.level as EscalationLevel,
          detail: str(d.detail),
          facts: d.facts && typeof d.facts === 'object' ? (d.facts as SuggestionFacts) : {},
          contacts: Array.isArray(d.contacts) ? (d.contacts as SuggestedContact[]) : [],
          open: true,
        });
        break;
      case 'update.sent':
        updates.push({
          entryId: e.id,
          at: e.at,
          actor: e.actor,
          language: (str(d.language) || 'en') as UpdateLanguage,
          via: (str(d.via) || 'other') as UpdateChannel,
          sha256: str(d.sha256),
          text: str(d.text),
          dueAt: str(d.dueAt),
          onTime: d.onTime === true,
          path: str(d.path) || null,
        });
        break;
      default:
        break;
    }
  }
  const withAcks = escalations.map((x) => ({ ...x, acknowledgedAt: acks.get(x.entryId) ?? null }));
  const level = Math.max(1, ...escalations.map((x) => x.level)) as EscalationLevel;
  // A suggestion is settled once someone escalates to its level (or higher) after it.
  const settled = (s: EscalationSuggestion) => escalations.some((x) => x.level >= s.level && x.entryId > s.entryId);
  return {
    incidentId,
    level,
    escalations: withAcks,
    suggestions: suggestions.map((s) => ({ ...s, open: !settled(s) })),
    updates,
    lastUpdateAt: updates.length ? updates[updates.length - 1]!.at : null,
  };
}

export class EscalationService {
  private readonly watch = new PeriodicCheck('escalation', () => this.check());

  constructor(private readonly deps: EscalationDeps) {}

  state(incidentId: number): EscalationState {
    // Severity only: the full incident view counts its timeline, which a long incident pays for.
    const row = this.deps.db.prepare('SELECT severity FROM incidents WHERE id = ?').get(incidentId) as { severity: IncidentView['severity'] } | undefined;
    if (!row) throw notFound(`incident ${formatIncidentRef(incidentId)}`);
    const { policy, error } = this.policy();
    return { ...readEscalationState(incidentId, this.escalationEntries(incidentId)), updateCadenceMs: updateCadenceMs(row.severity, policy), policyError: error };
  }

  /**
   * The policy in force. A file that does not validate leaves seed 004's defaults in force and
   * says why (file:line: field), so a typo never stops suggestions or the update clock.
   */
  policy(): EscalationPolicyView {
    const source = this.deps.policy;
    if (!source) return { path: null, policy: DEFAULT_ESCALATION_POLICY, error: null };
    try {
      return { path: source.path, policy: source.load(), error: null };
    } catch (error) {
      return { path: source.path, policy: DEFAULT_ESCALATION_POLICY, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Sets one severity's update cadence in the policy file (the CLI's --cadence). A broken file is not overwritten. */
  setUpdateCadence(severity: IncidentView['severity'], minutes: number): EscalationPolicyView {
    const source = this.deps.policy;
    if (!source) throw conflict('this profile has no escalation policy file');
    const current = source.load(); // throws file:line: field for a broken file: fix it first
    source.save({ ...current, updateCadenceMinutes: { ...current.updateCadenceMinutes, [severity]: minutes } });
    return this.policy();
  }

  /** For the update service: the same rows, without checking the incident again. */
  entries(incidentId: number): TimelineEntry[] {
    return this.escalationEntries(incidentId);
  }

  /** incident id → level, for every incident escalated past Level 1. */
  levels(): Record<number, number> {
    const rows = this.deps.db
      .prepare<[], { incident_id: number; level: number }>(
        "SELECT incident_id, MAX(json_extract(data, '$.level')) AS level FROM timeline WHERE kind = 'escalation.escalated' GROUP BY incident_id",
      )
      .all();
    return Object.fromEntries(rows.map((r) => [r.incident_id, r.level]));
  }

  escalate(input: { incidentId: number; level: EscalationLevel; contact: string; via: ContactVia | null; reason: string }): EscalationState {
    const incident = this.deps.incidents.get(input.incidentId);
    if (incident.status === 'closed') throw conflict(`${formatIncidentRef(incident.id)} is closed; reopen it to escalate`);
    const known = input.contact.trim() ? this.deps.contacts.find(input.contact) : undefined;
    if (known && known.level !== null && known.level !== input.level && known.kind !== 'vendor') {
      throw invalidInput('contact', `${known.name} is a Level ${known.level} contact, not Level ${input.level}`);
    }
    const before = this.state(incident.id).level;
    this.deps.timeline.append({
      incidentId: incident.id,
      kind: 'escalation.escalated',
      data: {
        level: input.level,
        fromLevel: before,
        contact: known?.name ?? input.contact.trim(),
        ...(known ? { contactId: known.id } : {}),
        ...(input.via ? { via: input.via } : {}),
        reason: input.reason.trim(),
      },
    });
    return this.state(incident.id);
  }

  acknowledge(incidentId: number, entryId: number): EscalationState {
    const state = this.state(incidentId);
    const target = state.escalations.find((e) => e.entryId === entryId);
    if (!target) throw invalidInput('entryId', `#${entryId} is not an escalation of ${formatIncidentRef(incidentId)}`);
    if (target.acknowledgedAt) throw conflict(`${target.contact || `Level ${target.level}`} already acknowledged at ${target.acknowledgedAt}`);
    this.deps.timeline.append({ incidentId, kind: 'escalation.acknowledged', data: { escalationEntryId: entryId, contact: target.contact, level: target.level } });
    return this.state(incidentId);
  }

  /** Who to call at `level` now: on-call first for Level 1, only those in hours unless the severity allows any hour. */
  contactsFor(level: EscalationLevel, severity: IncidentView['severity'], nowMs: number): SuggestedContact[] {
    const { contacts, rotation } = this.deps;
    let pool = contacts.list().filter((c) => c.level === level);
    if (level === 1) {
      const onCall = rotation.at(nowMs);
      const names = [onCall.primary, onCall.secondary].filter((s) => s !== null).map((s) => s.name);
      if (names.length) {
        pool = names.map((name) => contacts.find(name) ?? { id: 0, name, kind: 'person', level: 1, role: 'on call', phone: '', email: '', chat: '', timeZone: 'UTC', hours: null, placeholder: false, notes: '' });
      }
    }
    const anyHour = allowsAnyHour(level, severity, this.policy().policy);
    return pool
      .map((c) => ({ name: c.name, id: c.id || null, inCover: isInCover(c, nowMs), placeholder: c.placeholder, phone: c.phone, email: c.email, chat: c.chat }))
      .filter((c) => anyHour || c.inCover);
  }

  /**
   * Checks the triggers of one incident (or every open one) and records a suggestion for
   * each new one, unless an open suggestion already asks for that level. Each trigger is
   * claimed in escalation_suggestions first, so it fires once across processes.
   */
  check(incidentId?: number): number {
    const nowMs = this.deps.clock.now();
    const incidents = incidentId === undefined ? this.deps.incidents.list({ openOnly: true }) : [this.deps.incidents.get(incidentId)];
    const claim = this.deps.db.prepare('INSERT OR IGNORE INTO escalation_suggestions (incident_id, trigger_key, claimed_at) VALUES (?, ?, ?)');
    let recorded = 0;
    const { policy } = this.policy();
    for (const incident of incidents) {
      for (const hit of findTriggers(incident, this.triggerFacts(incident.id), nowMs, policy)) {
        const entry = this.deps.db
          .transaction(() => {
            if (claim.run(incident.id, hit.key, new Date(nowMs).toISOString()).changes === 0) return undefined;
            const state = readEscalationState(incident.id, this.escalationEntries(incident.id));
            if (state.level >= 3) return undefined;
            const level = (state.level + 1) as EscalationLevel;
            if (state.suggestions.some((s) => s.open && s.level >= level)) return undefined;
            return this.deps.timeline.appendInTransaction({
              incidentId: incident.id,
              kind: 'escalation.suggested',
              data: { trigger: hit.trigger, key: hit.key, level, detail: hit.detail, facts: hit.facts, contacts: this.contactsFor(level, incident.severity, nowMs) },
            });
          })
          .immediate();
        if (entry) {
          recorded++;
          this.deps.timeline.announce([entry]);
        }
      }
    }
    return recorded;
  }

  start(intervalMs = 15_000): void {
    this.watch.start(intervalMs);
  }

  stop(): void {
    this.watch.stop();
  }

  /** Only the rows this feature reads, through the (incident_id, kind) index: a 100k-entry incident stays cheap. */
  private escalationEntries(incidentId: number): TimelineEntry[] {
    return this.deps.db
      .prepare<[number], TimelineRow>("SELECT * FROM timeline WHERE incident_id = ? AND kind IN ('escalation.escalated', 'escalation.acknowledged', 'escalation.suggested', 'update.sent') ORDER BY +seq")
      .all(incidentId)
      .map(toEntry);
  }

  private triggerFacts(incidentId: number): TriggerFacts {
    const severityChanges = this.deps.db
      .prepare<[number], TimelineRow>("SELECT * FROM timeline WHERE incident_id = ? AND kind = 'severity.changed' ORDER BY +seq")
      .all(incidentId)
      .map(toEntry);
    // Newest first on the (incident_id, seq) index; the first row that is progress ends the scan.
    const lastProgress = this.deps.db
      .prepare<[number], { seq: number; at: string }>(`SELECT seq, at FROM timeline WHERE incident_id = ? AND ${NOT_PROGRESS_SQL} ORDER BY seq DESC LIMIT 1`)
      .get(incidentId);
    return { severityChanges, lastProgress };
  }
}
