import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatch, type Dispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { DEFAULT_RULES } from '../../../shared/gauge-rules';
import type { AlertHistoryPage, AlertsView, GaugeSample, RulesConfig } from '../../../shared/monitor';
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

  it("puts this laptop's alerts only on incidents that list it as a target or pin its alerts", async () => {
    // The bug: unrelated load on the laptop raised CPU alerts on the most urgent incident.
    const unrelated = f.services.incidents.create({ title: 'checkout down on db1', severity: 'critical' });
    const onLaptop = f.services.incidents.create({ title: 'laptop slow', severity: 'low' });
    const pinned = f.services.incidents.create({ title: 'watching everything', severity: 'medium' });
    await call('gauges.setRules', IMMEDIATE);
    await call('targets.add', { name: 'db1' });
    await call('targets.addToIncident', { incidentId: unrelated.id, name: 'db1' });
    await call('targets.addToIncident', { incidentId: onLaptop.id, name: 'local' });
    await call('targets.pinAlerts', { incidentId: pinned.id, name: 'local' });
    expect(await call('targets.alertPins', { incidentId: pinned.id })).toEqual(['local']);
    expect(await dispatch('targets.pinAlerts', { incidentId: pinned.id, name: 'local' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await dispatch('targets.pinAlerts', { incidentId: pinned.id, name: '-oProxyCommand=x' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const changes: AlertsView[] = [];
    f.services.events.on('alerts.changed', (view) => changes.push(view));
    feed(50);
    f.clock.advance(1000);
    feed(95);
    f.clock.advance(1000);
    feed(96);
    const alertsOn = (id: number) => f.services.timeline.list(id).filter((e) => e.kind.startsWith('alert.'));
    expect(alertsOn(unrelated.id)).toEqual([]);
    expect(alertsOn(onLaptop.id)).toHaveLength(1);
    expect(alertsOn(onLaptop.id)[0]!.data).toMatchObject({ source: 'gauge', metric: 'cpu', rule: 'cpu.level', from: 'normal', to: 'danger', value: 95, threshold: 85 });
    expect(alertsOn(pinned.id)).toHaveLength(1);
    const view = await call<AlertsView>('monitor.alerts');
    expect(view.localIncidents).toEqual([onLaptop.id, pinned.id]);
    expect(view.active.map((a) => a.key)).toEqual(['gauge:cpu.level:']);
    expect(changes.at(-1)!.active).toHaveLength(1);
    // Unpinning is a timeline entry too, and stops the alerts there.
    await call('targets.unpinAlerts', { incidentId: pinned.id, name: 'local' });
    expect(f.services.timeline.list(pinned.id).map((e) => e.kind).filter((k) => k.startsWith('alerts.'))).toEqual(['alerts.pinned', 'alerts.unpinned']);
    // The console hears at once where this laptop's alerts now go.
    expect(changes.at(-1)!.localIncidents).toEqual([onLaptop.id]);
    f.clock.advance(1000);
    feed(10);
    expect(alertsOn(onLaptop.id).map((e) => e.kind)).toEqual(['alert.raised', 'alert.cleared']);
    expect(alertsOn(pinned.id)).toHaveLength(1);
    expect(alertsOn(unrelated.id)).toEqual([]);
    expect((await call<AlertsView>('monitor.alerts')).active).toEqual([]);
  });

  it('routes a probe alert by the host it calls: loopback is this laptop, a remote host needs that target', async () => {
    const onDb = f.services.incidents.create({ title: 'db1 slow', severity: 'high' });
    const onLaptop = f.services.incidents.create({ title: 'local redis', severity: 'low' });
    await call('targets.add', { name: 'ops@db1:2222' });
    await call('targets.addToIncident', { incidentId: onDb.id, name: 'ops@db1:2222' });
    await call('targets.pinAlerts', { incidentId: onLaptop.id, name: 'local' });
    await call('probes.setConfig', { config: { targets: [
      { name: 'db1-http', kind: 'http', url: 'http://db1:1/health', timeoutMs: 100, retries: 0 },
      { name: 'local-tcp', kind: 'tcp', host: '127.0.0.1', port: 1, timeoutMs: 100, retries: 0 },
    ] } });
    await call('probes.run');
    const probesOn = (id: number) => f.services.timeline.list(id).filter((e) => e.kind === 'alert.raised').map((e) => e.data.probe);
    expect(probesOn(onDb.id)).toEqual(['db1-http']);
    expect(probesOn(onLaptop.id)).toEqual(['local-tcp']);
  });

  it('keeps every alert in a paged history with no cap, newest first', async () => {
    await call('gauges.setRules', IMMEDIATE);
    for (let i = 0; i < 130; i++) {
      feed(i % 2 ? 10 : 95);
      f.clock.advance(1000);
    }
    const first = await call<AlertHistoryPage>('monitor.alertHistory', { limit: 50 });
    expect(first.total).toBe(130);
    expect(first.items).toHaveLength(50);
    expect(first.hasMore).toBe(true);
    expect(first.items[0]!.alert.kind).toBe('alert.cleared');
    const ids: number[] = first.items.map((i) => i.id);
    let page = first;
    while (page.hasMore) {
      // New alerts arriving while paging do not shift the older pages.
      for (const cpu of [95, 10]) {
        feed(cpu);
        f.clock.advance(1000);
      }
      page = await call<AlertHistoryPage>('monitor.alertHistory', { before: page.items.at(-1)!.id, limit: 50 });
      ids.push(...page.items.map((i) => i.id));
    }
    expect(ids).toHaveLength(130);
    expect(new Set(ids).size).toBe(130);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const newer = await call<AlertHistoryPage>('monitor.alertHistory', { after: first.items[0]!.id });
    expect(newer.items.map((i) => i.alert.kind)).toEqual(['alert.cleared', 'alert.raised', 'alert.cleared', 'alert.raised']);
    expect((await call<AlertsView>('monitor.alerts')).recent.length).toBeLessThanOrEqual(100);
    expect(await dispatch('monitor.alertHistory', { limit: 5000 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
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
    await call('targets.addToIncident', { incidentId: incident.id, name: 'local' });
    await call('gauges.setRules', IMMEDIATE);
    feed(90);
    const entry = (await call<TimelineEntry[]>('timeline.list', { incidentId: incident.id })).at(-1)!;
    expect(entry.kind).toBe('alert.raised');
    expect(entry.data.message).toMatch(/cpu normal → danger at 90%/);
  });
});
