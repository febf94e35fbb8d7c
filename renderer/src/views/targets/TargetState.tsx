import { useTranslation } from 'react-i18next';
import type { TargetStatus } from '../../../../shared/targets';
import { formatDateTime } from '../../i18n/dates';

/** One line of a target's connection state: connected / authenticating / unreachable since … (with ssh's reason). */
export function TargetState({ status }: { readonly status: TargetStatus }) {
  const { t } = useTranslation();
  const time = formatDateTime;
  const cls = status.state === 'connected' ? 'ok-text' : status.state === 'unreachable' || status.state === 'host-key-changed' ? 'error-text' : 'warn-text';
  return (
    <span className={`target-state small ${cls}`} data-testid={`target-state-${status.name}`} data-state={status.state}>
      {t(`targets.state.${status.state}`, { since: time(status.since) })}
      {status.retryAt && status.state === 'unreachable' && <span className="muted"> · {t('targets.retryAt', { time: time(status.retryAt) })}</span>}
      {status.message && status.state !== 'connected' && <span className="muted"> — {status.message}</span>}
    </span>
  );
}
