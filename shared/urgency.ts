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
  const diff = slack(a) - slack(b);
  if (Number.isFinite(diff) && diff !== 0) return diff;
  return Date.parse(a.detectedAt) - Date.parse(b.detectedAt);
}
