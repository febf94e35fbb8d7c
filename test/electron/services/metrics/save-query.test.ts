import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatch } from '../../../../electron/dispatch';
import { createHandlers } from '../../../../electron/handlers';
import { createServices, type Services } from '../../../../electron/services';
import { SeedExporter } from '../../../support/metrics-exporter';
import { eventually, hasPrometheus, startPrometheus, type RunningPrometheus } from '../../../support/prometheus';
import { tempHome } from '../../../support/temp-home';

describe.skipIf(!hasPrometheus())('saving a PromQL result as evidence (real prometheus)', () => {
  const exporter = new SeedExporter();
  let prometheus: RunningPrometheus;
  let home: ReturnType<typeof tempHome>;
  let services: Services;

  beforeAll(async () => {
    await exporter.start();
    prometheus = await startPrometheus(`127.0.0.1:${exporter.port}`);
    home = tempHome();
    services = createServices({ home: home.dir, identity: { actor: 'alice', host: 'laptop-1' } });
    services.metrics.addSource({ name: 'prom', kind: 'prometheus', url: prometheus.url });
  }, 60_000);
  afterAll(async () => {
    services?.close();
    await prometheus?.stop();
    await exporter.stop();
    home?.cleanup();
  });

  it('keeps the series with the query, the source and the time range, with custody', async () => {
    exporter.observe(100, 0.1, 3);
    const dispatch = createDispatch(createHandlers(services, 'websocket'));
    const incident = services.incidents.create({ title: 'Errors', severity: 'high' });
    // Prometheus' own clock (the suite may run with a shifted one) names the window.
    const now = await eventually(async () => {
      const r = await services.metrics.query({ query: 'time()' });
      const up = await services.metrics.query({ query: 'sum(api_errors_total)' });
      return up.series.length ? r.series[0]!.points[0]![1] * 1000 : undefined;
    });
    const saved = await dispatch('metrics.saveQuery', { incidentId: incident.id, query: 'sum(api_errors_total)', from: Math.floor(now - 5_000), to: Math.floor(now), stepMs: 1_000 });
    expect(saved.ok).toBe(true);
    const { result, sha256 } = (saved as { value: { result: { series: unknown[]; source: string }; sha256: string } }).value;
    expect(result.source).toBe('prom');
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const [artifact] = services.evidence.listArtifacts(incident.id);
    expect(artifact).toMatchObject({ sha256 });
    const stored = JSON.parse(fs.readFileSync(services.evidence.blobPath(artifact!)!, 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ query: 'sum(api_errors_total)', source: 'prom', kind: 'range', from: new Date(Math.floor(now - 5_000)).toISOString(), stepMs: 1_000 });
    expect((stored.series as unknown[]).length).toBe(1);
    const custody = services.timeline.list(incident.id).find((e) => e.kind === 'evidence.collected');
    expect(JSON.stringify(custody?.data)).toContain('sum(api_errors_total)');
    // A scrape source cannot run PromQL: one clear line naming it.
    services.metrics.addSource({ name: 'direct', kind: 'scrape', url: `http://127.0.0.1:${exporter.port}/metrics` });
    expect(await dispatch('metrics.saveQuery', { incidentId: incident.id, query: 'up', source: 'direct' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'source: direct is a /metrics scrape; PromQL needs a Prometheus source' },
    });
  }, 60_000);
});
