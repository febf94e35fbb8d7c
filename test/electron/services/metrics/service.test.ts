import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { createFetcher } from '../../../../electron/services/metrics/fetch';
import { MetricsService } from '../../../../electron/services/metrics/service';
import type { IndicatorId, SignalsView } from '../../../../shared/metrics';
import { SeedExporter } from '../../../support/metrics-exporter';
import { eventually, hasPrometheus, startPrometheus, type RunningPrometheus } from '../../../support/prometheus';
import { tempHome } from '../../../support/temp-home';

/** A loopback port that was just free: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const reading = (view: SignalsView, id: IndicatorId) => view.readings.find((r) => r.id === id)!;

describe('direct scrape of a /metrics endpoint', () => {
  const exporter = new SeedExporter();
  let url = '';
  let home: ReturnType<typeof tempHome>;
  let clock: ManualClock;
  let service: MetricsService;

  beforeAll(async () => {
    url = await exporter.start();
  });
  afterAll(() => exporter.stop());
  beforeEach(() => {
    exporter.reset();
    exporter.omitErrors = false;
    exporter.openMetrics = false;
    exporter.failing = false;
    home = tempHome();
    clock = new ManualClock(Date.parse('2026-03-01T10:00:00Z'));
    // The "second apart" of a fresh reading is the manual clock moving, not a real wait.
    service = new MetricsService({ home: home.dir, clock, fetchText: createFetcher(), sleep: async (ms) => clock.advance(ms) });
    service.addSource({ name: 'api', kind: 'scrape', url });
  });
  afterEach(() => home.cleanup());

  /** Two scrapes 10 s apart with `between` happening in the service in between. */
  async function window(between: () => void): Promise<SignalsView> {
    await service.poll();
    between();
    clock.advance(10_000);
    return service.poll();
  }

  it('computes seed 000 indicators and their bands from two scrapes', async () => {
    exporter.observe(1000, 0.15);
    const view = await window(() => exporter.observe(6000, 0.15, 60));
    // 6000 requests in 10 s, 60 errors: 600 req/s, 1 % errors (warning edge), p95 inside (0.1, 0.2].
    expect(reading(view, 'throughput')).toMatchObject({ value: 600, level: 'normal', source: 'api' });
    expect(reading(view, 'error_rate')).toMatchObject({ value: 1, level: 'warning', alert: null });
    // Availability is uptime: both scrapes were answered.
    expect(reading(view, 'availability')).toMatchObject({ value: 100, level: 'normal' });
    expect(reading(view, 'response_time_p95').value).toBeCloseTo(195, 6);
    expect(reading(view, 'response_time_p95').level).toBe('normal');
    // database_connections max 5 of a pool of 20.
    expect(reading(view, 'pool_use')).toMatchObject({ value: 25, level: 'normal' });
    // No query-time histogram in seed 000's metrics: unknown with the series named.
    expect(reading(view, 'query_time')).toMatchObject({ value: null, level: 'unknown', reason: 'series database_query_time_seconds_bucket missing' });
  });

  it('an error rate over 5 % is danger and act-now', async () => {
    const view = await window(() => exporter.observe(1000, 0.05, 80));
    expect(reading(view, 'error_rate')).toMatchObject({ value: 8, level: 'danger', alert: 'act-now' });
  });

  it('a counter reset (the service restarted) still gives a real rate', async () => {
    exporter.observe(100_000, 0.05, 500);
    const view = await window(() => {
      exporter.reset();
      exporter.observe(3000, 0.05, 30);
    });
    expect(reading(view, 'throughput').value).toBe(300);
    expect(reading(view, 'error_rate').value).toBe(1);
  });

  it('a missing series is unknown, naming it', async () => {
    exporter.omitErrors = true;
    const view = await window(() => exporter.observe(1000, 0.05));
    expect(reading(view, 'error_rate')).toMatchObject({ value: null, level: 'unknown', reason: 'series api_errors_total missing' });
    expect(reading(view, 'throughput').value).toBe(100);
  });

  it('a histogram with no traffic is unknown ("no traffic"), never a 0 ms normal', async () => {
    exporter.observe(50, 0.05);
    const view = await window(() => undefined);
    expect(reading(view, 'response_time_p95')).toMatchObject({ value: null, level: 'unknown', reason: 'no traffic' });
    expect(reading(view, 'error_rate')).toMatchObject({ level: 'unknown', reason: 'no traffic' });
    expect(reading(view, 'throughput')).toMatchObject({ value: 0, level: 'danger' });
  });

  it('reads OpenMetrics too', async () => {
    exporter.openMetrics = true;
    const view = await window(() => exporter.observe(1000, 0.05, 20));
    expect(reading(view, 'error_rate').value).toBe(2);
  });

  it('an unreachable source makes every indicator unknown with the reason', async () => {
    exporter.observe(10, 0.05);
    await window(() => exporter.observe(1000, 0.05, 5));
    exporter.failing = true;
    clock.advance(5_000);
    const view = await service.poll();
    for (const r of view.readings) expect(r.level).toBe('unknown');
    expect(reading(view, 'error_rate').reason).toMatch(/^unreachable: .*HTTP 503/);
    expect(view.sources[0]).toMatchObject({ name: 'api', state: 'unreachable' });
  });

  it('availability is the share of scrapes the endpoint answered, unknown while it does not answer', async () => {
    await window(() => exporter.observe(1000, 0.05));
    exporter.failing = true;
    clock.advance(5_000);
    expect(reading(await service.poll(), 'availability')).toMatchObject({ value: null, level: 'unknown' });
    exporter.failing = false;
    clock.advance(5_000);
    // 3 of 4 answered.
    expect(reading(await service.poll(), 'availability')).toMatchObject({ value: 75, level: 'danger', alert: 'act-now' });
  });

  it('a stale source (no answer within the stale window) is unknown', async () => {
    await window(() => exporter.observe(1000, 0.05, 5));
    clock.advance(60_000);
    const view = service.evaluate();
    expect(view.sources[0]?.state).toBe('stale');
    expect(reading(view, 'throughput')).toMatchObject({ level: 'unknown', reason: expect.stringMatching(/^stale/) });
  });

  it('signals() with no recent history scrapes twice, a second apart', async () => {
    exporter.observe(10, 0.05);
    let scrapes = 0;
    const counting = new MetricsService({
      home: home.dir,
      clock,
      fetchText: async (u, o) => {
        scrapes++;
        return createFetcher()(u, o);
      },
      sleep: async (ms) => {
        clock.advance(ms);
        exporter.observe(700, 0.05, 7);
      },
    });
    const view = await counting.signals();
    expect(scrapes).toBe(2);
    expect(reading(view, 'throughput').value).toBe(700);
    expect(reading(view, 'error_rate').value).toBe(1);
  });

  it('a port nobody listens on is unreachable, not normal', async () => {
    service.removeSource('api');
    const port = await closedPort();
    service.addSource({ name: 'gone', kind: 'scrape', url: `http://127.0.0.1:${port}/metrics` });
    const view = await service.signals();
    expect(reading(view, 'error_rate')).toMatchObject({ level: 'unknown', reason: `unreachable: http://127.0.0.1:${port}/metrics: ECONNREFUSED` });
  });
});

