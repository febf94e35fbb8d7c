import type { AlertClass, IndicatorId, IndicatorReading, SignalsView } from '../../../shared/metrics';

// Seed 000's alert settings decide what a crossing is: an "act now" crossing (error rate over
// 5 %, availability under 99 %) is an alert on the incident's timeline; a "watch" crossing
// (response time over 200 ms …) is a notice in the console only. Edge-triggered: each
// crossing is announced once, and again only after the indicator went back below it.

export interface SignalAlert {
  readonly indicator: IndicatorId;
  readonly alert: AlertClass;
  readonly level: IndicatorReading['level'];
  readonly value: number;
  readonly unit: string;
  readonly source: string | null;
  readonly at: number;
}

export class SignalAlerts {
  private readonly current = new Map<IndicatorId, AlertClass | null>();

  constructor(
    private readonly onAlert: (alert: SignalAlert) => void,
    private readonly onNotice: (alert: SignalAlert) => void,
  ) {}

  observe(view: SignalsView): SignalAlert[] {
    const fired: SignalAlert[] = [];
    for (const reading of view.readings) {
      // Unknown neither raises nor clears: a source that stops answering is not "all clear".
      if (reading.value === null) continue;
      const was = this.current.get(reading.id) ?? null;
      const now = reading.alert;
      this.current.set(reading.id, now);
      if (now === null || now === was || (was === 'act-now' && now === 'watch')) continue;
      const alert: SignalAlert = { indicator: reading.id, alert: now, level: reading.level, value: reading.value, unit: reading.unit, source: reading.source, at: view.at };
      fired.push(alert);
      if (now === 'act-now') this.onAlert(alert);
      else this.onNotice(alert);
    }
    return fired;
  }
}
