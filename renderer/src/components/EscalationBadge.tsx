import { useT } from '../i18n/use-t';

/** The incident's escalation level ("L2"); Level 1 (the on-call operator) shows only where asked. */
export function EscalationBadge({ level, always = false }: { readonly level: number; readonly always?: boolean }) {
  const t = useT();
  if (level <= 1 && !always) return null;
  return (
    <span className={`badge escalation-level level-${level}`} title={t('escalation.levelTitle', { level })} data-testid="escalation-level">
      {t('escalation.level', { level })}
    </span>
  );
}
