import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineLine } from '../../../../electron/services/reports/keep-ends';
import { createFixture, type Fixture } from '../fixtures';
import { reportService, seedFullIncident } from './fixture';

// Issue 15: after 10,000 notes the report kept only the first 200 actions (incident report) and
// the first 1,000 rows (postmortem); the final note and "resolved → closed" were missing.
describe('reports of a long history keep their end', () => {
  let fx: Fixture;
  let id: number;
  // Seeded once: 10,000 notes take a while to append, and every test only reads.
  beforeAll(() => {
    fx = createFixture();
    id = seedFullIncident(fx.services, fx.clock);
    const { incidents, db } = fx.services;
    db.transaction(() => {
      for (let i = 1; i <= 10_000; i++) {
        fx.clock.advance(1000);
        incidents.addNote(id, `bulk note ${i}`);
      }
    })();
    // The fixture's incident is resolved already; the history ends with a note and the close.
    fx.clock.advance(60_000);
    incidents.addNote(id, 'FINAL NOTE: service stable for an hour');
    fx.clock.advance(60_000);
    incidents.transition({ id, to: 'closed' });
  }, 120_000);
  afterAll(() => fx.cleanup());

  const fullHash = () => {
    const hash = createHash('sha256');
    for (const entry of fx.services.timeline.iterate(id)) hash.update(timelineLine(entry, (s) => s));
    return hash.digest('hex');
  };

  it('incident report: the final note, every status change and the runbook steps are in; the gap is counted with the full timeline hash', () => {
    const { text } = reportService(fx.services).render({ incidentId: id, template: 'incident-report', format: 'md', redact: false, language: 'en' });
    expect(text).toContain('FINAL NOTE: service stable for an hour');
    expect(text).toMatch(/resolved → closed/);
    expect(text).toContain('bulk note 1\n');
    expect(text).toContain('bulk note 10000');
    expect(text).not.toContain('bulk note 5000\n');
    // Key events before the flood are kept too.
    expect(text).toContain('Ping redis');
    const gap = /… (\d+) entries not shown here \(notes: (\d+)\): the first (\d+) and the last (\d+)[^\n]*INC-0001-timeline\.jsonl beside this report, sha256 ([0-9a-f]{64})/.exec(text);
    expect(gap).not.toBeNull();
    expect(Number(gap![1])).toBe(Number(gap![2]));
    expect(gap![3]).toBe('100');
    expect(gap![5]).toBe(fullHash());
    // The full hash is the same file `save` writes beside the report.
  });

  it('postmortem: the timeline ends with the final note and resolved → closed', () => {
    const { text } = reportService(fx.services).render({ incidentId: id, template: 'postmortem', format: 'md', redact: false, language: 'en' });
    const rows = text.split('\n').filter((l) => /^\| .* \| (\d+|…) \| /.test(l));
    const last = rows.slice(-4).join('\n');
    expect(last).toContain('FINAL NOTE');
    expect(rows[rows.length - 1]).toMatch(/resolved → closed/);
    expect(text).toMatch(/\| … \| … \| … \d+ entries not shown here \(notes: \d+\)/);
    expect(text).toContain(fullHash());
  });

  it('save writes the full timeline beside the report, with the sha256 the report prints', async () => {
    const reports = reportService(fx.services);
    const target = path.join(fx.home, 'out', 'report.md');
    fs.mkdirSync(path.dirname(target));
    await reports.save({ incidentId: id, template: 'incident-report', format: 'md', paper: 'A4', redact: true, language: 'en', path: target });
    const text = fs.readFileSync(target, 'utf8');
    const sidecar = path.join(fx.home, 'out', 'INC-0001-timeline.jsonl');
    const bytes = fs.readFileSync(sidecar);
    const printed = /sha256 ([0-9a-f]{64})/.exec(text.slice(text.indexOf('entries not shown here')))![1];
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(printed);
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ kind: 'status.changed', data: { to: 'closed' } });
    // Redacted like the report: the fixture's password does not leave in the side file either.
    expect(bytes.toString('utf8')).not.toContain('hunter2pass');
  });

  it('a save that fails leaves neither the timeline file nor a temporary one', async () => {
    const failing = { render: async (html: string | (() => string)) => {
      if (typeof html === 'function') html(); // the report (and its timeline lines) is built, then printing fails
      throw new Error('printer crashed');
    } };
    const reports = reportService(fx.services, failing);
    const dir = path.join(fx.home, 'failed');
    fs.mkdirSync(dir);
    await expect(reports.save({ incidentId: id, template: 'incident-report', format: 'pdf', paper: 'A4', redact: true, language: 'en', path: path.join(dir, 'r.pdf') })).rejects.toThrow('printer crashed');
    await expect(reports.save({ incidentId: id, template: 'no-such-template', format: 'md', paper: 'A4', redact: true, language: 'en', path: path.join(dir, 'r.md') })).rejects.toThrow(/no-such-template/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('Japanese: the gap is said in Japanese', () => {
    const { text } = reportService(fx.services).render({ incidentId: id, template: 'postmortem', format: 'md', redact: false, language: 'ja' });
    expect(text).toMatch(/… \d+ 件は省略しました（メモ: \d+）/);
    expect(text).toContain('FINAL NOTE');
  });
});
