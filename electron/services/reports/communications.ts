import type { TimelineEntry } from '../../../shared/domain';
import { fill, type ReportDictionary } from './labels';

// Escalations and stakeholder updates as the report and the metrics read them from the
// timeline (issue 17): who was called at which level, when they answered, and exactly what
// stakeholders were told (text and SHA-256) and whether it met the update cadence.

/** Why a suggestion was made, in the report's language; the recorded English text when its facts are missing. */
export function suggestionDetail(
  s: Pick<SuggestionLine, 'trigger' | 'detail' | 'facts'>,
  dict: Pick<ReportDictionary, 'events' | 'labels' | 'severityNames'>,
  formatDuration: (ms: number) => string,
): string {
  const f = s.facts;
  const ms = (key: string) => (typeof f[key] === 'number' ? formatDuration(f[key]) : '');
  const clock = f.clock === 'response' ? dict.labels.slaResponse : f.clock === 'recovery' ? dict.labels.slaRecovery : '';
  const sev = (v: unknown) => (dict.severityNames as Readonly<Record<string, string>> | undefined)?.[String(v)] ?? String(v);
  switch (s.trigger) {
    case 'sla.warning':
      return clock ? fill(dict.events.triggerSlaWarning, { clock, left: ms('leftMs'), target: ms('targetMs') }) : s.detail;
    case 'sla.breached':
      return clock ? fill(dict.events.triggerSlaBreached, { clock, over: ms('overMs') }) : s.detail;
    case 'severity.raised':
      return f.from ? fill(dict.events.triggerSeverity, { from: sev(f.from), to: sev(f.to) }) : s.detail;
    case 'no.progress':
      return f.idleMs !== undefined ? fill(dict.events.triggerIdle, { idle: ms('idleMs'), limit: ms('limitMs') }) : s.detail;
    default:
      return s.detail;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export interface EscalationLine {
  readonly entryId: number;
  readonly at: string;
  readonly level: number;
  readonly contact: string;
  readonly via: string;
  readonly reason: string;
  acknowledgedAt: string | null;
}

export interface SuggestionLine {
  readonly at: string;
  readonly level: number;
  readonly trigger: string;
  readonly detail: string;
  readonly facts: Readonly<Record<string, string | number>>;
}

export interface UpdateLine {
  readonly at: string;
  readonly via: string;
  readonly language: string;
  readonly sha256: string;
  readonly subject: string;
  readonly text: string;
  readonly dueAt: string;
  readonly onTime: boolean;
}

export class CommunicationsCollector {
  readonly escalations: EscalationLine[] = [];
  readonly suggestions: SuggestionLine[] = [];
  readonly updates: UpdateLine[] = [];

  add(entry: Pick<TimelineEntry, 'id' | 'kind' | 'at' | 'data'>): void {
    const d = entry.data;
    switch (entry.kind) {
      case 'escalation.escalated':
        this.escalations.push({ entryId: entry.id, at: entry.at, level: Number(d.level), contact: str(d.contact), via: str(d.via), reason: str(d.reason), acknowledgedAt: null });
        break;
      case 'escalation.acknowledged': {
        const target = this.escalations.find((e) => e.entryId === d.escalationEntryId);
        if (target && target.acknowledgedAt === null) target.acknowledgedAt = entry.at;
        break;
      }
      case 'escalation.suggested':
        this.suggestions.push({ at: entry.at, level: Number(d.level), trigger: str(d.trigger), detail: str(d.detail), facts: d.facts && typeof d.facts === 'object' ? (d.facts as SuggestionLine['facts']) : {} });
        break;
      case 'update.sent':
        this.updates.push({ at: entry.at, via: str(d.via), language: str(d.language), sha256: str(d.sha256), subject: str(d.subject), text: str(d.text), dueAt: str(d.dueAt), onTime: d.onTime === true });
        break;
      default:
        break;
    }
  }

  /** Detection to the first escalation, ms; null when nobody was escalated to. */
  timeToFirstEscalationMs(detectedAt: string): number | null {
    const first = this.escalations[0];
    return first ? Math.max(0, Date.parse(first.at) - Date.parse(detectedAt)) : null;
  }

  get updatesOnTime(): number {
    return this.updates.filter((u) => u.onTime).length;
  }
}

/** The timeline kinds this collector reads (for queries that fetch only these). */
export const COMMUNICATION_KINDS = ['escalation.escalated', 'escalation.acknowledged', 'escalation.suggested', 'update.sent'] as const;
