import type { TFunction } from 'i18next';
import { alertDirection, isRecovery, type AlertDirection } from '../../../../shared/alert-routing';
import type { MonitorAlert } from '../../../../shared/monitor';

/** Readable text of a gauge or probe alert (a timeline entry's data, or a live alert). */
export function describeAlert(data: Readonly<Record<string, unknown>>, t: TFunction): string {
  const alert = data as unknown as MonitorAlert;
  const level = (l: string) => t(`monitor.level.${l}`, { defaultValue: l }).toLowerCase();
  const state = (s: string) => t(`monitor.probes.states.${s}`, { defaultValue: s }).toLowerCase();
  switch (alert.source) {
    case 'gauge': {
      const metric = t(`monitor.rules.metrics.${alert.metric}`, { defaultValue: alert.metric });
      const what = alert.subject ? `${metric} ${alert.subject}` : metric;
      if (alert.kind === 'alert.cleared') return t('alertEntry.gaugeCleared', { what, value: alert.value, threshold: alert.threshold });
      // A step down (danger → warning) is a recovery under way, not a new problem.
      if (alertDirection(alert) === 'eased') return t('alertEntry.gaugeEased', { what, from: level(alert.from), to: level(alert.to), value: alert.value, threshold: alert.threshold });
      if (alert.ruleKind === 'sustained') {
        return t('alertEntry.gaugeSustained', { what, value: alert.value, threshold: alert.threshold, minutes: Math.round((alert.sustainedMs ?? 0) / 60_000) });
      }
      return t('alertEntry.gaugeRaised', { what, from: level(alert.from), to: level(alert.to), value: alert.value, threshold: alert.threshold });
    }
    case 'probe': {
      if (alert.kind === 'alert.cleared') {
        return t('alertEntry.probeCleared', { name: alert.probe, kind: alert.probeKind, latency: alert.latencyMs !== null ? `, ${alert.latencyMs} ms` : '' });
      }
      if (alertDirection(alert) === 'eased') return t('alertEntry.probeEased', { name: alert.probe, kind: alert.probeKind, from: state(alert.from), to: state(alert.to) });
      const why = alert.error ?? alert.reasons.join('; ');
      return t('alertEntry.probeRaised', { name: alert.probe, kind: alert.probeKind, from: state(alert.from), to: state(alert.to), why: why ? `: ${why}` : '' });
    }
    default: {
      // Compile-time exhaustiveness; at run time the data may come from a newer Firebreak,
      // so an unknown source shows its own message instead of throwing in a render.
      const unknown: never = alert;
      void unknown;
      return typeof data.message === 'string' ? data.message : JSON.stringify(data);
    }
  }
}

/** Which way an alert went, for its CSS class (`alert-eased`, …): recoveries are drawn calm. */
export function alertDirectionOf(data: Readonly<Record<string, unknown>>): AlertDirection {
  return alertDirection(data);
}

/** The level an alert stands for, for colouring: a recovery (eased or cleared) is calm whatever level it reached. */
export function alertLevel(alert: MonitorAlert): 'normal' | 'warning' | 'danger' {
  if (isRecovery(alertDirection(alert))) return 'normal';
  if (alert.source === 'gauge') return alert.to;
  return alert.to === 'warning' ? 'warning' : 'danger';
}
