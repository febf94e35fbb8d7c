import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { computeUpdateClock } from '../../../../shared/escalation';
import { formatDuration } from '../../i18n/format';

/** When the next stakeholder update is due, drawn like the SLA clocks so a missed one shows. */
export function UpdateClock({ incident, lastSentAt, cadenceMs, now }: { readonly incident: IncidentView; readonly lastSentAt: string | null; readonly cadenceMs: number | undefined; readonly now: number }) {
  const { t } = useTranslation();
  // The policy's cadence (escalation-policy.yaml) once the state has arrived; seed 004's until then.
  const clock = computeUpdateClock(incident, lastSentAt, now, cadenceMs);
  if (clock.stopped) return null;
  const state = clock.level === 'missed' ? 'breached' : clock.level;
  return (
    <div className={`sla-clock update-clock sla-${state}`} data-testid="update-clock" data-level={clock.level}>
      <span className="sla-label">{t('escalation.nextUpdate')}</span>
      <span className="sla-value">
        {clock.remainingMs >= 0 ? t('escalation.updateDue', { time: formatDuration(clock.remainingMs) }) : t('escalation.updateMissed', { time: formatDuration(-clock.remainingMs) })}
      </span>
      <span className="sla-target">{t('escalation.updateEvery', { time: formatDuration(clock.cadenceMs) })}</span>
    </div>
  );
}
