import type { TFunction } from 'i18next';
import type { SuggestionFacts, SuggestionTrigger } from '../../../../shared/escalation';
import { formatDuration } from '../../i18n/format';

/** Why Firebreak suggests escalating, in the UI's language; the recorded English text when the facts are missing. */
export function suggestionText(trigger: SuggestionTrigger | string, facts: SuggestionFacts, detail: string, t: TFunction): string {
  const ms = (key: string) => (typeof facts[key] === 'number' ? formatDuration(facts[key]) : '');
  const clock = typeof facts.clock === 'string' ? t(`sla.${facts.clock}`) : '';
  switch (trigger) {
    case 'sla.warning':
      return clock ? t('escalation.trigger.slaWarning', { clock, left: ms('leftMs'), target: ms('targetMs') }) : detail;
    case 'sla.breached':
      return clock ? t('escalation.trigger.slaBreached', { clock, over: ms('overMs') }) : detail;
    case 'severity.raised':
      return facts.from ? t('escalation.trigger.severityRaised', { from: t(`severity.${String(facts.from)}.label`), to: t(`severity.${String(facts.to)}.label`) }) : detail;
    case 'no.progress':
      return facts.idleMs !== undefined ? t('escalation.trigger.noProgress', { idle: ms('idleMs'), limit: ms('limitMs') }) : detail;
    default:
      return detail;
  }
}
