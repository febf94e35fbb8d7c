import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onEvent } from '../../api';
import { useAppStore } from '../../store/store';

/**
 * Anywhere in the console: a toast for an early warning (naming the risk and the rule that
 * fired) and for a crossing of seed 000's alert settings (act now: an alert; watch: a notice).
 */
export function RiskAlerts() {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  useEffect(() => {
    const stops = [
      onEvent('risks.warning', (w) => notify('error', t('risks.warningToast', { id: w.risk, title: w.title, score: w.score, condition: w.condition }))),
      onEvent('metrics.alert', (a) =>
        notify(a.alert === 'act-now' ? 'error' : 'info', t(a.alert === 'act-now' ? 'signals.actNowToast' : 'signals.watchToast', {
          name: t(`signals.names.${a.indicator}`),
          value: `${a.value.toFixed(a.unit === '%' ? 2 : 1)} ${a.unit}`,
          level: t(`signals.level.${a.level}`),
        })),
      ),
    ];
    return () => stops.forEach((stop) => stop());
  }, [notify, t]);
  return null;
}
