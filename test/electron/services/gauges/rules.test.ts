import { describe, expect, it } from 'vitest';
import { AlertEngine, type GaugeAlert } from '../../../../electron/services/gauges/alerts';
import { classify, DEFAULT_RULES, parseRulesConfig, type RulesConfig } from '../../../../shared/gauge-rules';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Feeds one value per second for `seconds`, starting at `t`, returns the new t. */
function feed(engine: AlertEngine, t: number, seconds: number, value: number | ((i: number) => number), metric: 'cpu' | 'memory' | 'disk' = 'cpu', subject = ''): number {
  for (let i = 0; i < seconds; i++) {
    const v = typeof value === 'function' ? value(i) : value;
    engine.evaluate(t, [{ metric, subject, value: v }]);
    t += 1000;
  }
  return t;
}

function levelOnly(config: RulesConfig, ...ids: string[]): RulesConfig {
  return { ...config, rules: config.rules.filter((r) => ids.includes(r.id)) };
}

describe('threshold rules (seed defaults)', () => {
  it('classifies gauges with the seed bands', () => {
    expect(classify(DEFAULT_RULES, 'cpu', 69.9)).toBe('normal');
    expect(classify(DEFAULT_RULES, 'cpu', 70)).toBe('warning');
    expect(classify(DEFAULT_RULES, 'cpu', 85)).toBe('warning');
    expect(classify(DEFAULT_RULES, 'cpu', 85.1)).toBe('danger');
    expect(classify(DEFAULT_RULES, 'memory', 79)).toBe('normal');
    expect(classify(DEFAULT_RULES, 'memory', 80)).toBe('warning');
    expect(classify(DEFAULT_RULES, 'memory', 91)).toBe('danger');
    expect(classify(DEFAULT_RULES, 'disk', 89.9)).toBe('normal');
    expect(classify(DEFAULT_RULES, 'disk', 90)).toBe('danger');
  });

  it('rejects invalid edits with a named field', () => {
    expect(() => parseRulesConfig({ rules: [{ id: 'x', kind: 'level', metric: 'cpu', warning: { value: 90 }, danger: { value: 80 } }] })).toThrow(/warning must not be above danger/);
    expect(() => parseRulesConfig({ rules: [{ id: 'x', kind: 'sustained', metric: 'cpu', threshold: { value: 80 }, forMs: 0 }] })).toThrow();
    expect(() =>
      parseRulesConfig({ rules: [{ id: 'a', kind: 'level', metric: 'cpu', danger: { value: 80 } }, { id: 'a', kind: 'level', metric: 'memory', danger: { value: 80 } }] }),
    ).toThrow(/duplicate rule id/);
    const ok = parseRulesConfig({ rules: [{ id: 'cpu', kind: 'level', metric: 'cpu', danger: { value: 95 } }] });
    expect(ok.defaults).toEqual({ hysteresis: 5, holdMs: 60_000, confirmMs: 10_000 });
    expect(ok.rules[0]).toMatchObject({ enabled: true, danger: { value: 95, op: '>=' } });
  });
});

