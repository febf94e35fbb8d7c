import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../electron/services';
import { ManualClock } from '../../../../electron/services/clock';
import { createDispatch } from '../../../../electron/dispatch';
import { createHandlers } from '../../../../electron/handlers';
import type { RiskWarning } from '../../../../shared/risks';
import { heatMap } from '../../../../shared/risks';
import { SeedExporter } from '../../../support/metrics-exporter';
import { tempHome } from '../../../support/temp-home';

describe('risk register and early warnings', () => {
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
    services = createServices({ home: home.dir, clock, identity: { actor: 'alice', host: 'laptop-1' }, metrics: { sleep: async (ms) => clock.advance(ms) } });
  });
  afterEach(() => {
    services.close();
    home.cleanup();
  });

  it("starts from seed 000's seven risks, scored impact × probability, in an editable file", () => {
    const view = services.risks.list();
    expect(view.risks.map((r) => [r.id, r.score, r.level])).toEqual([
      ['R1', 12, 'high'],
      ['R2', 10, 'high'],
      ['R3', 12, 'high'],
      ['R4', 12, 'high'],
      ['R5', 10, 'high'],
      ['R6', 9, 'medium'],
      ['R7', 8, 'medium'],
    ]);
    expect(view.risks[1]?.title.ja).toBe('データベース接続エラー');
    expect(fs.readFileSync(view.path, 'utf8')).toContain('ja: 応答時間が400msを超えた場合にアラート');
    // Heat map: R2 at probability 2, impact 5.
    expect(heatMap(view.risks)[1]![4]).toEqual(['R2', 'R5']);
  });

  it('a broken register file is reported with its line and field', () => {
    const file = services.risks.register.path;
    services.risks.list();
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('impact: 4', 'impact: 9'));
    expect(() => services.risks.list()).toThrow(new RegExp(`${file}:\\d+: risks\\.0\\.impact: must be 1–5`));
  });

  it('an error rate over 5 % raises R2 on the incident timeline, with score, mitigation and runbook', async () => {
    const incident = services.incidents.create({ title: 'API errors', severity: 'high' });
    services.metrics.addSource({ name: 'api', kind: 'scrape', url });
    const warnings: RiskWarning[] = [];
    services.events.on('risks.warning', (w) => warnings.push(w));
    exporter.observe(1000, 0.05);
    await services.metrics.poll();
    exporter.observe(1000, 0.05, 20); // 2 %: nothing
    clock.advance(10_000);
    await services.metrics.poll();
    expect(warnings).toEqual([]);
    exporter.observe(1000, 0.05, 80); // 8 %
    clock.advance(10_000);
    await services.metrics.poll();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      risk: 'R2',
      score: 10,
      level: 'high',
      condition: 'error_rate > 5 (now 8 %)',
      mitigation: 'Connection pool management with retries and backoff',
      runbooks: ['database-connection-errors'],
      incidentId: incident.id,
    });
    const entry = services.timeline.list(incident.id).find((e) => e.kind === 'risk.warning');
    expect(entry?.data).toMatchObject({ risk: 'R2', score: 10, runbooks: ['database-connection-errors'] });
    // Every runbook the register links exists in the bundled catalogue.
    const ids = new Set((await services.runbooks.catalogView()).runbooks.map((r) => r.id));
    for (const risk of services.risks.list().risks) for (const runbook of risk.runbooks) expect(ids, `${risk.id} → ${runbook}`).toContain(runbook);
    // Still over 5 %: no second entry for the same crossing.
    exporter.observe(1000, 0.05, 90);
    clock.advance(10_000);
    await services.metrics.poll();
    expect(warnings).toHaveLength(1);
  });

  it('an unreachable source neither fires nor clears a warning', async () => {
    services.metrics.addSource({ name: 'api', kind: 'scrape', url: 'http://127.0.0.1:9/metrics' });
    await services.metrics.poll();
    expect(services.risks.get('R2').warningActive).toBeNull();
  });

  it('memory over 80 % (a gauge) raises R3', () => {
    const fired = services.risks.observeGauge({
      at: clock.now(),
      cpu: null,
      memory: { totalBytes: 100, usedBytes: 85, availableBytes: 15, percent: 85, swapTotalBytes: 0, swapUsedBytes: 0, swapPercent: 0 } as never,
      load: null,
      diskIo: null,
      network: null,
      disks: null,
      disksAt: null,
      errors: [],
    });
    expect(fired.map((w) => w.risk)).toEqual(['R3']);
    expect(fired[0]?.incidentId).toBeNull();
  });

  it('links incidents to realised risks, proposes re-scoring and records it with the reason', async () => {
    const dispatch = createDispatch(createHandlers(services, 'websocket'));
    const incident = services.incidents.create({ title: 'Pool exhausted', severity: 'critical' });
    expect(await dispatch('risks.link', { incidentId: incident.id, risk: 'R2' })).toMatchObject({ ok: true, value: { incidents: [incident.id] } });
    expect(await dispatch('risks.forIncident', { incidentId: incident.id })).toMatchObject({
      ok: true,
      value: { proposals: [{ risk: 'R2', current: { score: 10 }, proposed: { impact: 5, probability: 3, score: 15 }, reason: `realised in incident #${incident.id}` }] },
    });
    const bad = await dispatch('risks.rescore', { risk: 'R2', impact: 6, probability: 3, reason: 'x' });
    expect(bad).toEqual({ ok: false, error: { code: 'invalid_input', message: 'impact: must be 1–5' } });
    const done = await dispatch('risks.rescore', { risk: 'R2', impact: 5, probability: 3, reason: 'happened twice this quarter', context: '月次リスク見直し', incidentId: incident.id });
    expect(done).toMatchObject({ ok: true, value: { from: { score: 10 }, to: { score: 15 }, reason: 'happened twice this quarter', actor: 'alice' } });
    expect(services.risks.get('R2')).toMatchObject({ score: 15, level: 'high', probability: 3 });
    expect(services.risks.history('R2')).toHaveLength(1);
    expect(services.timeline.list(incident.id).map((e) => e.kind)).toEqual(expect.arrayContaining(['risk.linked', 'risk.rescored']));
    // The register file itself now says 3.
    expect(services.risks.register.load().risks.find((r) => r.id === 'R2')?.probability).toBe(3);
    expect(await dispatch('risks.get', { id: 'R99' })).toEqual({ ok: false, error: { code: 'not_found', message: 'id: risk R99 does not exist' } });
  });
});
