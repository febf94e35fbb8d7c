import type { IncidentView, TimelineEntry } from '../../../shared/domain';
import { DEFAULT_ESCALATION_POLICY, noProgressMs, type EscalationPolicy, type SuggestionFacts, type SuggestionTrigger } from '../../../shared/escalation';
import { formatDuration } from '../../../shared/duration';
import { SEVERITY_TARGETS, type Severity } from '../../../shared/severity';
import { computeSlaClocks } from '../../../shared/sla';

// When to suggest escalating (issue 17): an SLA clock about to breach, a breach, a severity
// raised to critical or high, or no progress for a severity-dependent time. Each trigger
// has a key that names its occurrence, so the service can claim it once and never repeat it.

export interface TriggerHit {
  /** Unique per occurrence: "sla.warning:response", "severity.raised:7", "no.progress:12". */
  readonly key: string;
  readonly trigger: SuggestionTrigger;
  /** In English, for the CLI and for readers of the raw record. */
  readonly detail: string;
  /** The numbers behind it, so the UI and reports can word it in their language. */
  readonly facts: SuggestionFacts;
}

/**
 * Entries that are not somebody doing something about the incident, as SQL over `kind`
 * (the service asks the database for the last progress entry rather than reading them all).
 */
// `+kind` keeps SQLite on the (incident_id, seq) index, newest first, instead of the kind index.
export const NOT_PROGRESS_SQL = "+kind NOT LIKE 'sla.%' AND +kind NOT LIKE 'alert.%' AND +kind NOT LIKE 'probe.%' AND +kind NOT LIKE 'gauge%' AND +kind <> 'escalation.suggested'";

/** What the triggers look at: the severity changes and the last entry that is progress. */
export interface TriggerFacts {
  readonly severityChanges: readonly Pick<TimelineEntry, 'seq' | 'kind' | 'data'>[];
  readonly lastProgress: Pick<TimelineEntry, 'seq' | 'at'> | undefined;
}

export function findTriggers(incident: IncidentView, facts: TriggerFacts, nowMs: number, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): TriggerHit[] {
  if (incident.status === 'resolved' || incident.status === 'closed') return [];
  const hits: TriggerHit[] = [];
  for (const clock of computeSlaClocks(incident, nowMs)) {
    if (clock.stopped || clock.paused) continue;
    if (clock.level === 'breached') {
      hits.push({ key: `sla.breached:${clock.kind}`, trigger: 'sla.breached', detail: `${clock.kind} SLA breached, over by ${formatDuration(-clock.remainingMs)}`, facts: { clock: clock.kind, overMs: -clock.remainingMs, targetMs: clock.targetMs } });
    } else if (clock.level === 'warning') {
      hits.push({ key: `sla.warning:${clock.kind}`, trigger: 'sla.warning', detail: `${clock.kind} SLA about to breach: ${formatDuration(clock.remainingMs)} left of ${formatDuration(clock.targetMs)}`, facts: { clock: clock.kind, leftMs: clock.remainingMs, targetMs: clock.targetMs } });
    }
  }
  for (const entry of facts.severityChanges) {
    if (entry.kind !== 'severity.changed') continue;
    const from = entry.data.from as Severity | undefined;
    const to = entry.data.to as Severity | undefined;
    if (!from || !to || !(to in SEVERITY_TARGETS) || !(from in SEVERITY_TARGETS)) continue;
    if ((to === 'critical' || to === 'high') && SEVERITY_TARGETS[to].rank < SEVERITY_TARGETS[from].rank) {
      hits.push({ key: `severity.raised:${entry.seq}`, trigger: 'severity.raised', detail: `severity raised from ${from} to ${to}`, facts: { from, to } });
    }
  }
  if (incident.status !== 'mitigated') {
    const last = facts.lastProgress;
    const sinceMs = Math.max(Date.parse(incident.detectedAt), last ? Date.parse(last.at) : -Infinity);
    const idleMs = nowMs - sinceMs;
    const limitMs = noProgressMs(incident.severity, policy);
    if (idleMs >= limitMs) {
      hits.push({ key: `no.progress:${last?.seq ?? 0}`, trigger: 'no.progress', detail: `no progress recorded for ${formatDuration(idleMs)} (limit ${formatDuration(limitMs)} at ${incident.severity})`, facts: { idleMs, limitMs } });
    }
  }
  return hits;
}
