import type { Incident, SlaPause } from './domain';
import { SEVERITY_TARGETS } from './severity';

export type SlaClockKind = 'response' | 'recovery';
/** ok: plenty of time; warning: under a quarter of the budget left; breached: over budget. */
export type SlaLevel = 'ok' | 'warning' | 'breached';

export interface SlaClock {
  readonly kind: SlaClockKind;
  readonly targetMs: number;
  readonly elapsedMs: number;
  /** Negative once breached. */
  readonly remainingMs: number;
  readonly level: SlaLevel;
  /** Stopped clocks no longer run: response stops at acknowledgement, recovery at mitigation or resolution. */
  readonly stopped: boolean;
  readonly paused: boolean;
}

/** Fraction of the budget left under which a clock turns amber. */
export const SLA_WARNING_FRACTION = 0.25;

type SlaInput = Pick<Incident, 'severity' | 'detectedAt' | 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt' | 'closedAt'> & {
  readonly pauses: readonly SlaPause[];
};

function stopTime(incident: SlaInput, kind: SlaClockKind): string | null {
  if (kind === 'response') return incident.acknowledgedAt ?? incident.mitigatedAt ?? incident.resolvedAt ?? incident.closedAt;
  return incident.mitigatedAt ?? incident.resolvedAt ?? incident.closedAt;
}

/** Milliseconds of [from, to] covered by pauses. */
function pausedWithin(pauses: readonly SlaPause[], from: number, to: number): number {
  let total = 0;
  for (const pause of pauses) {
    const start = Math.max(from, Date.parse(pause.startedAt));
    const end = Math.min(to, pause.endedAt === null ? to : Date.parse(pause.endedAt));
    if (end > start) total += end - start;
  }
  return total;
}

export function computeSlaClock(incident: SlaInput, kind: SlaClockKind, nowMs: number): SlaClock {
  const targets = SEVERITY_TARGETS[incident.severity];
  const targetMs = kind === 'response' ? targets.responseMs : targets.recoveryMs;
  const startMs = Date.parse(incident.detectedAt);
  const stop = stopTime(incident, kind);
  const endMs = stop === null ? Math.max(nowMs, startMs) : Date.parse(stop);
  const elapsedMs = Math.max(0, endMs - startMs - pausedWithin(incident.pauses, startMs, endMs));
  const remainingMs = targetMs - elapsedMs;
  const level: SlaLevel = remainingMs < 0 ? 'breached' : remainingMs < targetMs * SLA_WARNING_FRACTION ? 'warning' : 'ok';
  const paused = stop === null && incident.pauses.some((p) => p.endedAt === null);
  return { kind, targetMs, elapsedMs, remainingMs, level, stopped: stop !== null, paused };
}

export function computeSlaClocks(incident: SlaInput, nowMs: number): readonly [SlaClock, SlaClock] {
  return [computeSlaClock(incident, 'response', nowMs), computeSlaClock(incident, 'recovery', nowMs)];
}

export { formatDuration } from './duration';
