import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EN_REPORT_DICTIONARY } from '../../../../electron/services/reports/labels';
import { JA_REPORT_DICTIONARY } from '../../../../electron/services/reports/labels-ja';
import { findChromium } from '../../../../electron/services/reports/pdf';
import { renderReportSchema } from '../../../../shared/channels/reports';
import { artifactPath } from '../../../e2e/support/browser';
import { createFixture, type Fixture } from '../fixtures';
import { reportService, seedFullIncident } from './fixture';

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
const chromium = findChromium();

describe('reports in Japanese', () => {
  let fx: Fixture;
  let id: number;
  beforeAll(() => {
    fx = createFixture();
    id = seedFullIncident(fx.services, fx.clock);
  });
  afterAll(() => fx.cleanup());

  it('has every key of the English dictionary, none empty, the same {placeholders}', () => {
    for (const part of ['labels', 'prompts', 'events'] as const) {
      const en = EN_REPORT_DICTIONARY[part] as Readonly<Record<string, string>>;
      const ja = JA_REPORT_DICTIONARY[part] as Readonly<Record<string, string>>;
      expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
      for (const key of Object.keys(en)) {
        expect(ja[key]?.trim(), `${part}.${key}`).toBeTruthy();
        expect(names(ja[key]!), `${part}.${key}`).toBe(names(en[key]!));
      }
    }
  });

  it('defaults the channel language to English and accepts only en|ja', () => {
    expect(renderReportSchema.parse({ incidentId: 1, template: 'postmortem', format: 'md' }).language).toBe('en');
    expect(renderReportSchema.safeParse({ incidentId: 1, template: 'postmortem', format: 'md', language: 'fr' }).success).toBe(false);
  });

  it('renders the incident report in Markdown with Japanese words, durations and prompts', () => {
    const { text } = reportService(fx.services).render({ incidentId: id, template: 'incident-report', format: 'md', redact: true, language: 'ja' });
    fs.writeFileSync(artifactPath('report-ja-incident-report.md'), text);
    expect(text).toContain('# インシデント報告書: INC-0001 Checkout API returns 502');
    expect(text).toContain('**重要度**: 高 (P1)');
    expect(text).toContain('_[要記入: 検知より前、いつ始まったか]_');
    expect(text).toContain('## 実施した対応');
    expect(text).toMatch(/\d+(時間|分)\d\d(分|秒)/);
    expect(text).not.toContain('To be completed');
    // The English report is unchanged by the option's existence.
    const en = reportService(fx.services).render({ incidentId: id, template: 'incident-report', format: 'md', redact: true }).text;
    expect(en).toContain('**Severity**: high (P1)');
  });

  it('renders the postmortem as HTML marked lang="ja"', () => {
    const { text } = reportService(fx.services).render({ incidentId: id, template: 'postmortem', format: 'html', redact: true, language: 'ja' });
    expect(text).toContain('<html lang="ja">');
    expect(text).toContain('ポストモーテム: INC-0001');
    expect(text).toContain('根本原因');
    expect(text).toContain('再発防止策');
  });

  it.skipIf(!hasPdftotext || !chromium)('prints a Japanese PDF whose text is Japanese', async () => {
    const file = path.join(fx.home, 'postmortem-ja.pdf');
    await reportService(fx.services).save({ incidentId: id, template: 'postmortem', format: 'pdf', paper: 'A4', redact: true, language: 'ja', path: file });
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('ポストモーテム');
    // The page footer is Japanese too (issue 15: it said "Page 1 of 3").
    expect(text).toMatch(/(\d+) ?\/ ?\1 ページ/);
    expect(text).not.toContain('Page 1 of');
    expect(text).toContain('根本原因');
    expect(text).toContain('要記入');
    // A page image to look at: CJK glyphs must be drawn, not tofu boxes (needs a CJK font).
    const png = artifactPath('report-postmortem-ja');
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', file, png]);
    expect(fs.existsSync(`${png}-1.png`)).toBe(true);
  }, 60_000);
});
