import type { IncidentView } from '../../../shared/domain';
import type { CommunicationStats, IncidentMetrics, MetricsSummary, RollbackStats, SlaOutcome, SlaOutcomeState } from '../../../shared/reports';
import { SEVERITIES, type Severity } from '../../../shared/severity';
import { computeSlaClock, type SlaClockKind } from '../../../shared/sla';
import type { CommunicationsCollector } from './communications';
import { runOutcome, type RunbookRun } from './runbook-runs';
import { incidentRef } from '../../../shared/incident-ref';

// Response metrics. Times are wall-clock from detection (what management asks for); the SLA
// outcome uses shared/sla.ts, which discounts recorded pauses, exactly as the live clocks do.

const between = (from: string, to: string | null): number | null => (to === null ? null : Math.max(0, Date.parse(to) - Date.parse(from)));

export function slaOutcome(incident: IncidentView, kind: SlaClockKind, nowMs: number): SlaOutcome {
  const clock = computeSlaClock(incident, kind, nowMs);
  const state: SlaOutcomeState = clock.level === 'breached' ? 'breached' : clock.stopped ? 'met' : 'running';
  return { state, targetMs: clock.targetMs, elapsedMs: clock.elapsedMs, overByMs: Math.max(0, -clock.remainingMs) };
}

export function incidentMetrics(incident: IncidentView, nowMs: number, comms?: CommunicationsCollector): IncidentMetrics {
  const response = slaOutcome(incident, 'response', nowMs);
  const recovery = slaOutcome(incident, 'recovery', nowMs);
  const sla: SlaOutcomeState =
    response.state === 'breached' || recovery.state === 'breached' ? 'breached' : response.state === 'met' && recovery.state === 'met' ? 'met' : 'running';
  return {
    incidentId: incident.id,
    ref: incidentRef(incident.id, incident.sharedUid),
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    detectedAt: incident.detectedAt,
    timeToAcknowledgeMs: between(incident.detectedAt, incident.acknowledgedAt),
    // Resolving without a recorded mitigation still ended the impact: mitigation is at the latest then.
    timeToMitigateMs: between(incident.detectedAt, incident.mitigatedAt ?? incident.resolvedAt),
    timeToResolveMs: between(incident.detectedAt, incident.resolvedAt),
    response,
    recovery,
    sla,
    timeToFirstEscalationMs: comms?.timeToFirstEscalationMs(incident.detectedAt) ?? null,
    updatesSent: comms?.updates.length ?? 0,
    updatesOnTime: comms?.updatesOnTime ?? 0,
  };
}

function mean(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length === 0 ? null : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
}

export function rollbackStats(runs: readonly RunbookRun[]): RollbackStats {
  let succeeded = 0;
  let failed = 0;
  let unfinished = 0;
  for (const run of runs) {
    const outcome = runOutcome(run);
    if (outcome === 'succeeded') succeeded++;
    else if (outcome === 'failed') failed++;
    else unfinished++;
  }
  const finished = succeeded + failed;
  return { runs: runs.length, succeeded, failed, unfinished, successRate: finished === 0 ? null : succeeded / finished };
}

/** Incidents detected within [since, until]; rollbacks are those runs of these incidents. */
export function summarize(
  incidents: readonly IncidentView[],
  rollbackRuns: readonly RunbookRun[],
  period: { since: string | null; until: string | null },
  nowMs: number,
  comms: ReadonlyMap<number, CommunicationsCollector> = new Map(),
): MetricsSummary {
  const per = incidents.map((i) => incidentMetrics(i, nowMs, comms.get(i.id))).sort((a, b) => Date.parse(a.detectedAt) - Date.parse(b.detectedAt));
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const m of per) bySeverity[m.severity]++;
  const met = per.filter((m) => m.sla === 'met').length;
  const breached = per.filter((m) => m.sla === 'breached').length;
  return {
    since: period.since,
    until: period.until,
    computedAt: new Date(nowMs).toISOString(),
    incidents: per.length,
    mttaMs: mean(per.map((m) => m.timeToAcknowledgeMs)),
    mttmMs: mean(per.map((m) => m.timeToMitigateMs)),
    mttrMs: mean(per.map((m) => m.timeToResolveMs)),
    bySeverity,
    // Compliance over decided incidents only: one still running has neither met nor missed.
    sla: { met, breached, running: per.length - met - breached, complianceRate: met + breached === 0 ? null : met / (met + breached) },
    rollbacks: rollbackStats(rollbackRuns),
    communications: communicationStats(per),
    perIncident: per,
  };
}

export function communicationStats(per: readonly IncidentMetrics[]): CommunicationStats {
  const updatesSent = per.reduce((a, m) => a + m.updatesSent, 0);
  const updatesOnTime = per.reduce((a, m) => a + m.updatesOnTime, 0);
  return {
    escalated: per.filter((m) => m.timeToFirstEscalationMs !== null).length,
    meanTimeToFirstEscalationMs: mean(per.map((m) => m.timeToFirstEscalationMs)),
    updatesSent,
    updatesOnTime,
    onTimeRate: updatesSent === 0 ? null : updatesOnTime / updatesSent,
  };
}
