import type { IncidentView } from './domain';
import { statusIndex } from './lifecycle';
import { SEVERITY_TARGETS } from './severity';
import { computeSlaClocks } from './sla';

/**
 * Most urgent first: open before done, then severity, then the SLA clock closest to
 * (or furthest past) its target, then the oldest detection.
 */
export function compareUrgency(a: IncidentView, b: IncidentView, nowMs: number): number {
  const openA = statusIndex(a.status) < statusIndex('resolved') ? 0 : 1;
  const openB = statusIndex(b.status) < statusIndex('resolved') ? 0 : 1;
  if (openA !== openB) return openA - openB;
  if (openA === 1) return Date.parse(b.detectedAt) - Date.parse(a.detectedAt);
  const rank = SEVERITY_TARGETS[a.severity].rank - SEVERITY_TARGETS[b.severity].rank;
  if (rank !== 0) return rank;
  const slack = (i: IncidentView) => Math.min(...computeSlaClocks(i, nowMs).filter((c) => !c.stopped).map((c) => c.remainingMs / c.targetMs));
  // An incident with no running clock (Infinity) goes after every running one; comparing it by
  // detection instead made the order depend on the sort's path (not transitive).
  const diff = slack(a) - slack(b);
  if (!Number.isNaN(diff) && diff !== 0) return diff;
  return Date.parse(a.detectedAt) - Date.parse(b.detectedAt);
}

/**
 * The same order as compareUrgency, with each incident's key computed once: sorting 10,000
 * incidents with the comparator alone recomputes SLA clocks ~130,000 times.
 */
export function sortByUrgency<T extends IncidentView>(incidents: readonly T[], nowMs: number): T[] {
  const keyed = incidents.map((incident) => {
    const open = statusIndex(incident.status) < statusIndex('resolved');
    const slacks = open ? computeSlaClocks(incident, nowMs).filter((c) => !c.stopped).map((c) => c.remainingMs / c.targetMs) : [];
    return {
      incident,
      open: open ? 0 : 1,
      rank: SEVERITY_TARGETS[incident.severity].rank,
      slack: slacks.length ? Math.min(...slacks) : Infinity,
      detected: Date.parse(incident.detectedAt),
    };
  });
  keyed.sort((a, b) => {
    if (a.open !== b.open) return a.open - b.open;
    if (a.open === 1) return b.detected - a.detected;
    if (a.rank !== b.rank) return a.rank - b.rank;
    const diff = a.slack - b.slack;
    if (!Number.isNaN(diff) && diff !== 0) return diff;
    return a.detected - b.detected;
  });
  return keyed.map((k) => k.incident);
}
