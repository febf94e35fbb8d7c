import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { computeUpdateClock, policyLevel, updateCadenceMs, type SentUpdate, type UpdateChannel, type UpdateDraft, type UpdateLanguage } from '../../../shared/escalation';
import type { TimelineEntry } from '../../../shared/domain';
import type { Clock } from '../clock';
import { DATABASE_FILE } from '../db/open';
import { invalidInput } from '../errors';
import { formatIncidentRef, type IncidentService } from '../incidents';
import { fmtTime } from '../reports/describe';
import { EN_REPORT_DICTIONARY } from '../reports/labels';
import { JA_REPORT_DICTIONARY } from '../reports/labels-ja';
import { TemplateStore, findBuiltInTemplatesDir, renderTemplate } from '../reports/templates';
import { toEntry, type TimelineRow, type TimelineService } from '../timeline';
import type { Db } from '../db/open';
import type { ContactDirectory } from './contacts';
import { buildEml, mailtoLink } from './eml';
import { readEscalationState, type EscalationService } from './service';
import { incidentRef } from '../../../shared/incident-ref';

// Stakeholder updates: drafts filled from the incident through user-editable Mustache
// templates (reports/templates/updates, overridden by <home>/templates/updates), and a
// record of each update sent — its exact text and SHA-256 — on the timeline.

export const UPDATE_TEMPLATE = 'stakeholder-update';
const DONE_LIMIT = 8;
/** How far back (newest first) a draft looks for what was done and what is next. */
const LOOKBACK = 500;
// `+kind`: walk the (incident_id, seq) index newest first and stop at LOOKBACK, rather than
// collect every matching row of a long incident through the kind index and sort them.
const DONE_KINDS_SQL = "(+kind IN ('note', 'status.changed', 'escalation.escalated', 'command.finished') OR +kind LIKE 'runbook.step%')";

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One line of "what has been done" for an entry that is somebody's action, else undefined. */
function doneLine(entry: TimelineEntry, language: UpdateLanguage): string | undefined {
  const d = entry.data;
  const dict = language === 'ja' ? JA_REPORT_DICTIONARY : EN_REPORT_DICTIONARY;
  switch (entry.kind) {
    case 'note': {
      const text = str(d.text).trim();
      // "Next: …" notes are the plan, not what was done.
      return /^(next|次)\s*[:：]/i.test(text) ? undefined : text.split('\n')[0];
    }
    case 'status.changed':
      return `${language === 'ja' ? 'ステータス' : 'Status'}: ${dict.statusNames?.[str(d.to) as keyof typeof dict.statusNames] ?? str(d.to)}`;
    case 'escalation.escalated':
      return language === 'ja' ? `レベル ${String(d.level)} にエスカレーション${str(d.contact) ? `(${str(d.contact)})` : ''}` : `Escalated to Level ${String(d.level)}${str(d.contact) ? ` (${str(d.contact)})` : ''}`;
    case 'command.finished':
      return str(d.command) ? `${language === 'ja' ? '実行' : 'Ran'}: ${str(d.command)}` : undefined;
    default:
      return entry.kind.startsWith('runbook.step') && str(d.status) === 'done' && str(d.title) ? `✓ ${str(d.title)}` : undefined;
  }
}

export interface UpdateServiceDeps {
  readonly db: Db;
  readonly escalation: EscalationService;
  readonly clock: Clock;
  readonly incidents: IncidentService;
  readonly timeline: TimelineService;
  readonly contacts: ContactDirectory;
  readonly home: string;
  readonly builtInDir?: string;
}

export class UpdateService {
  private readonly store: TemplateStore;

  constructor(private readonly deps: UpdateServiceDeps) {
    const builtIn = deps.builtInDir ?? findBuiltInTemplatesDir();
    this.store = new TemplateStore(builtIn ? path.join(builtIn, 'updates') : undefined, path.join(deps.home, 'templates', 'updates'));
  }

