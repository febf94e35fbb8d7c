import type { TimelineEntry } from '../../../shared/domain';

// Escalations and stakeholder updates as the report and the metrics read them from the
// timeline (issue 17): who was called at which level, when they answered, and exactly what
// stakeholders were told (text and SHA-256) and whether it met the update cadence.

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
  readonly detail: string;
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
        this.suggestions.push({ at: entry.at, level: Number(d.level), detail: str(d.detail) });
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
