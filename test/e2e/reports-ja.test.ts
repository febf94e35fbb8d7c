import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, VIEWPORT, type ConsoleSession } from './support/console';

const hasPdftoppm = spawnSync('pdftoppm', ['-v']).error === undefined;

// Issue 15 (reports, dates) and issue 13 (hosts in reports), as a Japanese operator in Tokyo sees
// them: the browser and the report both in Asia/Tokyo, so every time shown says UTC+09:00.
describe.skipIf(!chromiumPath)('reports in Japanese, with hosts, §9.1 fields and one date format', () => {
  let session: ConsoleSession;
  let page: Page;
  let id: number;

  beforeAll(async () => {
    session = await openConsole({ host: { timeZone: 'Asia/Tokyo', identity: { actor: 'alice', host: 'laptop-1' } } });
    const { test } = session;
    const { incidents, timeline } = test.services;
    id = incidents.create({ title: 'web-1 のディスクが満杯', severity: 'high', summary: '/var が 100%', services: ['api'], responder: 'alice' }).id;
    incidents.transition({ id, to: 'acknowledged' });
    timeline.append({ incidentId: id, kind: 'command.finished', data: { command: 'df -h /var', exitCode: 0, durationMs: 300, host: 'web-1' } });
    timeline.append({ incidentId: id, kind: 'alert.raised', data: { source: 'gauge', metric: 'cpu', subject: '', rule: 'cpu.level', value: 91, threshold: 85, unit: '%', message: 'cpu 91% > 85%' } });
    timeline.append({
      incidentId: id,
      kind: 'evidence.collected',
      data: { collectionId: 1, collector: 'remote-files', params: { target: 'web-1' }, final: true, status: 'complete', totals: { artifacts: 1 }, artifacts: [{ id: 1, name: 'var/log/syslog', status: 'ok', sha256: 'c'.repeat(64), size: 2048 }] },
    });
    timeline.append({ incidentId: id, kind: 'runbook.step', data: { runId: 'r1', runbookId: 'disk', stepId: 's1', title: '古いログを削除', status: 'skipped', reason: 'ログは証拠として保全' } });
    // A Japanese browser in Tokyo: the UI starts in Japanese and shows Tokyo times.
    await session.context.close();
    const context = await session.browser.newContext({ viewport: VIEWPORT, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error));
    await page.goto(test.host.url);
    await page.locator('.connection-open').waitFor();
    await page.goto(`${test.host.origin}/#/incidents/${id}`);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('enters 検知方法 and 今後の対応計画 from the note box’s field buttons', async () => {
    await page.getByTestId('note-field-detection').click();
    await expect.poll(() => page.getByTestId('note-input').inputValue()).toBe('検知方法: ');
    await page.getByTestId('note-input').pressSequentially('ディスク使用率アラート(監視)');
    await page.getByTestId('note-field-detection').screenshot({ path: artifactPath('report-ja-00-field-button.png') });
    await page.getByRole('button', { name: 'メモを追加' }).click();
    await expect.poll(() => page.getByTestId('note-input').inputValue()).toBe('');
    await page.getByTestId('note-field-followUp').click();
    await page.getByTestId('note-input').pressSequentially('ログのローテーション設定を見直す(担当 alice)');
    await page.getByRole('button', { name: 'メモを追加' }).click();
    await expect.poll(() => page.getByTestId('note-input').inputValue()).toBe('');
  });

  it('shows timeline times in the one format with the zone', async () => {
    const first = page.locator('.timeline time').first();
    await expect.poll(() => first.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+09:00$/);
    await page.screenshot({ path: artifactPath('report-ja-01-timeline.png') });
  });

  it('reports in the UI language by default, with hosts, §9.1 fields, Tokyo times and Save above the preview', async () => {
    await page.getByTestId('tab-report').click();
    expect(await page.getByTestId('report-language').inputValue()).toBe('ja');
    const frame = page.frameLocator('[data-testid="report-preview"]');
    await frame.getByRole('heading', { name: /インシデント報告書: INC-0001/ }).waitFor();
    await expect.poll(() => frame.locator('body').textContent()).toContain('ディスク使用率アラート');
    const body = (await frame.locator('body').textContent()) ?? '';
    expect(body).toContain('検知方法');
    expect(body).toContain('対応実施時刻');
    expect(body).toContain('今後の対応計画');
    expect(body).toContain('ログのローテーション設定を見直す');
    expect(body).toMatch(/web-1\s*`?df -h \/var/);
    expect(body).toContain('laptop-1');
    expect(body).toContain('古いログを削除: スキップ(ログは証拠として保全)');
    expect(body).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+09:00/);
    expect(body).not.toMatch(/\d\d:\d\d:\d\d UTC(?!\+)/);
    // The template picker names the built-in templates in Japanese.
    expect(await page.getByTestId('report-template').locator('option').allTextContents()).toEqual(['インシデント報告書', 'ポストモーテム']);
    // Save and its format sit above the preview, inside the 1440×900 window without scrolling.
    const save = (await page.getByTestId('report-save').boundingBox())!;
    const format = (await page.getByTestId('report-save-format').boundingBox())!;
    const preview = (await page.getByTestId('report-preview').boundingBox())!;
    expect(save.y + save.height).toBeLessThanOrEqual(VIEWPORT.height);
    expect(format.y + format.height).toBeLessThanOrEqual(VIEWPORT.height);
    expect(save.y).toBeLessThan(preview.y);
    await page.screenshot({ path: artifactPath('report-ja-02-report-tab.png') });
  });

  it('follows the UI language while the report has no language of its own', async () => {
    const frame = page.frameLocator('[data-testid="report-preview"]');
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.getByTestId('report-language').inputValue()).toBe('en');
    await frame.getByRole('heading', { name: /Incident report: INC-0001/ }).waitFor();
    await page.getByTestId('language').selectOption('ja');
    await expect.poll(() => page.getByTestId('report-language').inputValue()).toBe('ja');
    await frame.getByRole('heading', { name: /インシデント報告書: INC-0001/ }).waitFor();
  });

  it('changes the language for this report only', async () => {
    await page.getByTestId('report-language').selectOption('en');
    const frame = page.frameLocator('[data-testid="report-preview"]');
    await frame.getByRole('heading', { name: /Incident report: INC-0001/ }).waitFor();
    const body = (await frame.locator('body').textContent()) ?? '';
    expect(body).toContain('Detection method');
    expect(body).toContain('Follow-up plan');
    // The console itself is still Japanese, and a UI switch no longer moves this report.
    expect(await page.getByTestId('tab-report').textContent()).toBe('レポート');
    await page.getByTestId('language').selectOption('en');
    await page.getByTestId('language').selectOption('ja');
    expect(await page.getByTestId('report-language').inputValue()).toBe('en');
    await page.getByTestId('report-language').selectOption('ja');
    await frame.getByRole('heading', { name: /インシデント報告書: INC-0001/ }).waitFor();
  });

  it.skipIf(!hasPdftoppm)('saves a Japanese PDF whose first page reads as Japanese', async () => {
    await page.getByTestId('report-save-format').selectOption('pdf');
    await expect.poll(() => page.getByTestId('report-path').inputValue()).toMatch(/INC-0001-incident-report\.pdf$/);
    const target = await page.getByTestId('report-path').inputValue();
    await page.getByTestId('report-save').click();
    await page.getByTestId('report-saved').waitFor({ timeout: 60_000 });
    expect(fs.readFileSync(target).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', target, '-'], { encoding: 'utf8' });
    expect(text).toContain('検知方法');
    expect(text).toContain('web-1');
    expect(text).toMatch(/UTC\+09:00/);
    const png = artifactPath('report-ja-03-pdf');
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', target, png]);
    expect(fs.existsSync(`${png}-1.png`)).toBe(true);
    await page.screenshot({ path: artifactPath('report-ja-04-saved.png') });
  }, 90_000);
});