describe.skipIf(!hasPrometheus())('Prometheus HTTP API (real prometheus from apt)', () => {
  const exporter = new SeedExporter();
  let prometheus: RunningPrometheus;
  let home: ReturnType<typeof tempHome>;
  let service: MetricsService;

  beforeAll(async () => {
    await exporter.start();
    prometheus = await startPrometheus(`127.0.0.1:${exporter.port}`);
    home = tempHome();
    service = new MetricsService({ home: home.dir, clock: { now: () => Date.now() }, fetchText: createFetcher() });
    service.addSource({ name: 'prom', kind: 'prometheus', url: prometheus.url });
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await exporter.stop();
    home?.cleanup();
  });

  it('evaluates the seed PromQL and bands from the server', async () => {
    // Steady traffic with 8 % errors while Prometheus scrapes every second.
    const timer = setInterval(() => exporter.observe(100, 0.3, 8), 100);
    try {
      const view = await eventually(async () => {
        const v = await service.poll();
        const errors = reading(v, 'error_rate');
        return errors.value !== null && Math.abs(errors.value - 8) < 0.01 ? v : undefined;
      });
      expect(reading(view, 'error_rate')).toMatchObject({ level: 'danger', alert: 'act-now', source: 'prom' });
      expect(reading(view, 'availability')).toMatchObject({ value: 100, level: 'normal' });
      expect(reading(view, 'response_time_p95').value).toBeGreaterThan(200);
      expect(reading(view, 'response_time_p95').value).toBeLessThanOrEqual(300);
      // The default PromQL sums the pools: (5 + 2) / 20.
      expect(reading(view, 'pool_use')).toMatchObject({ value: 35, level: 'normal' });
    } finally {
      clearInterval(timer);
    }
  }, 90_000);

  it('a series Prometheus does not have is unknown ("series missing")', async () => {
    const view = await service.poll();
    expect(reading(view, 'query_time')).toMatchObject({ value: null, level: 'unknown', reason: 'series missing' });
  });

  it('runs a range query for evidence with the source and time range', async () => {
    const now = await service.query({ query: 'time()' });
    const at = now.series[0]!.points[0]![1] * 1000;
    const result = await service.query({ query: 'sum(api_errors_total)', from: at - 10_000, to: at, stepMs: 1_000 });
    expect(result).toMatchObject({ source: 'prom', kind: 'range', from: at - 10_000, to: at, stepMs: 1_000 });
    expect(result.series[0]!.points.length).toBeGreaterThan(1);
  });

  it('a PromQL error is a clear one-line error', async () => {
    await expect(service.query({ query: 'sum(' })).rejects.toThrow(/bad_data/);
  });

  it('a stopped Prometheus is unreachable: unknown, never normal', async () => {
    const other = new MetricsService({ home: tempHome().dir, clock: { now: () => Date.now() }, fetchText: createFetcher(), timeoutMs: 2_000 });
    other.addSource({ name: 'prom', kind: 'prometheus', url: `http://127.0.0.1:${await closedPort()}` });
    const view = await other.poll();
    expect(view.readings.every((r) => r.level === 'unknown')).toBe(true);
    expect(reading(view, 'error_rate').reason).toMatch(/^unreachable/);
  });
});
