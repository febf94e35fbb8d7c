import type { TimelineEntry } from '../../../shared/domain';
import { formatUtc } from '../../../shared/datetime';
import { formatDurationIn } from '../../../shared/duration';
import { alertDirection, type AlertDirection } from '../../../shared/alert-routing';
import { suggestionDetail } from './communications';
import { EN_REPORT_LABELS, fill, type ReportDictionary, type ReportEvents, type ReportLabels } from './labels';

/** The dictionary's words for record values and its duration units (English when absent). */
export type EntryWords = Pick<ReportDictionary, 'locale' | 'severityNames' | 'statusNames' | 'outcomeNames'> & { readonly labels?: ReportLabels };

// One line of condensed timeline per entry. Kinds from other features are read by their
// stable fields; a kind this file does not know still gets a line (its name and a short
// summary of its data), so a report never silently drops part of the record.

export const CHART_MARKER_PREFIX = '<!-- firebreak:chart ';

/** The shared format in UTC, for callers without a report's zone (stakeholder updates). */
export function fmtTime(iso: string): string {
  return formatUtc(iso);
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

/**
 * The machine a command, alert or artifact came from: the target the data names (a remote
 * run's `host`, a remote collection's `params.target`), else the machine that wrote the
 * entry, which is this laptop's name for local work (issue 13).
 */
export function hostOf(entry: Pick<TimelineEntry, 'host' | 'data'>, item?: Readonly<Record<string, unknown>>): string {
  const d = entry.data;
  const params = (d.params && typeof d.params === 'object' ? d.params : {}) as Record<string, unknown>;
  return str(item?.host) || str(d.host) || str(d.target) || str(params.target) || str(params.hostname) || entry.host || '?';
}

/** A run's or an alert route's machine: null or 'local' is this laptop. */
function machineName(ev: ReportEvents, v: unknown): string {
  return v === null || v === undefined || v === 'local' ? ev.thisLaptop : str(v);
}

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

export function describeEntry(entry: TimelineEntry, t: Text, code: Text, ev: ReportEvents, words: EntryWords = {}): string {
  const d = entry.data;
  const formatDuration = (ms: number) => formatDurationIn(ms, words.locale ?? 'en');
  const sev = (v: unknown) => (words.severityNames as Readonly<Record<string, string>> | undefined)?.[str(v)] ?? str(v);
  const out = (v: string) => (Object.hasOwn(words.outcomeNames ?? {}, v) ? words.outcomeNames![v]! : v);
  const st = (v: unknown) => (words.statusNames as Readonly<Record<string, string>> | undefined)?.[str(v)] ?? str(v);
  const reason = (raw: unknown, phrase: string = ev.reason) => (str(raw) ? fill(phrase, { reason: t(str(raw)) }) : '');
  switch (entry.kind) {
    case 'incident.created':
      return fill(ev.created, { title: t(str(d.title)), severity: t(sev(d.severity)) });
    case 'status.changed': {
      const skipped = Array.isArray(d.skipped) && d.skipped.length ? fill(ev.skipped, { list: t((d.skipped as unknown[]).map(st).join(', ')) }) : '';
      return fill(ev.status, { from: t(st(d.from)), to: t(st(d.to)), skipped, reason: reason(d.reason) });
    }
    case 'severity.changed':
      return fill(ev.severity, { from: t(sev(d.from)), to: t(sev(d.to)), reason: reason(d.reason) });
    case 'incident.updated':
      return fill(ev.updated, { fields: t(Object.keys((d.changes ?? {}) as object).join(', ')) });
    case 'note':
      return fill(ev.note, { text: t(str(d.text)) });
    case 'correction':
      return fill(ev.correction, { seq: t(str(d.correctsSeq)), text: t(str(d.text)) });
    case 'sla.paused':
      return fill(ev.slaPaused, { reason: t(str(d.reason)) });
    case 'sla.resumed':
      return fill(ev.slaResumed, { time: formatDuration(Number(d.pausedMs) || 0) });
    case 'sla.breached':
      return fill(ev.slaBreached, { clock: t(str(d.clock)) });
    case 'command.finished': {
      const exit = typeof d.exitCode === 'number' ? fill(ev.exit, { code: d.exitCode }) : d.timedOut ? ev.timedOut : ev.noExit;
      const took = typeof d.durationMs === 'number' ? fill(ev.took, { time: formatDuration(d.durationMs) }) : '';
      return fill(ev.command, { command: code(str(d.command)) || '?', host: t(hostOf(entry)), exit, took });
    }
    case 'alert.raised':
    case 'alert.cleared': {
      const what = str(d.message) || `${str(d.metric) || str(d.probe) || 'alert'} ${str(d.value)}${str(d.unit)}`;
      const byDirection: Readonly<Record<AlertDirection, string>> = { raised: ev.alertRaised, escalated: ev.alertWorse, eased: ev.alertEased, recovered: ev.alertCleared };
      return fill(byDirection[alertDirection({ kind: entry.kind, from: d.from, to: d.to })], { what: t(what), host: t(hostOf(entry)) });
    }
    case 'evidence.collected': {
      const collector = str(d.collector) ? ` (${t(str(d.collector))})` : '';
      const totals = (d.totals ?? null) as { artifacts?: unknown } | null;
      // The last part of a collection carries its totals: one line for the whole collection.
      if (d.final === true && totals && typeof totals.artifacts === 'number') {
        return fill(ev.evidenceFinal, { collector, host: t(hostOf(entry)), status: t(out(str(d.status) || 'complete')), count: totals.artifacts });
      }
      const n = Array.isArray(d.artifacts) ? d.artifacts.length : 1;
      const name = !Array.isArray(d.artifacts) && str(d.name) ? `: ${t(str(d.name))}` : '';
      return fill(ev.evidence, { collector, host: t(hostOf(entry)), count: n, name });
    }
    case 'evidence.collection-incomplete':
      return fill(ev.evidenceIncomplete, { collector: str(d.collector) ? ` (${t(str(d.collector))})` : '', count: Number(d.committedArtifacts) || 0 });
    case 'evidence.exported': {
      const format = str(d.format) === 'dir' ? ev.formatDir : `.${str(d.format)}`;
      return fill(ev.evidenceExported, { format: t(format), path: t(str(d.path)), sha: `\`${str(d.tagManifestSha256)}\`` });
    }
    case 'evidence.verified':
      return fill(ev.evidenceVerified, { what: str(d.path) ? ` (${t(str(d.path))})` : '', result: d.ok === true ? ev.verifiedOk : fill(ev.verifiedFailed, { count: Number(d.failureCount) || 0 }) });
    case 'evidence.viewed':
      return fill(ev.evidenceViewed, { name: t(str(d.name)) });
    case 'terminal.started':
      return fill(ev.terminalStarted, { shell: t(str(d.shell) || '?') });
    case 'terminal.exited':
      return fill(ev.terminalExited, { exit: typeof d.exitCode === 'number' ? ` (${fill(ev.exit, { code: d.exitCode })})` : '' });
    case 'runbook.started':
      return fill(ev.runbookStarted, { title: t(str(d.title) || str(d.runbookId)) });
    case 'runbook.step':
      return fill(ev.runbookStep, { title: t(str(d.title) || str(d.stepId)), status: t(out(str(d.status))), reason: reason(d.reason, ev.runbookStepReason) });
    case 'runbook.finished':
    case 'runbook.completed':
    case 'runbook.aborted':
    case 'runbook.failed':
      return fill(ev.runbookFinished, { title: t(str(d.title) || str(d.runbookId)), status: t(out(str(d.status) || str(d.outcome) || entry.kind.slice('runbook.'.length))) });
    case 'runbook.phase': {
      const overrun = d.overrun === true ? fill(ev.overrun, { minutes: str(d.budgetMinutes) }) : '';
      return fill(ev.runbookPhase, { title: t(str(d.title) || str(d.phaseId)), time: formatDuration(Number(d.usedMs) || 0), overrun });
    }
    case 'runbook.reopened':
      return ev.runbookReopened;
    case 'runbook.target':
      return fill(ev.runbookTarget, { target: t(machineName(ev, d.target)), previous: t(machineName(ev, d.previous)) });
    case 'status.reopened':
      return fill(ev.reopened, { from: t(st(d.from)), to: t(st(d.to)), reason: reason(d.reason) });
    case 'incident.target-added':
    case 'incident.target-removed':
      return fill(entry.kind === 'incident.target-added' ? ev.targetAdded : ev.targetRemoved, { target: t(machineName(ev, d.target)) });
    case 'alerts.pinned':
    case 'alerts.unpinned':
      return fill(entry.kind === 'alerts.pinned' ? ev.alertsPinned : ev.alertsUnpinned, { target: t(machineName(ev, d.target)) });
    case 'evidence.retracted':
      return fill(ev.evidenceRetracted, { name: t(str(d.name) || `#${str(d.artifactId)}`), reason: reason(d.reason) });
    case 'escalation.escalated':
      return fill(ev.escalated, { level: str(d.level), contact: str(d.contact) ? ` — ${t(str(d.contact))}` : '', via: str(d.via) ? ` (${t(str(d.via))})` : '', reason: t(str(d.reason)) });
    case 'escalation.acknowledged':
      return fill(ev.escalationAcked, { level: str(d.level), contact: str(d.contact) ? ` — ${t(str(d.contact))}` : '' });
    case 'escalation.suggested':
      return fill(ev.escalationSuggested, { level: str(d.level), detail: t(suggestionDetail({ trigger: str(d.trigger), detail: str(d.detail), facts: d.facts && typeof d.facts === 'object' ? (d.facts as Record<string, string | number>) : {} }, { events: ev, labels: words.labels ?? EN_REPORT_LABELS, ...(words.severityNames ? { severityNames: words.severityNames } : {}) }, formatDuration)) });
    case 'update.sent':
      return fill(ev.updateSent, { via: t(str(d.via)), language: t(str(d.language)), timing: d.onTime === true ? ev.updateOnTime : ev.updateLate, sha: `\`${str(d.sha256)}\`` });
    default: {
      // A kind this file does not know (a newer feature's): its name and a short summary.
      const summary = brief(d, t);
      return `${t(entry.kind)}${summary ? `: ${summary}` : ''}`;
    }
  }
}
