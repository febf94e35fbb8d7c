import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { createFetcher } from '../../../../electron/services/metrics/fetch';
import { MetricsService } from '../../../../electron/services/metrics/service';
import { SeedExporter } from '../../../support/metrics-exporter';
import { sshdAvailable } from '../../../support/sshd';
import { targetHarness, type TargetHarness } from '../targets/harness';

// The service's /metrics often listens only on the server's loopback: the scrape goes through
// the target's SSH connection (curl there), and the indicators are computed on the laptop.
describe.skipIf(!sshdAvailable)('a scrape source on a remote target (real sshd)', () => {
  const exporter = new SeedExporter();
  let h: TargetHarness;
  let url = '';

  beforeAll(async () => {
    url = await exporter.start();
    h = await targetHarness();
    h.targets.add('fbtest');
  }, 60_000);
  afterAll(async () => {
    await h?.cleanup();
    await exporter.stop();
  });

  it('scrapes through the target and rates the counters on the laptop', async () => {
    const clock = new ManualClock(Date.parse('2026-03-01T10:00:00Z'));
    const service = new MetricsService({ home: h.home, clock, fetchText: createFetcher((name) => h.targets.get(name)) });
    service.addSource({ name: 'api', kind: 'scrape', url, target: 'fbtest' });
    exporter.observe(100, 0.05);
    await service.poll();
    exporter.observe(1000, 0.05, 70);
    clock.advance(10_000);
    const view = await service.poll();
    expect(view.sources[0]).toMatchObject({ name: 'api', target: 'fbtest', state: 'ok' });
    expect(view.readings.find((r) => r.id === 'error_rate')).toMatchObject({ value: 7, level: 'danger', source: 'api' });
  }, 60_000);

  it('a URL nothing answers on the target is unreachable (curl’s own words), not normal', async () => {
    const clock = new ManualClock(Date.parse('2026-03-01T10:00:00Z'));
    const service = new MetricsService({ home: h.home, clock, fetchText: createFetcher((name) => h.targets.get(name)), timeoutMs: 3_000 });
    service.removeSource('api');
    service.addSource({ name: 'gone', kind: 'scrape', url: 'http://127.0.0.1:9/metrics', target: 'fbtest' });
    const view = await service.poll();
    const errors = view.readings.find((r) => r.id === 'error_rate')!;
    expect(errors.level).toBe('unknown');
    expect(errors.reason).toMatch(/^unreachable: http:\/\/127\.0\.0\.1:9\/metrics via fbtest: curl: \(7\)/);
  }, 60_000);
});
