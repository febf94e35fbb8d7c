import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../../../electron/services/reports/pdf';
import { artifactPath } from '../../../e2e/support/browser';
import { createFixture, type Fixture } from '../fixtures';
import { reportService, seedFullIncident } from './fixture';

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
const chromium = findChromium();
// Under CI a missing tool is a failure, never a skip.
if (process.env.CI === 'true' && (!hasPdftotext || !chromium)) {
  throw new Error(`PDF tests need ${!chromium ? 'Chromium (apt-get install chromium)' : ''} ${!hasPdftotext ? 'pdftotext (apt-get install poppler-utils)' : ''}`.trim());
}
if (!hasPdftotext || !chromium) console.warn('PDF tests skipped: need Chromium and poppler-utils (pdftotext, pdftoppm)');

describe.skipIf(!hasPdftotext || !chromium)('PDF reports through Chromium', () => {
  let fx: Fixture;
  let id: number;
  beforeAll(() => {
    fx = createFixture();
    id = seedFullIncident(fx.services, fx.clock);
    const insert = fx.services.db.prepare('INSERT INTO gauge_history (incident_id, metric, subject, bucket_start, bucket_ms, samples, min, avg, max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const start = Date.parse('2026-11-23T08:50:00Z');
    for (let i = 0; i < 60; i++) insert.run(id, 'cpu', '', new Date(start + i * 60_000).toISOString(), 60_000, 60, 15 + (i % 9), 35 + 40 * Math.sin(i / 8) ** 2, 50 + 45 * Math.sin(i / 8) ** 2);
  });
  afterAll(() => fx.cleanup());

  for (const paper of ['A4', 'Letter'] as const) {
    it(`prints the postmortem on ${paper} with page numbers, text extractable`, async () => {
      const file = path.join(fx.home, `report-${paper}.pdf`);
      const saved = await reportService(fx.services).save({ incidentId: id, template: 'postmortem', format: 'pdf', paper, redact: true, path: file });
      expect(saved.path).toBe(file);
      const bytes = fs.readFileSync(file);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(saved.sha256).toMatch(/^[0-9a-f]{64}$/);
      const raw = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      const text = raw.replace(/\s+/g, ' ');
      expect(text).toContain('Postmortem: INC-0001 Checkout API returns 502');
      expect(text).toContain('Root cause');
      expect(text).toContain('To be completed: what we learned');
      expect(text).toContain('[REDACTED]@db:5432');
      expect(text).not.toContain('s3cretpw');
      expect(text).toMatch(/Page 1 of \d+/);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      // A4 is 595 x 842 pt, Letter 612 x 792.
      expect(info).toMatch(paper === 'A4' ? /Page size:.*\(A4\)/ : /Page size:\s+612 x 792/);
      const png = artifactPath(`report-postmortem-${paper}`);
      execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', file, png]);
      expect(fs.existsSync(`${png}-1.png`)).toBe(true);
    }, 60_000);
  }

  it('prints the incident report too, with the evidence hashes', async () => {
    const file = path.join(fx.home, 'incident.pdf');
    await reportService(fx.services).save({ incidentId: id, template: 'incident-report', format: 'pdf', paper: 'A4', redact: true, path: file });
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Incident report: INC-0001');
    expect(text.replace(/\s+/g, '')).toContain('c'.repeat(64));
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '3', file, artifactPath('report-incident-A4')]);
  }, 60_000);
});