describe('AlertEngine', () => {
  it('a short spike never alerts (confirm time)', () => {
    const alerts: GaugeAlert[] = [];
    const engine = new AlertEngine(DEFAULT_RULES, (a) => alerts.push(a));
    let t = feed(engine, T0, 30, 20);
    t = feed(engine, t, 5, 99); // 5 s spike, confirm is 10 s
    feed(engine, t, 60, 20);
    expect(alerts).toEqual([]);
  });

  it('one alert per transition: normal → warning → danger → warning → normal', () => {
    const alerts: GaugeAlert[] = [];
    const engine = new AlertEngine(levelOnly(DEFAULT_RULES, 'cpu.level'), (a) => alerts.push(a));
    let t = feed(engine, T0, 10, 20);
    t = feed(engine, t, 60, 75); // warning
    t = feed(engine, t, 90, 92); // danger
    t = feed(engine, t, 90, 72); // back to warning (below 85 - 5)
    t = feed(engine, t, 90, 30); // normal
    expect(alerts.map((a) => [a.kind, a.from, a.to])).toEqual([
      ['alert.raised', 'normal', 'warning'],
      ['alert.raised', 'warning', 'danger'],
      ['alert.raised', 'danger', 'warning'],
      ['alert.cleared', 'warning', 'normal'],
    ]);
    expect(alerts[0]).toMatchObject({ source: 'gauge', metric: 'cpu', subject: '', rule: 'cpu.level', ruleKind: 'level', value: 75, threshold: 70, unit: '%' });
    expect(alerts[0]!.at).toBe(new Date(T0 + 20_000).toISOString()); // 10 s after it started
    expect(alerts[1]).toMatchObject({ value: 92, threshold: 85 });
    expect(alerts[2]).toMatchObject({ value: 72, threshold: 80 });
    // A step down is a recovery under way, worded as one.
    expect(alerts[2]!.message).toBe('cpu easing: danger → warning at 72% (below 80%)');
    expect(alerts[3]).toMatchObject({ value: 30, threshold: 65 });
    expect(alerts[3]!.message).toContain('back to normal');
  });

  it('hysteresis: oscillating around the threshold does not flap', () => {
    const alerts: GaugeAlert[] = [];
    const engine = new AlertEngine(levelOnly(DEFAULT_RULES, 'cpu.level'), (a) => alerts.push(a));
    let t = feed(engine, T0, 20, 88); // danger
    // Oscillate between 83 and 87 for 10 minutes: never falls 5 points below 85.
    t = feed(engine, t, 600, (i) => (i % 2 === 0 ? 83 : 87));
    expect(alerts.map((a) => a.to)).toEqual(['danger']);
    t = feed(engine, t, 120, 40);
    expect(alerts.map((a) => a.to)).toEqual(['danger', 'normal']);
  });

  it('hold time: a raised level is kept for holdMs even if the value drops at once', () => {
    const alerts: GaugeAlert[] = [];
    const config = { ...levelOnly(DEFAULT_RULES, 'memory.level'), defaults: { hysteresis: 5, holdMs: 120_000, confirmMs: 5_000 } };
    const engine = new AlertEngine(config, (a) => alerts.push(a));
    let t = feed(engine, T0, 10, 95, 'memory'); // danger at T0+5 s
    t = feed(engine, t, 60, 10, 'memory'); // drops at once
    expect(alerts.map((a) => a.to)).toEqual(['danger']);
    t = feed(engine, t, 70, 10, 'memory'); // hold over (120 s after raising)
    expect(alerts.map((a) => a.to)).toEqual(['danger', 'normal']);
    expect(Date.parse(alerts[1]!.at) - Date.parse(alerts[0]!.at)).toBeGreaterThanOrEqual(120_000);
  });

  it('sustained rule: CPU ≥ 80 % for 5 minutes raises once, a dip restarts the window', () => {
    const alerts: GaugeAlert[] = [];
    const engine = new AlertEngine(levelOnly(DEFAULT_RULES, 'cpu.sustained'), (a) => alerts.push(a));
    let t = feed(engine, T0, 200, 82);
    t = feed(engine, t, 1, 50); // dip resets the window
    t = feed(engine, t, 299, 82);
    expect(alerts).toEqual([]);
    t = feed(engine, t, 2, 82); // 300 s since the dip
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'alert.raised', rule: 'cpu.sustained', ruleKind: 'sustained', from: 'normal', to: 'danger', threshold: 80 });
    expect(alerts[0]!.sustainedMs).toBeGreaterThanOrEqual(300_000);
    t = feed(engine, t, 600, 82); // still high: no repeat
    expect(alerts).toHaveLength(1);
    t = feed(engine, t, 120, 60);
    expect(alerts.map((a) => a.kind)).toEqual(['alert.raised', 'alert.cleared']);
    expect(alerts[1]).toMatchObject({ threshold: 75, from: 'danger', to: 'normal' });
  });

  it('memory sustained rule uses 85 % for 5 minutes', () => {
    const alerts: GaugeAlert[] = [];
    const engine = new AlertEngine(levelOnly(DEFAULT_RULES, 'memory.sustained'), (a) => alerts.push(a));
    feed(engine, T0, 400, 84.9, 'memory');
    expect(alerts).toEqual([]);
    feed(engine, T0 + 400_000, 301, 85, 'memory');
    expect(alerts).toHaveLength(1);
  });

  it('disk rules are per mount', () => {
    const alerts: GaugeAlert[] = [];
    const engine = new AlertEngine(levelOnly(DEFAULT_RULES, 'disk.level'), (a) => alerts.push(a));
    let t = T0;
    for (let i = 0; i < 30; i++, t += 1000) {
      engine.evaluate(t, [
        { metric: 'disk', subject: '/', value: 50 },
        { metric: 'disk', subject: '/var', value: 93 },
      ]);
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ metric: 'disk', subject: '/var', to: 'danger', threshold: 90 });
    expect(engine.levelOf('disk', '/var')).toBe('danger');
    expect(engine.levelOf('disk', '/')).toBe('normal');
    expect(engine.active()).toEqual([{ rule: 'disk.level', subject: '/var', level: 'danger', since: alerts[0] && Date.parse(alerts[0].at) }]);
  });
});
