import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onEvent } from '../../api';
import { useAppStore } from '../../store/store';

/** An early warning anywhere in the console: a toast naming the risk and the rule that fired. */
export function RiskAlerts() {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  useEffect(
    () =>
      onEvent('risks.warning', (w) =>
        notify('error', t('risks.warningToast', { id: w.risk, title: w.title, score: w.score, condition: w.condition })),
      ),
    [notify, t],
  );
  return null;
}
