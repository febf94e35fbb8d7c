import type { ChainFailure, ChainHead, ChainVerification, IncidentView, TimelineEntry } from '../../shared/domain';
import { SEVERITY_TARGETS } from '../../shared/severity';
import { computeSlaClocks, formatDuration } from '../../shared/sla';
import { formatIncidentRef } from '../services/incidents';
import { describeEvidenceEntry } from './evidence-text';
import { incidentRef } from '../../shared/incident-ref';

export function table(rows: string[][]): string {
  const widths = columnWidths(rows);
  return rows.map((r) => tableLine(r, widths)).join('\n');
}

/** Each column's width: its longest cell (the first row sets how many columns there are). */
export function columnWidths(rows: Iterable<readonly string[]>): number[] {
  let widths: number[] | null = null;
  for (const r of rows) {
    widths ??= r.map(() => 0);
    for (let col = 0; col < widths.length; col++) widths[col] = Math.max(widths[col]!, (r[col] ?? '').length);
  }
  return widths ?? [];
}

/** One row of `table`, cells padded to `widths`. */
export function tableLine(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd();
}

function slaText(incident: IncidentView, now: number): string {
  return computeSlaClocks(incident, now)
    .map((c) => `${c.kind} ${c.stopped ? (c.level === 'breached' ? 'breached' : 'met') : `${formatDuration(c.remainingMs)} left${c.paused ? ' (paused)' : ''}`}`)
    .join(', ');
}

export function incidentTable(incidents: readonly IncidentView[], now: number): string {
  if (incidents.length === 0) return 'No incidents. Create one with: firebreak incident new --title "…" --severity high';
  return table([
    ['ID', 'SEVERITY', 'STATUS', 'DETECTED', 'SLA', 'TITLE'],
    ...incidents.map((i) => [
      incidentRef(i.id, i.sharedUid),
      `${i.severity} (${SEVERITY_TARGETS[i.severity].alias})`,
      i.status,
      i.detectedAt.replace('T', ' ').slice(0, 16),
      slaText(i, now),
      i.title,
    ]),
  ]);
}

export function incidentDetail(i: IncidentView, now: number): string {
  const lines = [
    `${incidentRef(i.id, i.sharedUid)}  ${i.title}`,
    `severity   ${i.severity} (${SEVERITY_TARGETS[i.severity].alias})`,
    `status     ${i.status}`,
    `detected   ${i.detectedAt}`,
  ];
  for (const [label, value] of [
    ['acknowledged', i.acknowledgedAt],
    ['mitigated', i.mitigatedAt],
    ['resolved', i.resolvedAt],
    ['closed', i.closedAt],
  ] as const) {
    if (value) lines.push(`${label.padEnd(10)} ${value}`);
  }
  lines.push(`sla        ${slaText(i, now)}`);
  if (i.responder) lines.push(`responder  ${i.responder}`);
  if (i.services.length) lines.push(`services   ${i.services.join(', ')}`);
  if (i.tags.length) lines.push(`tags       ${i.tags.join(', ')}`);
  if (i.summary) lines.push('', 'Summary', i.summary);
  if (i.impact) lines.push('', 'Impact', i.impact);
  lines.push('', `${i.timelineCount} timeline entries: firebreak timeline ${i.id}`);
  return lines.join('\n');
}

export function describeEntry(entry: TimelineEntry): string {
  const d = entry.data as Record<string, unknown>;
  switch (entry.kind) {
    case 'incident.created':
      return `created: ${String(d.title)} [${String(d.severity)}]`;
    case 'status.changed':
      return `status ${String(d.from)} → ${String(d.to)}${d.skipped ? ` (skipped ${(d.skipped as string[]).join(', ')})` : ''}${d.reason ? `: ${String(d.reason)}` : ''}`;
    case 'status.reopened':
      return `reopened: ${String(d.from)} → ${String(d.to)}${d.reason ? `: ${String(d.reason)}` : ''}`;
    case 'severity.changed':
      return `severity ${String(d.from)} → ${String(d.to)}${d.reason ? `: ${String(d.reason)}` : ''}`;
    case 'note':
      return `note: ${String(d.text)}`;
    case 'correction':
      return `correction of #${String(d.correctsSeq)}: ${String(d.text)}`;
    case 'sla.paused':
      return `SLA paused: ${String(d.reason)}`;
    case 'sla.resumed':
      return `SLA resumed after ${formatDuration(Number(d.pausedMs))}`;
    case 'sla.breached':
      return `SLA ${String(d.clock)} target breached`;
    case 'alert.raised':
    case 'alert.cleared':
      // Gauge and probe alerts carry their own sentence (no secrets: see services/probes/scrub).
      return `${entry.kind === 'alert.raised' ? 'ALERT' : 'alert cleared'}: ${String(d.message)}`;
    case 'evidence.collected':
    case 'evidence.viewed':
    case 'evidence.exported':
    case 'evidence.verified':
    case 'evidence.collection-incomplete':
    case 'evidence.retracted':
      return describeEvidenceEntry(entry.kind, d);
    default:
      return `${entry.kind}: ${JSON.stringify(d)}`;
  }
}

export function timelineText(entries: readonly TimelineEntry[]): string {
  if (entries.length === 0) return 'No timeline entries.';
  return entries.map((e) => `#${String(e.seq).padStart(3)}  ${e.at}  ${e.actor}@${e.host}  ${describeEntry(e)}`).join('\n');
}

function failureText(f: ChainFailure): string {
  if (f.incidentId === 0) return `  ${f.reason}`;
  const where = f.entryId === 0 ? `from entry #${f.seq}` : `entry #${f.seq} (id ${f.entryId})`;
  return `  ${formatIncidentRef(f.incidentId)} ${where}: ${f.reason}`;
}

export function verificationText(v: ChainVerification): string {
  const anchors = v.anchors ? `\nAnchors: ${v.anchors.note}.` : '';
  if (v.ok) return `Timeline intact: ${v.entriesChecked} entries in ${v.incidentsChecked} incident chains verified.${anchors}`;
  const chains = new Set(v.failures.map((f) => f.incidentId)).size;
  return [
    `Timeline TAMPERED: ${v.failures.length} problem${v.failures.length > 1 ? 's' : ''} in ${chains} place${chains > 1 ? 's' : ''} (${v.entriesChecked} entries checked).`,
    ...v.failures.map(failureText),
  ].join('\n') + anchors;
}

/** One line per chain: the head a report, bag or backup pins (`INC-0001 #42 3f9a…`). */
export function chainHeadsText(heads: readonly ChainHead[]): string {
  return heads.map((h) => `  ${formatIncidentRef(h.incidentId)} #${h.seq} ${h.hash}`).join('\n');
}