  draft(incidentId: number, language: UpdateLanguage): UpdateDraft {
    const incident = this.deps.incidents.get(incidentId);
    const nowMs = this.deps.clock.now();
    // The newest entries that can be "done" or "next" lines, oldest first; never the whole timeline.
    const entries = this.deps.db
      .prepare<[number, number], TimelineRow>(`SELECT * FROM timeline WHERE incident_id = ? AND ${DONE_KINDS_SQL} ORDER BY seq DESC LIMIT ?`)
      .all(incidentId, LOOKBACK)
      .map(toEntry)
      .reverse();
    const state = readEscalationState(incidentId, this.deps.escalation.entries(incidentId));
    const dict = language === 'ja' ? JA_REPORT_DICTIONARY : EN_REPORT_DICTIONARY;
    const ja = language === 'ja';
    const done = entries
      .map((e) => ({ e, text: doneLine(e, language) }))
      .filter((x): x is { e: TimelineEntry; text: string } => Boolean(x.text))
      .slice(-DONE_LIMIT)
      .map(({ e, text }) => ({ time: fmtTime(e.at), text }));
    const nextNote = [...entries].reverse().find((e) => e.kind === 'note' && /^(next|次)\s*[:：]/i.test(str(e.data.text).trim()));
    const { policy } = this.deps.escalation.policy();
    const cadence = updateCadenceMs(incident.severity, policy);
    const nextUpdateAt = new Date(nowMs + cadence).toISOString();
    const level = policyLevel(state.level, policy);
    const view = {
      ref: incidentRef(incident.id, incident.sharedUid),
      title: incident.title,
      severityLabel: `${dict.severityNames?.[incident.severity] ?? incident.severity}`,
      statusLabel: dict.statusNames?.[incident.status] ?? incident.status,
      detectedAt: fmtTime(incident.detectedAt),
      now: fmtTime(new Date(nowMs).toISOString()),
      updateNumber: state.updates.length + 1,
      impact: incident.impact.trim() || (ja ? '(確認中)' : '(being assessed)'),
      services: incident.services.join(', '),
      done,
      next: nextNote ? str(nextNote.data.text).trim().replace(/^(next|次)\s*[:：]\s*/i, '') : ja ? '(原因の特定と復旧を継続します)' : '(we continue to identify the cause and restore service)',
      level: state.level,
      levelName: ja ? level.nameJa : level.name,
      nextUpdateAt: fmtTime(nextUpdateAt),
      responder: incident.responder.trim() || (ja ? '対応チーム' : 'The response team'),
    };
    const template = this.store.load(UPDATE_TEMPLATE, language);
    const rendered = renderTemplate(template.text.replace(/^\s*\{\{![\s\S]*?\}\}\s*\n/, ''), view).replace(/\n{3,}/g, '\n\n').trim();
    const subjectLine = /^Subject:\s*(.*)\n+/i.exec(rendered);
    const subject = subjectLine ? subjectLine[1]!.trim() : `[${view.ref}] ${incident.title}`;
    const text = `${subjectLine ? rendered.slice(subjectLine[0].length) : rendered}\n`;
    const to = this.recipients();
    return { incidentId, language, template: template.info.path, subject, text, to, mailto: mailtoLink(to, subject, text), nextUpdateAt };
  }

  /** Records an update as sent: its exact text, SHA-256, and whether it met the cadence. */
  record(input: { incidentId: number; language: UpdateLanguage; via: UpdateChannel; text: string; subject: string; path?: string; fileSha256?: string }): SentUpdate {
    const incident = this.deps.incidents.get(input.incidentId);
    const state = readEscalationState(incident.id, this.deps.escalation.entries(incident.id));
    const nowMs = this.deps.clock.now();
    const clock = computeUpdateClock(incident, state.lastUpdateAt, nowMs, updateCadenceMs(incident.severity, this.deps.escalation.policy().policy));
    const sha256 = createHash('sha256').update(input.text, 'utf8').digest('hex');
    const entry = this.deps.timeline.append({
      incidentId: incident.id,
      kind: 'update.sent',
      data: {
        language: input.language,
        via: input.via,
        sha256,
        subject: input.subject,
        text: input.text,
        dueAt: clock.dueAt,
        onTime: clock.remainingMs >= 0,
        ...(input.path ? { path: input.path } : {}),
        ...(input.fileSha256 ? { fileSha256: input.fileSha256 } : {}),
      },
    });
    return readEscalationState(incident.id, [entry]).updates[0]!;
  }

  /** Writes the update as .eml or Markdown (default under <home>/updates) and records it as sent. */
  save(input: { incidentId: number; language: UpdateLanguage; format: 'eml' | 'md'; text: string; subject: string; path?: string | undefined }): SentUpdate {
    this.deps.incidents.get(input.incidentId);
    const nowMs = this.deps.clock.now();
    const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').slice(0, 15);
    const target = path.resolve(input.path ?? path.join(this.deps.home, 'updates', `${formatIncidentRef(input.incidentId)}-update-${stamp}.${input.format}`));
    const dir = path.dirname(target);
    if (input.path === undefined) fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw invalidInput('path', `the folder ${dir} does not exist`);
    const db = path.join(path.resolve(this.deps.home), DATABASE_FILE);
    if ([db, `${db}-wal`, `${db}-shm`].includes(target)) throw invalidInput('path', `${target} is Firebreak's database; choose another file`);
    const bytes =
      input.format === 'eml'
        ? buildEml({ to: this.recipients(), subject: input.subject, text: input.text, date: new Date(nowMs) })
        : `${input.subject ? `# ${input.subject}\n\n` : ''}${input.text}`;
    fs.writeFileSync(target, bytes);
    return this.record({
      incidentId: input.incidentId,
      language: input.language,
      via: input.format === 'eml' ? 'eml' : 'markdown',
      text: input.text,
      subject: input.subject,
      path: target,
      fileSha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }

  /** Contacts whose role names them stakeholders (関係者) and who have an e-mail address. */
  private recipients(): string[] {
    return this.deps.contacts
      .list()
      .filter((c) => c.email && /stakeholder|関係者/i.test(`${c.role} ${c.notes}`))
      .map((c) => c.email);
  }
}
