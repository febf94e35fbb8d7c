import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../../../electron/dispatch';
import { createHandlers } from '../../../../electron/handlers';
import { SignalRecorder } from '../../../../electron/services/metrics/recorder';
import type { IndicatorReading, SignalsView } from '../../../../shared/metrics';
import { createFixture, type Fixture } from '../fixtures';

/** A poll's worth of readings: the error rate given, everything else unknown. */
function view(at: number, errorRate: number | null): SignalsView {
  const reading = (id: IndicatorReading['id'], value: number | null): IndicatorReading => ({
    id,
    value,
    unit: id === 'error_rate' ? '%' : 'ms',
    level: 'unknown',
    alert: null,
    source: 'api',
    at,
    reason: null,
  });
  return { at, readings: [reading('error_rate', errorRate), reading('query_time', null)], sources: [] };
}

describe('report sections: service indicators around the incident and realised risks', () => {
  let fixture: Fixture;
  beforeEach(() => {
    fixture = createFixture('2026-04-01T10:00:00.000Z');
  });
  afterEach(() => fixture.cleanup());

  it('summarises the recorded indicators 15 minutes either side and lists realised risks with proposals', async () => {
    const { services, clock, home } = fixture;
    const recorder = new SignalRecorder(home);
    const detected = Date.parse('2026-04-01T10:00:00Z');
    recorder.record(view(detected - 60 * 60_000, 50)); // an hour before: outside the window
    recorder.record(view(detected - 10 * 60_000, 0.5));
    recorder.record(view(detected + 60_000, 8));
    recorder.record(view(detected + 5 * 60_000, 3));
    const incident = services.incidents.create({ title: 'Checkout errors', severity: 'high', detectedAt: '2026-04-01T10:00:00.000Z' });
    services.risks.link(incident.id, 'R2');
    services.risks.rescore({ risk: 'R1', impact: 4, probability: 4, reason: 'slow | again', incidentId: incident.id });
    services.risks.link(incident.id, 'R1');
    clock.set('2026-04-01T10:20:00Z');
    const dispatch = createDispatch(createHandlers(services, 'websocket'));
    const result = await dispatch('reports.render', { incidentId: incident.id, template: 'postmortem', format: 'md' });
    expect(result.ok).toBe(true);
    const text = (result as { value: { text: string } }).value.text;
    expect(text).toContain('## Service indicators around the incident');
    expect(text).toContain('From 2026-04-01 09:45:00 UTC to 2026-04-01 10:20:00 UTC');
    // 0.5, 8 and 3 (the 50 % an hour before is outside): min 0.5, avg 3.83, max 8, worst danger.
    expect(text).toMatch(/\| Error rate \| 0\.50 % \| 3\.83 % \| 8\.00 % \| danger \| 3\/3 \|/);
    expect(text).toMatch(/\| Query time \(p95\) \| — \| — \| — \| unknown \| 0\/3 \|/);
    expect(text).toContain('## Realised risks');
    expect(text).toContain('| R2 Database connection errors | 5×2=10 (high) | 5×3=15 (high): realised in this incident: probability +1 | — |');
    expect(text).toMatch(/\| R1 API response time degradation \| 4×4=16 \(high\) \| 4×5=20 \(high\).*\| 12 → 16 \(slow \\\| again, 2026-04-01 10:00:00 UTC\) \|/);
    const ja = await dispatch('reports.render', { incidentId: incident.id, template: 'postmortem', format: 'md', language: 'ja' });
    const jaText = (ja as { value: { text: string } }).value.text;
    expect(jaText).toContain('## 現実になったリスク');
    expect(jaText).toContain('| R2 データベース接続エラー |');
    expect(jaText).toMatch(/\| エラー率 \| 0\.50 % \| 3\.83 % \| 8\.00 % \| 危険 \| 3\/3 \|/);
  });

  it('leaves both sections out when there is nothing to show', async () => {
    const incident = fixture.services.incidents.create({ title: 'Quiet', severity: 'low' });
    const result = await createDispatch(createHandlers(fixture.services, 'websocket'))('reports.render', { incidentId: incident.id, template: 'incident-report', format: 'md' });
    const text = (result as { value: { text: string } }).value.text;
    expect(text).not.toContain('Service indicators around the incident');
    expect(text).not.toContain('Realised risks');
  });
});
