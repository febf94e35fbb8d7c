import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatch, type Dispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { DEFAULT_RULES } from '../../../shared/gauge-rules';
import type { AlertsView, GaugeSample, RulesConfig } from '../../../shared/monitor';
import type { TimelineEntry } from '../../../shared/domain';
import { createFixture, type Fixture } from '../services/fixtures';

function sample(at: number, cpu: number, memory = 40): GaugeSample {
  return {
    at,
    cpu: { total: cpu, cores: [cpu, cpu] },
    memory: { totalBytes: 100, usedBytes: memory, availableBytes: 100 - memory, percent: memory, swapTotalBytes: 0, swapUsedBytes: 0, swapPercent: 0 },
    load: { load1: 1, load5: 1, load15: 1, cores: 2 },
    diskIo: null,
    network: [],
    disks: [{ fs: '/dev/sda1', mount: '/', type: 'ext4', sizeBytes: 100, usedBytes: 50, percent: 50 }],
    disksAt: at,
    errors: [],
  };
}

/** Immediate rules: no confirm, hold or hysteresis, so one sample makes one transition. */
const IMMEDIATE: RulesConfig = { ...DEFAULT_RULES, defaults: { hysteresis: 0, holdMs: 0, confirmMs: 0 } };

describe('monitor channels', () => {
  let f: Fixture;
  let dispatch: Dispatch;
  let call: <T>(channel: string, input?: unknown) => Promise<T>;
  beforeEach(() => {
    f = createFixture();
    dispatch = createDispatch(createHandlers(f.services, 'websocket'), () => undefined);
    call = async <T,>(channel: string, input?: unknown) => {
      const result = await dispatch(channel, input);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as T;
    };
  });
  afterEach(() => f.cleanup());

  const feed = (cpu: number) => f.services.monitor.gauges.handle(sample(f.clock.now(), cpu));

  it('appends a threshold crossing to the most urgent open incident, once per transition', async () => {
    const low = f.services.incidents.create({ title: 'minor', severity: 'low' });
    const critical = f.services.incidents.create({ title: 'checkout down', severity: 'critical' });
    await call('gauges.setRules', IMMEDIATE);
    const changes: AlertsView[] = [];
    f.services.events.on('alerts.changed', (view) => changes.push(view));
    feed(50);
    f.clock.advance(1000);
    feed(95);
    f.clock.advance(1000);
    feed(96);
    const alerts = f.services.timeline.list(critical.id).filter((e) => e.kind === 'alert.raised');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.data).toMatchObject({ source: 'gauge', metric: 'cpu', rule: 'cpu.level', from: 'normal', to: 'danger', value: 95, threshold: 85 });
    expect(f.services.timeline.list(low.id).some((e) => e.kind.startsWith('alert.'))).toBe(false);
    const view = await call<AlertsView>('monitor.alerts');
    expect(view.target).toEqual({ pinned: null, effective: critical.id, reason: 'most-urgent' });
    expect(view.active.map((a) => a.key)).toEqual(['gauge:cpu.level:']);
    expect(changes.at(-1)!.active).toHaveLength(1);
    f.clock.advance(1000);
    feed(10);
    expect(f.services.timeline.list(critical.id).filter((e) => e.kind === 'alert.cleared')).toHaveLength(1);
    expect((await call<AlertsView>('monitor.alerts')).active).toEqual([]);
  });

  it('sends alerts to the pinned incident while it is open, and falls back when it is resolved', async () => {
    const a = f.services.incidents.create({ title: 'a', severity: 'low' });
    const b = f.services.incidents.create({ title: 'b', severity: 'critical' });
    await call('gauges.setRules', IMMEDIATE);
    expect(await call('monitor.setAlertTarget', { incidentId: a.id })).toEqual({ pinned: a.id, effective: a.id, reason: 'pinned' });
    feed(95);
    expect(f.services.timeline.list(a.id).filter((e) => e.kind === 'alert.raised')).toHaveLength(1);
    f.services.incidents.transition({ id: a.id, to: 'resolved', reason: 'false alarm' });
    expect((await call<AlertsView>('monitor.alerts')).target).toEqual({ pinned: a.id, effective: b.id, reason: 'most-urgent' });
    // The pin is a setting: another process (the CLI) sees it.
    expect(f.reopen().monitor.target.pinned()).toBe(a.id);
    expect(await dispatch('monitor.setAlertTarget', { incidentId: 99 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('monitor.setAlertTarget', { incidentId: null })).toEqual({ pinned: null, effective: b.id, reason: 'most-urgent' });
  });

  it('finds the most urgent open incident from one row of the list order, never building every open incident', async () => {
    for (let i = 0; i < 30; i++) f.services.incidents.create({ title: `minor ${i}`, severity: 'low' });
    const critical = f.services.incidents.create({ title: 'checkout down', severity: 'critical' });
    const list = vi.spyOn(f.services.incidents, 'list');
    expect((await call<AlertsView>('monitor.alerts')).target).toEqual({ pinned: null, effective: critical.id, reason: 'most-urgent' });
    expect(list).not.toHaveBeenCalled();
  });

  it('keeps alerts in the UI only when no incident is open', async () => {
    await call('gauges.setRules', IMMEDIATE);
    feed(99);
    const view = await call<AlertsView>('monitor.alerts');
    expect(view.target.reason).toBe('none');
    expect(view.recent[0]).toMatchObject({ kind: 'alert.raised', metric: 'cpu' });
    expect(f.services.db.prepare('SELECT COUNT(*) AS n FROM timeline').get()).toEqual({ n: 0 });
  });

  it('validates rules per field and keeps them across restarts', async () => {
    const bad = structuredClone(DEFAULT_RULES) as { rules: { warning?: { value: number } }[] };
    bad.rules[0]!.warning!.value = 150;
    const result = await dispatch('gauges.setRules', bad);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/^rules\.0\.warning\.value: /) } });
    const edited = structuredClone(DEFAULT_RULES);
    (edited.rules[0] as { warning: { value: number } }).warning.value = 65;
    await call('gauges.setRules', edited);
    const view = await f.reopen().monitor.rules();
    expect(view.rules.rules[0]).toMatchObject({ id: 'cpu.level', warning: { value: 65 } });
    expect(view.defaults).toEqual(DEFAULT_RULES);
  });

  it('stores probe passwords only in the secret store and never sends them back', async () => {
    const config = { targets: [{ name: 'cache', kind: 'redis', host: '127.0.0.1', port: 1, secretRef: 'probe.cache', timeoutMs: 100, retries: 0 }] };
    expect(await dispatch('probes.setConfig', { config: { targets: [{ ...config.targets[0], password: 'x' }] } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('password') },
    });
    await call('probes.setConfig', { config });
    await call('probes.setSecret', { ref: 'probe.cache', value: 'hunter2-secret' });
    const view = await call<{ secretsSet: string[] }>('probes.config');
    expect(view.secretsSet).toEqual(['probe.cache']);
    expect(JSON.stringify(view)).not.toContain('hunter2');
    const exported = await call<{ needsSecret: string[]; config: { targets: object[] } }>('probes.export');
    expect(exported.needsSecret).toEqual(['cache']);
    expect(JSON.stringify(exported)).not.toMatch(/secretRef|hunter2/);
    const imported = await call<{ stripped: string[] }>('probes.import', { document: { targets: [{ name: 'web', kind: 'http', url: 'http://u:pw@127.0.0.1:1/health', password: 'p' }] } });
    expect(imported.stripped).toEqual(['targets[0].url (password)', 'targets[0].password']);
    const [result] = await call<{ state: string; error: string }[]>('probes.run', { name: 'web' });
    expect(result).toMatchObject({ state: 'down' });
    expect(await dispatch('probes.run', { name: 'nope' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await call('probes.deleteSecret', { ref: 'probe.cache' });
    expect(await f.services.secrets.get('probe.cache')).toBeNull();
  });

  it('persists one-minute history for the alert target while an incident is open', async () => {
    const incident = f.services.incidents.create({ title: 'slow', severity: 'high' });
    for (let i = 0; i < 130; i++) {
      feed(i % 2 ? 20 : 40);
      f.clock.advance(1000);
    }
    const rows = await call<{ metric: string; samples: number; min: number; max: number }[]>('gauges.history', { incidentId: incident.id, metric: 'cpu' });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]).toMatchObject({ metric: 'cpu', min: 20, max: 40 });
    // Not started (a one-shot process): no in-memory window.
    expect(await call('gauges.recent')).toMatchObject({ updates: [], processes: null });
  });

  it('appends timeline entries that describe the alert (data is the alert itself)', async () => {
    const incident = f.services.incidents.create({ title: 'x', severity: 'high' });
    await call('gauges.setRules', IMMEDIATE);
    feed(90);
    const entry = (await call<TimelineEntry[]>('timeline.list', { incidentId: incident.id })).at(-1)!;
    expect(entry.kind).toBe('alert.raised');
    expect(entry.data.message).toMatch(/cpu normal → danger at 90%/);
  });
});
