import type { Severity } from '../../../../shared/severity';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvCell } from '../../../../electron/services/reports/export';
import { createFixture, type Fixture } from '../fixtures';
import { reportService, seedFullIncident } from './fixture';

const MIN = 60_000;

describe('response metrics', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = createFixture('2026-11-01T00:00:00.000Z');
  });
  afterEach(() => fx.cleanup());

  /** Opens an incident now, then walks it through the given minutes-after-detection steps. */
  function incident(severity: Severity, steps: { ack?: number; mitigate?: number; resolve?: number }, rollback?: 'succeeded' | 'failed' | 'open') {
    const { incidents, timeline } = fx.services;
    const start = fx.clock.now();
    const { id } = incidents.create({ title: `${severity} thing`, severity });
    const at = (m: number) => new Date(start + m * MIN).toISOString();
    if (rollback) {
      timeline.append({ incidentId: id, kind: 'runbook.started', data: { runId: `rb-${id}`, runbookId: 'rollback' } });
      timeline.append({ incidentId: id, kind: 'runbook.step', data: { runId: `rb-${id}`, runbookId: 'rollback', stepId: 'a', status: rollback === 'failed' ? 'failed' : 'done' } });
      if (rollback !== 'open') timeline.append({ incidentId: id, kind: 'runbook.finished', data: { runId: `rb-${id}`, runbookId: 'rollback', status: rollback } });
    }
    fx.clock.set(start + 600 * MIN);
    if (steps.ack !== undefined) incidents.transition({ id, to: 'acknowledged', at: at(steps.ack) });
    if (steps.mitigate !== undefined) incidents.transition({ id, to: 'mitigated', at: at(steps.mitigate), reason: 'test' });
    if (steps.resolve !== undefined) incidents.transition({ id, to: 'resolved', at: at(steps.resolve), reason: 'test' });
    fx.clock.set(start + 24 * 60 * MIN);
    return id;
  }

  it('computes MTTA, MTTR, counts, SLA compliance and rollback success over a period', () => {
    // critical: ack 10 (met 15), resolve 50 (met 60) → met
    const a = incident('critical', { ack: 10, mitigate: 40, resolve: 50 }, 'succeeded');
    // high: ack 45 (breach 30 by 15m) → breached
    const b = incident('high', { ack: 45, resolve: 120 }, 'failed');
    // medium: ack 20, still open after a day → recovery breached (8 h)
    incident('medium', { ack: 20 }, 'open');
    // low: detected, never acknowledged, 24 h later: response (4 h) breached
    incident('low', {});
    const m = reportService(fx.services).metrics();
    expect(m.incidents).toBe(4);
    expect(m.bySeverity).toEqual({ critical: 1, high: 1, medium: 1, low: 1 });
    expect(m.mttaMs).toBe(((10 + 45 + 20) / 3) * MIN);
    expect(m.mttrMs).toBe(((50 + 120) / 2) * MIN);
    expect(m.mttmMs).toBe(((40 + 120) / 2) * MIN);
    const byId = new Map(m.perIncident.map((p) => [p.incidentId, p]));
    expect(byId.get(a)).toMatchObject({ sla: 'met', timeToAcknowledgeMs: 10 * MIN, timeToResolveMs: 50 * MIN });
    expect(byId.get(b)!.response).toMatchObject({ state: 'breached', overByMs: 15 * MIN });
    expect(m.sla).toEqual({ met: 1, breached: 3, running: 0, complianceRate: 0.25 });
    expect(m.rollbacks).toEqual({ runs: 3, succeeded: 1, failed: 1, unfinished: 1, successRate: 0.5 });

    // A period that only holds the first incident.
    const first = fx.services.incidents.get(a).detectedAt;
    const only = reportService(fx.services).metrics({ since: first, until: new Date(Date.parse(first) + MIN).toISOString() });
    expect(only.incidents).toBe(1);
    expect(only.rollbacks.runs).toBe(1);
    expect(only.sla.complianceRate).toBe(1);
  });

  it('has no averages (null, not zero) over an empty period', () => {
    const m = reportService(fx.services).metrics({ since: '2030-01-01T00:00:00Z' });
    expect(m).toMatchObject({ incidents: 0, mttaMs: null, mttrMs: null, sla: { complianceRate: null }, rollbacks: { runs: 0, successRate: null } });
  });
});

describe('timeline export', () => {
  let fx: Fixture;
  let id: number;
  beforeEach(() => {
    fx = createFixture();
    id = seedFullIncident(fx.services, fx.clock);
  });
  afterEach(() => fx.cleanup());

  it('quotes CSV cells by RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1', true)).toBe('-1');
  });

  it('exports one incident as CSV with hashes that match the chain', () => {
    fx.services.incidents.addNote(id, 'quote " comma , newline\nand =formula');
    const out = reportService(fx.services).exportTimeline({ incidentId: id, format: 'csv' });
    const entries = fx.services.timeline.list(id);
    expect(out.entries).toBe(entries.length);
    expect(out.fileName).toBe('INC-0001-timeline.csv');
    const lines = out.text.split('\r\n');
    expect(lines[0]).toBe('incident,incident_id,seq,entry_id,at,actor,host,kind,corrects,data,prev_hash,hash');
    expect(lines[1]!.endsWith(`,${entries[0]!.prevHash},${entries[0]!.hash}`)).toBe(true);
    expect(out.text).toContain('"{""text"":""quote \\"" comma , newline\\nand =formula""}"');
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exports across incidents as JSON with a kind and time filter', () => {
    fx.services.incidents.create({ title: 'second', severity: 'low' });
    const all = reportService(fx.services).exportTimeline({ format: 'json', filter: { kinds: ['runbook.*', 'incident.created'] } });
    const parsed = JSON.parse(all.text) as { entries: { kind: string; hash: string; incidentId: number }[] };
    expect(new Set(parsed.entries.map((e) => e.incidentId))).toEqual(new Set([1, 2]));
    expect(parsed.entries.every((e) => e.kind.startsWith('runbook.') || e.kind === 'incident.created')).toBe(true);
    expect(parsed.entries.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    const windowed = reportService(fx.services).exportTimeline({ incidentId: id, format: 'json', filter: { since: '2026-11-23T09:10:00Z', until: '2026-11-23T09:15:00Z' } });
    const times = (JSON.parse(windowed.text) as { entries: { at: string }[] }).entries.map((e) => e.at);
    expect(times.length).toBeGreaterThan(0);
    expect(times.every((t) => t >= '2026-11-23T09:10:00.000Z' && t <= '2026-11-23T09:15:00.000Z')).toBe(true);
  });
});
