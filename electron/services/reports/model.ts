import type { ChainVerification, IncidentView, TimelineEntry } from '../../../shared/domain';
import { SEVERITY_TARGETS } from '../../../shared/severity';
import { formatDurationIn } from '../../../shared/duration';
import { alertDirection, type AlertDirection } from '../../../shared/alert-routing';
import { formatIncidentRef } from '../incidents';
import type { GaugeSeries } from './gauges';
import { fill, type ReportDictionary } from './labels';
import { CommunicationsCollector, suggestionDetail } from './communications';
import { DateFormatter } from '../../../shared/datetime';
import { noteField } from '../../../shared/note-fields';
import { CHART_MARKER_PREFIX, describeEntry, fmtBytes, hostOf } from './describe';
import { mdCode, mdInline, mdText } from './markdown';
import { incidentMetrics } from './metrics';
import type { Redactor } from './redact';
import { KeepEnds, TimelineDigest, bulkKindOf, isKeyEntry, timelineFileName, type Gap } from './keep-ends';
import { ROLLBACK_RUNBOOK_ID, RunbookRunCollector, runOutcome, type RunbookRun, type RunStep, type RunTexts } from './runbook-runs';
import { incidentRef } from '../../../shared/incident-ref';

// The view a template sees: every value the record has, escaped as Markdown (and redacted),
// every value it lacks as a visible prompt. Built in one pass over the timeline.

/**
 * Long histories stay readable: past these counts the condensed timeline, actions, commands and
 * alerts keep their first and last halves (and every key event) and say how many were left out.
 */
export const LIMITS = { timeline: 1000, actions: 200, commands: 500, alerts: 300, evidence: 5000 } as const;

export interface ReportInputs {
  readonly incident: IncidentView;
  readonly entries: Iterable<TimelineEntry>;
  /** Asked once every entry has been read: the entries may be verified as they are read. */
  readonly chain: () => ChainVerification;
  readonly gauges: readonly GaugeSeries[];
  /** The incident's saved runbook variables (non-secret), for the rollback section's target version. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Runs' step texts in the report's language (readRunbookTexts); the timeline's text otherwise. */
  readonly runbookTexts?: ReadonlyMap<string, RunTexts>;
  readonly nowMs: number;
  readonly redactor: Redactor;
  readonly dict: ReportDictionary;
  /** Every time the report prints, in one format with its zone (UTC when absent). */
  readonly dates?: DateFormatter;
  /** Receives every line of the full timeline file as it is hashed (a report being saved writes it). */
  readonly timelineSink?: (line: string) => void;
}

