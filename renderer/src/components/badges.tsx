import { useT } from '../i18n/use-t';
import type { IncidentStatus } from '../../../shared/lifecycle';
import { SEVERITY_TARGETS, type Severity } from '../../../shared/severity';

export function SeverityBadge({ severity }: { readonly severity: Severity }) {
  const t = useT();
  return (
    <span className={`badge severity-${severity}`} title={t(`severity.${severity}.description`)}>
      {SEVERITY_TARGETS[severity].alias} · {t(`severity.${severity}.label`)}
    </span>
  );
}

export function StatusPill({ status }: { readonly status: IncidentStatus }) {
  const t = useT();
  return <span className={`pill status-${status}`}>{t(`status.${status}`)}</span>;
}
