import type { TFunction } from 'i18next';
import type { SuggestionFacts } from '../../../../shared/escalation';
import { suggestionText } from './suggestion-text';

// Timeline sentences for escalation entries and sent updates (issue 17).

export function isEscalationKind(kind: string): boolean {
  return kind.startsWith('escalation.') || kind === 'update.sent';
}

export function describeEscalationEntry(kind: string, d: Readonly<Record<string, unknown>>, t: TFunction): string {
  const s = (key: string) => (typeof d[key] === 'string' || typeof d[key] === 'number' ? String(d[key]) : '');
  const who = s('contact') ? ` — ${s('contact')}` : '';
  switch (kind) {
    case 'escalation.escalated':
      return t('escalation.entry.escalated', { level: s('level'), who, via: s('via') ? ` (${t(`escalation.${s('via')}`)})` : '', reason: s('reason') });
    case 'escalation.acknowledged':
      return t('escalation.entry.acknowledged', { level: s('level'), who });
    case 'escalation.suggested': {
      const names = Array.isArray(d.contacts) ? (d.contacts as { name?: string }[]).map((c) => c.name).filter(Boolean).join(', ') : '';
      const facts = d.facts && typeof d.facts === 'object' ? (d.facts as SuggestionFacts) : {};
      return t('escalation.entry.suggested', { level: s('level'), detail: suggestionText(s('trigger'), facts, s('detail'), t), names: names || '—' });
    }
    case 'update.sent':
      return t('escalation.entry.updateSent', { via: s('via'), language: s('language'), timing: d.onTime === true ? t('comms.onTime') : t('comms.late'), sha: s('sha256').slice(0, 16) });
    default:
      return `${kind} ${JSON.stringify(d)}`;
  }
}