interface Line {
  time: string;
  text: string;
  seq: number;
  corrected: number[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Seed 004 §9.1 対応実施時刻: the clock times of the response's key actions (the course of the
 * incident, runbooks, escalations, finished collections), not durations.
 */
const RESPONSE_KINDS = new Set(['status.changed', 'severity.changed', 'runbook.started', 'runbook.finished', 'runbook.completed', 'runbook.aborted', 'runbook.failed', 'escalation.escalated', 'sla.breached']);
const isResponseAction = (entry: TimelineEntry) => RESPONSE_KINDS.has(entry.kind) || (entry.kind === 'evidence.collected' && entry.data.final === true);

export function buildReportView(input: ReportInputs): Record<string, unknown> {
  const { incident, dict, redactor } = input;
  const L = dict.labels;
  const dates = input.dates ?? new DateFormatter({ timeZone: 'UTC' });
  const fmtTime = (iso: string) => dates.dateTime(iso);
  // Durations in the report's language: "1h 05m" or "1時間05分".
  const formatDuration = (ms: number) => formatDurationIn(ms, dict.locale ?? 'en');
  const prompt = (what: string) => `_[${dict.promptPrefix}: ${what}]_`;
  const t = (raw: string) => mdInline(redactor.apply(raw));
  const block = (raw: string) => mdText(redactor.apply(raw.trim()));
  const code = (raw: string) => mdCode(redactor.apply(raw));
  const codeInList = (raw: string) => mdCode(redactor.apply(raw), false);
  const orPrompt = (raw: string, what: string) => (raw.trim() === '' ? prompt(what) : block(raw));
  const time = (iso: string | null | undefined, what: string = dict.prompts.timeOf) => (iso ? fmtTime(iso) : prompt(what));

  const ends = <T>(limit: number) => new KeepEnds<T>(Math.ceil(limit / 2), Math.floor(limit / 2));
  const timeline = ends<Line>(LIMITS.timeline);
  const bySeq = new Map<number, Line>();
  const idToSeq = new Map<number, number>();
  const actions = ends<{ time: string; text: string }>(LIMITS.actions);
  const commands = ends<Record<string, unknown>>(LIMITS.commands);
  const responseTimes = ends<{ time: string; text: string }>(LIMITS.actions);
  const alerts = ends<Record<string, unknown>>(LIMITS.alerts);
  const digest = new TimelineDigest((raw) => redactor.apply(raw), input.timelineSink);
  const evidence: Record<string, unknown>[] = [];
  let evidenceOmitted = 0;
  let evidenceBytes = 0;
  let evidenceCount = 0;
  // Artifact id → size of every artifact counted, and the id of each row listed (same order as `evidence`).
  const evidenceSizes = new Map<number, number | null>();
  const evidenceRowIds: Array<number | null> = [];
  const fromNotes: Record<string, string[]> = {};
  const runs = new RunbookRunCollector(input.runbookTexts);
  const comms = new CommunicationsCollector();
  let entryCount = 0;

  let entry!: TimelineEntry;
  // Notes and commands are bulk; runbook steps and status changes are key and always kept.
  const pushAction = (at: string, text: string, key = isKeyEntry(entry.kind)) => actions.add(entry.seq, { time: fmtTime(at), text }, key, bulkKindOf(entry.kind));

  for (entry of input.entries) {
    entryCount++;
    digest.add(entry);
    idToSeq.set(entry.id, entry.seq);
    const d = entry.data;
    runs.add(entry);
    comms.add(entry);
    switch (entry.kind) {
      case 'note': {
        const text = str(d.text);
        pushAction(entry.at, t(text));
        const field = noteField(text);
        if (field) (fromNotes[field.field] ??= []).push(field.value);
        break;
      }
      case 'command.finished': {
        const exitCode = num(d.exitCode);
        const sha = str(d.transcriptSha256) || str(d.hash) || str(d.sha256);
        const row = {
          time: fmtTime(entry.at),
          host: t(hostOf(entry)),
          command: code(str(d.command)) || prompt('command'),
          exitCode: exitCode === null ? (d.timedOut ? dict.events.timedOut : '–') : String(exitCode),
          ok: exitCode === 0,
          duration: num(d.durationMs) === null ? '–' : formatDuration(num(d.durationMs)!),
          transcript: sha ? `\`${sha}\`` : '–',
        };
        commands.add(entry.seq, row, false, 'commands');
        pushAction(entry.at, `${codeInList(str(d.command)) || prompt('command')} (${row.host}) → ${L.exitCode.toLowerCase()} ${row.exitCode}`);
        break;
      }
      case 'alert.raised':
      case 'alert.cleared': {
        const what = str(d.metric) || str(d.probe) || str(d.rule) || 'alert';
        const subject = str(d.subject) || str(d.target);
        const row = {
          time: fmtTime(entry.at),
          host: t(hostOf(entry)),
          state: alertState(dict, alertDirection({ kind: entry.kind, from: d.from, to: d.to })),
          alert: t(`${what}${subject ? ` (${subject})` : ''}`),
          value: num(d.value) === null ? (str(d.to) ? t(str(d.to)) : '–') : `${num(d.value)}${str(d.unit)}`,
          threshold: num(d.threshold) === null ? '–' : `${num(d.threshold)}${str(d.unit)}`,
          message: t(str(d.message)),
        };
        alerts.add(entry.seq, row, false, 'alerts');
        break;
      }
      case 'evidence.collected': {
        // One entry per artifact, or a batch with `artifacts` (the evidence service's custody records).
        const items = Array.isArray(d.artifacts) ? (d.artifacts as Record<string, unknown>[]) : str(d.sha256) ? [d] : [];
        for (const a of items) {
          evidenceCount++;
          const size = num(a.size);
          if (size !== null) evidenceBytes += size;
          if (num(a.id) !== null) evidenceSizes.set(num(a.id)!, size);
          if (evidence.length >= LIMITS.evidence) {
            evidenceOmitted++;
            continue;
          }
          evidenceRowIds.push(num(a.id));
          evidence.push({
            // A status other than ok (changed while read, incomplete…) must not look like a clean copy.
            name: t(`${str(a.name) || str(a.path) || str(a.sourcePath) || '?'}${str(a.status) && str(a.status) !== 'ok' ? ` (${str(a.status)})` : ''}`),
            host: t(hostOf(entry, a)),
            size: size === null ? '–' : fmtBytes(size),
            sha256: str(a.sha256) ? `\`${str(a.sha256)}\`` : '–',
            collectedAt: fmtTime(str(a.collectedAt) || entry.at),
          });
        }
        break;
      }
      case 'evidence.retracted': {
        // Retracted evidence stays in the store and on the timeline, not in the report's evidence (issue 15).
        const id = num(d.artifactId);
        if (id === null || !evidenceSizes.has(id)) break;
        const size = evidenceSizes.get(id)!;
        evidenceSizes.delete(id);
        evidenceCount--;
        if (size !== null) evidenceBytes -= size;
        const row = evidenceRowIds.indexOf(id);
        if (row >= 0) {
          evidence.splice(row, 1);
          evidenceRowIds.splice(row, 1);
        } else evidenceOmitted--;
        break;
      }
      case 'status.changed':
        // The incident's course belongs among the actions, whatever came before it.
        pushAction(entry.at, describeEntry(entry, t, code, dict.events, dict), true);
        break;
      default:
        break;
    }
    if (entry.kind.startsWith('runbook.step')) {
      const status = str(d.status);
      // The outcome in the report's words ("done" / "完了"), the reason as the timeline phrases it.
      const word = Object.hasOwn(dict.outcomeNames ?? {}, status) ? dict.outcomeNames![status]! : status;
      if (status) pushAction(entry.at, `${t(str(d.title) || str(d.stepId) || 'step')}: ${t(word)}${str(d.reason) ? fill(dict.events.runbookStepReason, { reason: t(str(d.reason)) }) : ''}`);
    }
    if (entry.kind === 'correction') {
      const target = entry.corrects === null ? undefined : bySeq.get(idToSeq.get(entry.corrects) ?? -1);
      target?.corrected.push(entry.seq);
    }
    const line: Line = { time: fmtTime(entry.at), text: describeEntry(entry, t, code, dict.events, dict), seq: entry.seq, corrected: [] };
    timeline.add(entry.seq, line, isKeyEntry(entry.kind), bulkKindOf(entry.kind));
    if (isResponseAction(entry)) responseTimes.add(entry.seq, { time: line.time, text: line.text }, true, 'other');
    // Only corrections of recent lines can be shown; older ones are looked up by seq anyway.
    bySeq.set(entry.seq, line);
  }
  // Every entry has been read, so the chain (verified in the same read) is known.
  const chain = input.chain();
  const fullTimeline = { file: timelineFileName(formatIncidentRef(incident.id)), sha256: digest.hex(), entries: digest.entries };
  const kindWords: Record<keyof Gap['byKind'], string> = { notes: L.gapNotes, alerts: L.gapAlerts, commands: L.gapCommands, other: L.gapOther };
  const gapText = (gap: Gap) =>
    fill(L.gap, {
      omitted: String(gap.omitted),
      kinds: (Object.keys(gap.byKind) as (keyof Gap['byKind'])[]).filter((k) => gap.byKind[k] > 0).map((k) => `${kindWords[k]}: ${gap.byKind[k]}`).join(', '),
      head: String(gap.head),
      tail: String(gap.tail),
      file: fullTimeline.file,
      sha: fullTimeline.sha256,
    });

  const actionsList = actions.list((gap) => ({ time: '…', text: gapText(gap) }));
  const responseTimesList = responseTimes.list((gap) => ({ time: '…', text: gapText(gap) }));
  const timelineList = timeline.list((gap) => ({ time: '…', text: gapText(gap), seq: -1, corrected: [] }));
  // Tables keep their rows; the gap is said under the table.
  const commandsList = commands.list();
  const alertsList = alerts.list();
  const metrics = incidentMetrics(incident, input.nowMs);
  const slaRow = (label: string, o: typeof metrics.response) => ({
    label,
    target: formatDuration(o.targetMs),
    actual: formatDuration(o.elapsedMs),
    outcome: o.state === 'breached' ? `**${L.breachedBy} ${formatDuration(o.overByMs)}**` : o.state === 'met' ? L.met : L.running,
  });
  const dur = (ms: number | null, what: string) => (ms === null ? prompt(what) : formatDuration(ms));
  const allRuns = runs.list();
  const runView = (run: RunbookRun) => {
    // Every step of the runbook counts, not only the touched ones: untouched steps are pending,
    // in the runbook's order (from the run's own record of the runbook when it has one).
    const known = input.runbookTexts?.get(run.runId)?.steps;
    const untouched = (id: string, title: string): RunStep => ({ id, title, status: 'pending', reason: '', note: '', phaseId: '', at: '', command: '', exitCode: null });
    const raw = known ? [...[...known].map(([id, title]) => run.steps.get(id) ?? untouched(id, title)), ...[...run.steps.values()].filter((st) => !known.has(st.id))] : [...run.steps.values()];
    const count = (status: string) => raw.filter((s) => s.status === status).length;
    const steps = raw.map((s) => ({
      title: t(s.title),
      status: s.status === 'done' ? L.done : s.status === 'skipped' ? L.skipped : s.status === 'failed' ? L.failed : L.pending,
      checked: s.status === 'done' ? 'x' : ' ',
      reason: s.reason ? t(s.reason) : '',
      hasReason: s.reason !== '',
      note: s.note ? t(s.note) : '',
      hasNote: s.note !== '',
      time: s.at ? fmtTime(s.at) : '',
    }));
    const pending = raw.filter((s) => s.status === 'pending').map((s) => t(s.title));
    const outcome = runOutcome(run);
    return {
      title: t(run.title),
      runbookId: t(run.runbookId),
      version: str(run.started.version) ? t(str(run.started.version)) : '',
      startedAt: fmtTime(run.startedAt),
      outcome: outcome === 'succeeded' ? L.succeeded : outcome === 'failed' ? L.failed : L.inProgress,
      done: count('done'),
      skipped: count('skipped'),
      failed: count('failed'),
      total: steps.length,
      pending: pending.join('; '),
      hasPending: pending.length > 0,
      steps,
    };
  };
  const rollbacks = allRuns
    .filter((r) => r.runbookId === ROLLBACK_RUNBOOK_ID)
    .map((run) => {
      // Variables the run recorded, then the incident's saved runbook variables (not secret ones).
      const vars = { ...input.variables, ...((run.started.variables ?? run.started.vars ?? {}) as Record<string, unknown>) };
      const pick = (...keys: string[]) => keys.map((k) => str(vars[k]) || str(run.finished[k])).find((v) => v !== '') ?? '';
      const steps = [...run.steps.values()];
      const verification = steps.filter((s) => /verif/i.test(s.phaseId) || (s.phaseId === '' && /verif|check|smoke|confirm|health/i.test(`${s.id} ${s.title}`)));
      const verifiedText = pick('verification');
      // `version` on runbook.started is the runbook's own version, never the rollback target.
      const version = pick('TARGET_VERSION', 'targetVersion', 'target_version', 'VERSION', 'version');
      const decisionNotes = steps.filter((s) => /decision|trigger/i.test(`${s.phaseId} ${s.id}`) && s.note).map((s) => s.note);
      const reasonText = str(run.started.reason) || pick('REASON', 'reason') || decisionNotes.join(' / ');
      return {
        ...runView(run),
        version: version ? t(version) : prompt(dict.prompts.rollbackVersion),
        reason: reasonText ? t(reasonText) : prompt(dict.prompts.rollbackReason),
        verification: verification.length
          ? verification.map((s) => `${t(s.title)}: ${s.status === 'done' ? L.done : s.status === 'skipped' ? `${L.skipped}${s.reason ? ` (${t(s.reason)})` : ''}` : s.status === 'failed' ? L.failed : L.pending}`).join('; ')
          : verifiedText
            ? t(verifiedText)
            : prompt(dict.prompts.rollbackVerification),
      };
    });
  const fromNote = (key: string, raw: string, what: string) => (fromNotes[key]?.length ? fromNotes[key]!.map((v) => block(v)).join('\n\n') : orPrompt(raw, what));
  const services = incident.services.length ? t(incident.services.join(', ')) : prompt(dict.prompts.impact);
  const duration = incident.resolvedAt
    ? formatDuration(Date.parse(incident.resolvedAt) - Date.parse(incident.detectedAt))
    : `${L.ongoing} (${formatDuration(Math.max(0, input.nowMs - Date.parse(incident.detectedAt)))})`;
  const firstEscalationMs = comms.timeToFirstEscalationMs(incident.detectedAt);
  const escalations = comms.escalations.map((e) => ({
    time: fmtTime(e.at),
    level: e.level,
    contact: e.contact ? t(e.contact) : '–',
    via: e.via ? t(e.via) : '–',
    reason: t(e.reason),
    acknowledged: e.acknowledgedAt ? fmtTime(e.acknowledgedAt) : '–',
  }));
  const communications = comms.updates.map((u) => {
    const shown = redactor.apply(u.text);
    return {
      time: fmtTime(u.at),
      via: t(u.via),
      language: t(u.language),
      timing: u.onTime ? L.onTime : `${L.late}, ${L.dueAt} ${fmtTime(u.dueAt)}`,
      sha256: u.sha256,
      subject: u.subject ? t(u.subject) : '',
      // Quoted as sent, so the report shows exactly what stakeholders read.
      quoted: mdText(shown.trim()).split('\n').map((line) => `> ${line}`.trimEnd()).join('\n'),
      redacted: shown !== u.text,
    };
  });
  const redaction = redactor.summary();
  const marks = [{ t: Date.parse(incident.detectedAt), label: L.detectedAt }, ...(incident.resolvedAt ? [{ t: Date.parse(incident.resolvedAt), label: L.recoveredAt }] : [])];
  const gauges = input.gauges.map((s, index) => ({
    metric: t(s.metric),
    subject: s.subject ? t(s.subject) : '',
    window: s.points.length ? `${fmtTime(new Date(s.points[0]!.t).toISOString())} – ${fmtTime(new Date(s.points[s.points.length - 1]!.t).toISOString())}` : '–',
    min: Math.min(...s.points.map((p) => p.min)).toFixed(1),
    avg: (s.points.reduce((a, p) => a + p.avg, 0) / Math.max(1, s.points.length)).toFixed(1),
    max: Math.max(...s.points.map((p) => p.max)).toFixed(1),
    chart: `${CHART_MARKER_PREFIX}${index} -->`,
    marks,
  }));

  return {
    labels: L,
    prompts: Object.fromEntries(Object.entries(dict.prompts).map(([k, v]) => [k, prompt(v)])),
    ref: incidentRef(incident.id, incident.sharedUid),
    title: t(incident.title),
    severity: incident.severity,
    severityLabel: `${dict.severityNames?.[incident.severity] ?? incident.severity} (${SEVERITY_TARGETS[incident.severity].alias})`,
    level: SEVERITY_TARGETS[incident.severity].alias,
    status: dict.statusNames?.[incident.status] ?? incident.status,
    responder: incident.responder.trim() ? t(incident.responder) : prompt(dict.prompts.responder),
    services,
    tags: incident.tags.length ? t(incident.tags.join(', ')) : '–',
    occurredAt: fromNotes.occurredAt?.length ? t(fromNotes.occurredAt[0]!) : prompt(dict.prompts.occurredAt),
    detectedAt: fmtTime(incident.detectedAt),
    acknowledgedAt: time(incident.acknowledgedAt),
    mitigatedAt: time(incident.mitigatedAt),
    recoveredAt: time(incident.resolvedAt),
    closedAt: time(incident.closedAt),
    duration,
    summary: orPrompt(incident.summary, dict.prompts.summary),
    whatHappened: orPrompt(incident.summary, dict.prompts.summary),
    impact: orPrompt(incident.impact, dict.prompts.impact),
    impactScope: incident.impact.trim() || incident.services.length ? [incident.services.length ? `${L.services}: ${services}` : '', incident.impact.trim() ? block(incident.impact) : ''].filter(Boolean).join('\n\n') : prompt(dict.prompts.impact),
    rootCause: fromNote('rootCause', '', dict.prompts.rootCause),
    resolution: fromNote('resolution', '', dict.prompts.resolution),
    prevention: fromNote('prevention', '', dict.prompts.prevention),
    lessons: fromNote('lessons', '', dict.prompts.lessons),
    detection: fromNote('detection', '', dict.prompts.detection),
    followUp: fromNote('followUp', '', dict.prompts.followUp),
    responseTimes: responseTimesList,
    hasResponseTimes: responseTimesList.length > 0,
    actions: actionsList,
    hasActions: actionsList.length > 0,
    // Said in place, where the left-out entries were (with the full timeline's file and hash).
    actionsOmitted: false,
    fullTimeline,
    timeline: timelineList.map((l) => ({ time: l.time, text: l.corrected.length ? `${l.text} _(corrected by #${l.corrected.join(', #')})_` : l.text, seq: l.seq < 0 ? '…' : l.seq })),
    timelineOmitted: false,
    commands: commandsList,
    hasCommands: commandsList.length > 0,
    commandsOmitted: commands.gap ? gapText(commands.gap) : false,
    alerts: alertsList,
    hasAlerts: alertsList.length > 0,
    alertsOmitted: alerts.gap ? gapText(alerts.gap) : false,
    evidence,
    hasEvidence: evidence.length > 0,
    evidenceOmitted: evidenceOmitted || false,
    evidenceCount,
    evidenceTotal: fmtBytes(evidenceBytes),
    runbooks: allRuns.filter((r) => r.runbookId !== ROLLBACK_RUNBOOK_ID).map(runView),
    hasRunbooks: allRuns.some((r) => r.runbookId !== ROLLBACK_RUNBOOK_ID),
    rollbacks,
    hasRollback: rollbacks.length > 0,
    sla: {
      rows: [slaRow(L.slaResponse, metrics.response), slaRow(L.slaRecovery, metrics.recovery)],
      outcome: metrics.sla === 'breached' ? L.breached : metrics.sla === 'met' ? L.met : L.running,
    },
    metrics: {
      timeToAcknowledge: dur(metrics.timeToAcknowledgeMs, L.acknowledgedAt.toLowerCase()),
      timeToMitigate: dur(metrics.timeToMitigateMs, L.mitigatedAt.toLowerCase()),
      timeToResolve: dur(metrics.timeToResolveMs, L.recoveredAt.toLowerCase()),
      timeToFirstEscalation: firstEscalationMs === null ? L.noEscalations : formatDuration(firstEscalationMs),
      updatesOnTime: `${comms.updatesOnTime} / ${comms.updates.length}`,
    },
    escalations,
    hasEscalations: escalations.length > 0,
    suggestions: comms.suggestions.map((s) => ({ time: fmtTime(s.at), level: s.level, detail: t(suggestionDetail(s, dict, formatDuration)) })),
    hasSuggestions: comms.suggestions.length > 0,
    communications,
    hasCommunications: communications.length > 0,
    gauges,
    hasGauges: gauges.length > 0,
    integrity: {
      ok: chain.ok,
      entries: entryCount,
      text: chain.ok ? L.chainIntact : `${L.chainBroken}: ${chain.failures.map((f) => `#${f.seq} ${f.reason}`).join('; ')}`,
      // The head pins everything behind it: a copy of the report is an anchor the laptop cannot rewrite.
      head: chain.heads?.find((h) => h.incidentId === incident.id),
    },
    redaction,
    generatedAt: fmtTime(new Date(input.nowMs).toISOString()),
  };
}

/** A recovery under way (danger → warning) is reported as easing, never as raised. */
function alertState(dict: ReportDictionary, direction: AlertDirection): string {
  const labels: Readonly<Record<AlertDirection, string>> = { raised: dict.events.raised, escalated: dict.events.worse, eased: dict.events.easing, recovered: dict.events.cleared };
  return labels[direction];
}
