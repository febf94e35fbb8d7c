// Incident lifecycle (DESIGN.md): strictly forward, skips must be recorded with a reason.
export const STATUSES = ['detected', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof STATUSES)[number];

/** The timestamp column each status sets when it is entered (investigating has none of its own). */
export const STATUS_TIME_FIELD = {
  detected: 'detectedAt',
  acknowledged: 'acknowledgedAt',
  investigating: 'investigatingAt',
  mitigated: 'mitigatedAt',
  resolved: 'resolvedAt',
  closed: 'closedAt',
} as const satisfies Record<IncidentStatus, string>;

export function statusIndex(status: IncidentStatus): number {
  return STATUSES.indexOf(status);
}

/** Statuses strictly between `from` and `to` — the ones a transition would skip. */
export function skippedStatuses(from: IncidentStatus, to: IncidentStatus): IncidentStatus[] {
  return STATUSES.slice(statusIndex(from) + 1, statusIndex(to));
}

export function isOpen(status: IncidentStatus): boolean {
  return statusIndex(status) < statusIndex('resolved');
}
