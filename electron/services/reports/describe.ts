import type { TimelineEntry } from '../../../shared/domain';
import { formatDuration } from '../../../shared/sla';

// One line of condensed timeline per entry. Kinds from other features are read by their
// stable fields; a kind this file does not know still gets a line (its name and a short
// summary of its data), so a report never silently drops part of the record.

export const CHART_MARKER_PREFIX = '<!-- firebreak:chart ';

export function fmtTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

type Text = (raw: string) => string;

/** A short, redacted, escaped summary of data we do not know the shape of. */
function brief(data: Readonly<Record<string, unknown>>, t: Text): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (parts.length >= 4) break;
    if (v === null || typeof v === 'object') continue;
    parts.push(`${k}=${str(v).slice(0, 80)}`);
  }
  return parts.length ? t(parts.join(', ')) : '';
}

export function describeEntry(entry: TimelineEntry, t: Text, code: Text): string {
  const d = entry.data;
  switch (entry.kind) {
    case 'incident.created':
      return `Incident opened: ${t(str(d.title))} (${t(str(d.severity))})`;
    case 'status.changed': {
      const skipped = Array.isArray(d.skipped) && d.skipped.length ? ` (skipped ${t((d.skipped as unknown[]).map(str).join(', '))})` : '';
      return `**Status ${t(str(d.from))} → ${t(str(d.to))}**${skipped}${str(d.reason) ? `: ${t(str(d.reason))}` : ''}`;
    }
    case 'severity.changed':
      return `**Severity ${t(str(d.from))} → ${t(str(d.to))}**${str(d.reason) ? `: ${t(str(d.reason))}` : ''}`;
    case 'incident.updated':
      return `Details changed: ${t(Object.keys((d.changes ?? {}) as object).join(', '))}`;
    case 'note':
      return `Note: ${t(str(d.text))}`;
    case 'correction':
      return `Correction to #${t(str(d.correctsSeq))}: ${t(str(d.text))}`;
    case 'sla.paused':
      return `SLA clocks paused: ${t(str(d.reason))}`;
    case 'sla.resumed':
      return `SLA clocks resumed after ${formatDuration(Number(d.pausedMs) || 0)}`;
    case 'sla.breached':
      return `**SLA ${t(str(d.clock))} target breached**`;
    case 'command.finished': {
      const exit = typeof d.exitCode === 'number' ? `exit ${d.exitCode}` : d.timedOut ? 'timed out' : 'no exit code';
      const took = typeof d.durationMs === 'number' ? ` in ${formatDuration(d.durationMs)}` : '';
      return `Command ${code(str(d.command)) || '?'} → ${exit}${took}`;
    }
    case 'alert.raised':
    case 'alert.cleared': {
      const what = str(d.message) || `${str(d.metric) || str(d.probe) || 'alert'} ${str(d.value)}${str(d.unit)}`;
      return `Alert ${entry.kind === 'alert.raised' ? 'raised' : 'cleared'}: ${t(what)}`;
    }
    case 'evidence.collected': {
      const n = Array.isArray(d.artifacts) ? d.artifacts.length : 1;
      const name = !Array.isArray(d.artifacts) && str(d.name) ? `: ${t(str(d.name))}` : '';
      return `Evidence collected${str(d.collector) ? ` (${t(str(d.collector))})` : ''}: ${n} item${n === 1 ? '' : 's'}${name}`;
    }
    case 'runbook.started':
      return `Runbook started: ${t(str(d.title) || str(d.runbookId))}`;
    case 'runbook.step':
      return `Runbook step ${t(str(d.title) || str(d.stepId))}: ${t(str(d.status))}${str(d.reason) ? ` (${t(str(d.reason))})` : ''}`;
    case 'runbook.finished':
    case 'runbook.completed':
    case 'runbook.aborted':
    case 'runbook.failed':
      return `Runbook ${t(str(d.title) || str(d.runbookId))} ${t(str(d.status) || str(d.outcome) || entry.kind.slice('runbook.'.length))}`;
    default: {
      const summary = brief(d, t);
      return `${t(entry.kind)}${summary ? `: ${summary}` : ''}`;
    }
  }
}
