import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../electron/services';
import { ManualClock } from '../../../../electron/services/clock';
import type { EventPayload } from '../../../../shared/contract';
import { SeedExporter } from '../../../support/metrics-exporter';
import { tempHome } from '../../../support/temp-home';

describe("seed 000's alert settings and the user's own metric names", () => {
  const exporter = new SeedExporter();
  let url = '';
  let home: ReturnType<typeof tempHome>;
  let clock: ManualClock;
  let services: Services;

  beforeAll(async () => {
    url = await exporter.start();
  });
  afterAll(() => exporter.stop());
  beforeEach(() => {
    exporter.reset();
    home = tempHome();
    clock = new ManualClock(Date.parse('2026-03-01T10:00:00Z'));
    services = createServices({ home: home.dir, clock, identity: { actor: 'alice', host: 'laptop-1' } });
  });
  afterEach(() => {
    services.close();
    home.cleanup();
  });

  async function step(count: number, seconds: number, errors: number) {
    exporter.observe(count, seconds, errors);
    clock.advance(10_000);
    return services.metrics.poll();
  }

  it('an act-now crossing is an alert on the incident, a watch crossing only a notice, each once', async () => {
    const incident = services.incidents.create({ title: 'API', severity: 'high' });
    services.metrics.addSource({ name: 'api', kind: 'scrape', url });
    const events: EventPayload<'metrics.alert'>[] = [];
    services.events.on('metrics.alert', (e) => events.push(e));
    await services.metrics.poll();
    await step(1000, 0.3, 20); // p95 300 ms: watch; 2 % errors: on neither list
    await step(1000, 0.3, 30); // still over 200 ms: not again
    await step(1000, 0.05, 80); // 8 %: act now
    await step(1000, 0.05, 90); // 9 %: still act now
    expect(events.map((e) => [e.indicator, e.alert, e.incidentId])).toEqual([
      ['response_time_p95', 'watch', null],
      ['error_rate', 'act-now', incident.id],
    ]);
    const alerts = services.timeline.list(incident.id).filter((e) => e.kind === 'signal.alert');
    expect(alerts.map((e) => [e.data.indicator, e.data.alert, e.data.value])).toEqual([['error_rate', 'act-now', 8]]);
    // Back to normal, then over 5 % again: a new crossing.
    await step(1000, 0.05, 0);
    await step(1000, 0.05, 60);
    expect(services.timeline.list(incident.id).filter((e) => e.kind === 'signal.alert')).toHaveLength(2);
  });

  it("reads the user's own metric names from metrics.json", async () => {
    fs.writeFileSync(
      services.metrics.config.path,
      JSON.stringify({
        sources: [{ name: 'api', kind: 'scrape', url }],
        indicators: { error_rate: { errors: 'database_connections', requests: 'api_response_time_seconds_count' }, pool_use: { gauge: 'database_connections', max: 10 } },
      }),
    );
    await services.metrics.poll();
    exporter.connections = 8;
    const view = await step(100, 0.05, 0);
    // The "errors" counter is now database_connections (5 → 8 and 2 → 2: 3 in 10 s) over 100 requests.
    expect(view.readings.find((r) => r.id === 'error_rate')?.value).toBeCloseTo(3, 6);
    expect(view.readings.find((r) => r.id === 'pool_use')).toMatchObject({ value: 80, level: 'warning' });
  });

  it('a broken metrics.json is reported with the file and the field', async () => {
    fs.writeFileSync(services.metrics.config.path, JSON.stringify({ sources: [{ name: 'api', kind: 'ftp', url }] }));
    await expect(services.metrics.poll()).rejects.toThrow(`${services.metrics.config.path}: sources.0.kind`);
  });
});
