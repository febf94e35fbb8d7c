import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../electron/services';
import { ManualClock } from '../../../../electron/services/clock';
import { DEFAULT_RULES } from '../../../../shared/gauge-rules';
import { ManualScheduler } from '../../../../electron/services/gauges/scheduler';
import { OverridableSource } from '../../../../electron/services/gauges/override-source';
import { MemorySecretStore } from '../../../../electron/services/probes/secret-store';
import type { GaugeUpdate } from '../../../../shared/monitor';
import { tempHome } from '../../../support/temp-home';
import { FakeSource } from '../gauges/fake-source';

describe('MonitorService started as in the app (fake source, manual time)', () => {
  let home: ReturnType<typeof tempHome>;
  let clock: ManualClock;
  let scheduler: ManualScheduler;
  let source: OverridableSource;
  let services: Services;
  beforeEach(() => {
    home = tempHome();
    clock = new ManualClock(Date.parse('2026-11-23T09:00:30Z'));
    scheduler = new ManualScheduler(clock);
    source = new OverridableSource(new FakeSource());
    services = createServices({ home: home.dir, clock, identity: { actor: 'a', host: 'h' }, secrets: new MemorySecretStore(), monitor: { source, scheduler } });
  });
  afterEach(() => {
    services.close();
    home.cleanup();
  });

  it('streams samples with display colours, alerts once per transition, and writes history on stop', async () => {
    const incident = services.incidents.create({ title: 'load', severity: 'high' });
    services.monitor.routes.pin(incident.id, 'local');
    services.monitor.setRules({ ...DEFAULT_RULES, defaults: { hysteresis: 5, holdMs: 0, confirmMs: 0 } });
    const updates: GaugeUpdate[] = [];
    services.events.on('gauges.sample', (u) => updates.push(u));
    await services.monitor.start();
    expect(services.monitor.running).toBe(true);
    source.override({ cpu: 75 });
    await scheduler.advance(1000);
    expect(updates.at(-1)!.display).toMatchObject({ cpu: 'warning', cores: expect.arrayContaining(['warning']) });
    source.override({ cpu: 99 });
    await scheduler.advance(3000);
    expect(updates.at(-1)!.display.cpu).toBe('danger');
    const alerts = services.timeline.list(incident.id).filter((e) => e.kind === 'alert.raised');
    expect(alerts.map((e) => e.data.to)).toEqual(['warning', 'danger']);
    expect(services.monitor.recent().updates.length).toBe(updates.length);
    services.monitor.stop();
    expect(services.monitor.running).toBe(false);
    const rows = services.monitor.historyRows(incident.id, { metric: 'cpu' });
    expect(rows.length).toBeGreaterThan(0);
    expect(Math.max(...rows.map((r) => r.max))).toBe(99);
    // Stopped means stopped: time passing produces nothing.
    const count = updates.length;
    await scheduler.advance(10_000);
    expect(updates.length).toBe(count);
  });

  it('is not started by createServices (one-shot CLI commands never sample)', async () => {
    const updates: GaugeUpdate[] = [];
    services.events.on('gauges.sample', (u) => updates.push(u));
    await scheduler.advance(5000);
    expect(updates).toEqual([]);
    expect(services.monitor.alerts().running).toBe(false);
  });
});
