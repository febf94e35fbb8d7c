import { useT } from '../i18n/use-t';
import type { SlaClock as Clock } from '../../../shared/sla';
import { formatDuration } from '../i18n/format';

/** One SLA clock: time left (or over), coloured ok → amber → red. */
export function SlaClock({ clock, compact = false }: { readonly clock: Clock; readonly compact?: boolean }) {
  const t = useT();
  const label = t(`sla.${clock.kind}`);
  let value: string;
  if (clock.stopped) value = clock.level === 'breached' ? t('sla.breachedBy', { time: formatDuration(-clock.remainingMs) }) : t('sla.met');
  else if (clock.level === 'breached') value = t('sla.overBy', { time: formatDuration(-clock.remainingMs) });
  else value = t('sla.left', { time: formatDuration(clock.remainingMs) });
  const state = clock.stopped ? (clock.level === 'breached' ? 'breached' : 'met') : clock.level;
  return (
    <div className={`sla-clock sla-${state}${compact ? ' compact' : ''}`} data-testid={`sla-${clock.kind}${compact ? "-compact" : ""}`} data-level={state}>
      <span className="sla-label">{label}</span>
      <span className="sla-value">
        {value}
        {clock.paused ? ` · ${t('sla.paused')}` : ''}
      </span>
      {!compact && (
        <span className="sla-target">{t('sla.target', { time: formatDuration(clock.targetMs) })}</span>
      )}
    </div>
  );
}
