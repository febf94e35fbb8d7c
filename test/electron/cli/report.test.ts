import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCliHarness } from './support';

describe('firebreak report / metrics / timeline export', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  beforeEach(async () => {
    await cli('incident', 'new', '--title', 'Redis OOM', '--severity', 'P1', '--summary', 'redis maxmemory reached');
    await cli('note', '1', 'login with password=hunter2 worked');
    await cli('incident', 'status', '1', 'acknowledged');
  });

  it('writes a Markdown report to --out and prints its hash', async () => {
    const out = path.join(harness.home, 'r.md');
    const result = await cli('report', 'INC-0001', '--template', 'postmortem', '--out', out);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Saved .*r\.md\n {2}\d+ bytes, sha256 [0-9a-f]{64}\n {2}redaction applied, 1 match$/);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('# Postmortem: INC-0001 Redis OOM');
    expect(text).toContain('password=[REDACTED]');
  });

  it('prints HTML to stdout without --out, and honours --no-redact', async () => {
    const result = await cli('report', '1', '--format', 'html', '--no-redact');
    expect(result.out.startsWith('<!doctype html>')).toBe(true);
    expect(result.out).toContain('password=hunter2');
  });

  it('names unknown templates, bad formats and a missing folder', async () => {
    expect((await cli('report', '1', '--template', 'nope')).code).toBe(1);
    expect(harness.errors.join('\n')).toContain('report template "nope" does not exist');
    expect((await cli('report', '1', '--format', 'docx')).code).toBe(2);
    expect((await cli('report', '1', '--out', path.join(harness.home, 'missing', 'r.md'))).code).toBe(1);
    expect(harness.errors.join('\n')).toMatch(/path: the folder .*missing does not exist/);
    expect((await cli('report', '1', '--format', 'pdf')).code).toBe(2);
  });

  it('lists templates', async () => {
    const result = await cli('report', 'templates');
    expect(result.out).toMatch(/incident-report\s+built-in/);
    expect(result.out).toMatch(/postmortem\s+built-in/);
  });

  it('summarises metrics as text and JSON', async () => {
    const text = await cli('metrics', '--since', '30d');
    expect(text.code).toBe(0);
    expect(text.out).toContain('Incidents detected');
    expect(text.out).toMatch(/critical 0, high 1/);
    const json = JSON.parse((await cli('metrics', '--json')).out);
    expect(json).toMatchObject({ incidents: 1, bySeverity: { high: 1 } });
    expect((await cli('metrics', '--since', 'yesterday')).code).toBe(2);
  });

  it('exports a timeline as CSV to a file, and across incidents as JSON', async () => {
    const out = path.join(harness.home, 't.csv');
    const result = await cli('timeline', 'export', '1', '--out', out);
    expect(result.out).toMatch(/Exported 3 entries to .*t\.csv\n {2}sha256 [0-9a-f]{64}/);
    expect(fs.readFileSync(out, 'utf8').split('\r\n')[0]).toBe('incident,incident_id,seq,entry_id,at,actor,host,kind,corrects,data,prev_hash,hash');
    const json = JSON.parse((await cli('timeline', 'export', '--format', 'json', '--kind', 'note')).out);
    expect(json.entries).toHaveLength(1);
    // The existing timeline commands still work.
    expect((await cli('timeline', 'verify')).code).toBe(0);
  });
});
