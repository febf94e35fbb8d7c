import type { IncidentView, TimelineEntry } from '../../../shared/domain';
import { NO_PROGRESS_MS, type SuggestionTrigger } from '../../../shared/escalation';
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
  readonly detail: string;
}

/** Entries that are not somebody doing something about the incident. */
function isProgress(entry: TimelineEntry): boolean {
  return !/^(?:escalation\.suggested|sla\.|alert\.|probe\.|gauge)/.test(entry.kind);
}

export function findTriggers(incident: IncidentView, entries: readonly TimelineEntry[], nowMs: number): TriggerHit[] {
  if (incident.status === 'resolved' || incident.status === 'closed') return [];
  const hits: TriggerHit[] = [];
  for (const clock of computeSlaClocks(incident, nowMs)) {
    if (clock.stopped || clock.paused) continue;
    if (clock.level === 'breached') {
      hits.push({ key: `sla.breached:${clock.kind}`, trigger: 'sla.breached', detail: `${clock.kind} SLA breached, over by ${formatDuration(-clock.remainingMs)}` });
    } else if (clock.level === 'warning') {
      hits.push({ key: `sla.warning:${clock.kind}`, trigger: 'sla.warning', detail: `${clock.kind} SLA about to breach: ${formatDuration(clock.remainingMs)} left of ${formatDuration(clock.targetMs)}` });
    }
  }
  for (const entry of entries) {
    if (entry.kind !== 'severity.changed') continue;
    const from = entry.data.from as Severity | undefined;
    const to = entry.data.to as Severity | undefined;
    if (!from || !to || !(to in SEVERITY_TARGETS) || !(from in SEVERITY_TARGETS)) continue;
    if ((to === 'critical' || to === 'high') && SEVERITY_TARGETS[to].rank < SEVERITY_TARGETS[from].rank) {
      hits.push({ key: `severity.raised:${entry.seq}`, trigger: 'severity.raised', detail: `severity raised from ${from} to ${to}` });
    }
  }
  if (incident.status !== 'mitigated') {
    let last: TimelineEntry | undefined;
    for (const entry of entries) if (isProgress(entry)) last = entry;
    const sinceMs = Math.max(Date.parse(incident.detectedAt), last ? Date.parse(last.at) : -Infinity);
    const idleMs = nowMs - sinceMs;
    if (idleMs >= NO_PROGRESS_MS[incident.severity]) {
      hits.push({ key: `no.progress:${last?.seq ?? 0}`, trigger: 'no.progress', detail: `no progress recorded for ${formatDuration(idleMs)} (limit ${formatDuration(NO_PROGRESS_MS[incident.severity])} at ${incident.severity})` });
    }
  }
  return hits;
}
