import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../electron/services';
import { ManualClock } from '../../../../electron/services/clock';
import { SeedExporter } from '../../../support/metrics-exporter';
import { tempHome } from '../../../support/temp-home';

// The app and `firebreak serve` on one profile both poll the same service and both see the
// error rate cross 5 %: the incident gets one signal.alert and one risk.warning, not two.
describe('indicator alerts and risk warnings with two processes on one profile', () => {
  const exporter = new SeedExporter();
  let url = '';
  let home: ReturnType<typeof tempHome>;
  let clock: ManualClock;
  let app: Services;
  let serve: Services;
  const alive = new Set([111, 222]);
  const isAlive = (pid: number) => alive.has(pid);

  beforeAll(async () => {
    url = await exporter.start();
  });
  afterAll(() => exporter.stop());
  beforeEach(() => {
    exporter.reset();
    alive.clear();
    alive.add(111).add(222);
    home = tempHome();
    clock = new ManualClock(Date.parse('2026-03-01T10:00:00Z'));
    const identity = { actor: 'alice', host: 'laptop-1' };
    app = createServices({ home: home.dir, clock, identity, metrics: { alertProcess: { pid: 111, host: 'laptop-1', isAlive } } });
    serve = createServices({ home: home.dir, clock, identity, metrics: { alertProcess: { pid: 222, host: 'laptop-1', isAlive } } });
  });
  afterEach(() => {
    app.close();
    serve.close();
    home.cleanup();
  });

  async function both(count: number, seconds: number, errors: number) {
    exporter.observe(count, seconds, errors);
    clock.advance(5_000);
    await app.metrics.poll();
    clock.advance(1_000);
    await serve.metrics.poll();
  }

  const kinds = (services: Services, incidentId: number) =>
    services.timeline.list(incidentId).filter((e) => e.kind === 'signal.alert' || e.kind === 'risk.warning').map((e) => [e.kind, e.data.indicator ?? e.data.risk]);

  it('records each crossing once, and again when it crosses anew', async () => {
    const incident = app.incidents.create({ title: 'API errors', severity: 'high' });
    app.metrics.addSource({ name: 'api', kind: 'scrape', url });
    await app.metrics.poll();
    await serve.metrics.poll();
    await both(1000, 0.05, 0);
    await both(1000, 0.05, 80); // 8 %: act now, and R2's early warning
    await both(1000, 0.05, 90); // still over: nothing new
    expect(kinds(app, incident.id)).toEqual([
      ['signal.alert', 'error_rate'],
      ['risk.warning', 'R2'],
    ]);
    // Back to normal, then over 5 % again a few minutes later: one new crossing, once.
    await both(1000, 0.05, 0);
    clock.advance(120_000);
    await both(1000, 0.05, 70);
    expect(kinds(serve, incident.id)).toEqual([
      ['signal.alert', 'error_rate'],
      ['risk.warning', 'R2'],
      ['signal.alert', 'error_rate'],
      ['risk.warning', 'R2'],
    ]);
    expect(app.timeline.verify(incident.id).ok).toBe(true);
  });

  it('a process that is gone does not silence the other', async () => {
    const incident = app.incidents.create({ title: 'API errors', severity: 'high' });
    app.metrics.addSource({ name: 'api', kind: 'scrape', url });
    await app.metrics.poll();
    await both(1000, 0.05, 0);
    exporter.observe(1000, 0.05, 80);
    clock.advance(5_000);
    await app.metrics.poll();
    // The app quits; serve sees the crossing seconds later and, with the writer gone, records it.
    alive.delete(111);
    await serve.metrics.poll(); // serve's first reading after its own baseline
    clock.advance(1_000);
    exporter.observe(1000, 0.05, 80);
    await serve.metrics.poll();
    expect(kinds(serve, incident.id).filter(([kind]) => kind === 'signal.alert')).toHaveLength(2);
  });
});
