import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { initI18n } from '../../../../renderer/src/i18n/index';
import { alertLevel, describeAlert } from '../../../../renderer/src/views/system/alert-text';
import type { GaugeAlert, ProbeAlert } from '../../../../shared/monitor';

const eased: GaugeAlert = {
  kind: 'alert.raised',
  source: 'gauge',
  metric: 'cpu',
  subject: '',
  rule: 'cpu.level',
  ruleKind: 'level',
  from: 'danger',
  to: 'warning',
  value: 28.1,
  threshold: 80,
  unit: '%',
  at: '2026-11-23T09:00:00Z',
  message: 'cpu danger → warning at 28.1%',
};

describe('alert wording in the console', () => {
  it('words a step down as a recovery under way and colours it calm, in English and Japanese', async () => {
    const i18n = initI18n('en');
    await i18n.changeLanguage('en');
    const en = i18n.t.bind(i18n) as TFunction;
    expect(describeAlert({ ...eased }, en)).toBe('CPU easing: danger → warning at 28.1% (below 80%)');
    expect(describeAlert({ ...eased, from: 'normal' }, en)).toMatch(/^CPU normal → warning/);
    expect(alertLevel(eased)).toBe('normal');
    expect(alertLevel({ ...eased, from: 'normal' })).toBe('warning');
    const probe: ProbeAlert = { kind: 'alert.raised', source: 'probe', probe: 'cache', probeKind: 'redis', target: '127.0.0.1:6379', from: 'down', to: 'warning', at: eased.at, latencyMs: 300, error: null, reasons: [], breaker: 'closed', message: '' };
    expect(describeAlert({ ...probe }, en)).toBe('Probe cache (redis) improving: down → warning');
    expect(i18n.t('monitor.probes.breakers.open', { time: '02:39' })).toBe('calls paused, retrying at 02:39');
    expect(i18n.t('monitor.probes.breakers.closed')).toBe('calls pass');
    expect(i18n.t('monitor.probes.breakers.half-open')).toBe('trying one call');
    await i18n.changeLanguage('ja');
    const ja = i18n.t.bind(i18n) as TFunction;
    expect(describeAlert({ ...eased }, ja)).toMatch(/回復中/);
    expect(describeAlert({ ...probe }, ja)).toMatch(/改善/);
    expect(i18n.t('monitor.probes.breakers.open', { time: '02:39' })).toBe('呼び出し停止中(02:39 に再試行)');
    await i18n.changeLanguage('en');
  });
});
