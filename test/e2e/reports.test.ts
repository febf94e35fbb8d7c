import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

describe.skipIf(!chromiumPath)('reports and dashboard in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let id: number;

  beforeAll(async () => {
    session = await openConsole();
    ({ test, page } = session);
    const { incidents, timeline } = test.services;
    id = incidents.create({ title: 'Checkout API returns 502', severity: 'high', summary: 'Error rate above 40%', services: ['api'] }).id;
    incidents.transition({ id, to: 'acknowledged' });
    timeline.append({ incidentId: id, kind: 'command.finished', data: { command: 'systemctl restart api', exitCode: 0, durationMs: 900, hash: 'e'.repeat(64) } });
    timeline.append({ incidentId: id, kind: 'evidence.collected', data: { artifacts: [{ name: 'logs/errors.log', size: 2048, sha256: 'f'.repeat(64) }] } });
    timeline.append({ incidentId: id, kind: 'alert.raised', data: { metric: 'cpu', value: 97, threshold: 85, unit: '%', message: 'cpu 97% > 85%' } });
    incidents.addNote(id, 'deploy used token=abc123secret');
  });

  afterAll(async () => {
    await session?.close();
  });

  it('previews the report from the Report tab, styled, with the secret redacted', async () => {
    await page.goto(`${test.host.url}#/incidents/${id}`);
    await page.getByTestId('tab-report').click();
    const frame = page.frameLocator('[data-testid="report-preview"]');
    await frame.getByRole('heading', { name: 'Incident report: INC-0001 Checkout API returns 502' }).waitFor();
    await expect.poll(() => frame.locator('body').textContent()).toContain('token=[REDACTED]');
    expect(await frame.locator('body').textContent()).toContain('f'.repeat(64));
    // The report's stylesheet applied inside the sandboxed frame (allowed by hash, not blocked).
    const border = await frame.locator('h1').evaluate((h) => (globalThis as unknown as { getComputedStyle(e: unknown): { borderBottomStyle: string } }).getComputedStyle(h).borderBottomStyle);
    expect(border).toBe('solid');
    expect(session.cspViolations).toEqual([]);
    await expect.poll(() => page.getByTestId('report-redaction').textContent()).toContain('1 match');
    await page.screenshot({ path: artifactPath('report-01-preview.png') });
  });

  it('follows the record live: an entry another feature appends shows up in the preview', async () => {
    test.services.timeline.append({ incidentId: id, kind: 'alert.cleared', data: { metric: 'cpu', value: 41, threshold: 80, unit: '%', message: 'cpu back to 41%' } });
    const frame = page.frameLocator('[data-testid="report-preview"]');
    await expect.poll(() => frame.locator('body').textContent()).toContain('41%');
  });

  it('switches template and preview format live', async () => {
    await page.getByTestId('report-template').selectOption('postmortem');
    await page.frameLocator('[data-testid="report-preview"]').getByRole('heading', { name: /Postmortem: INC-0001/ }).waitFor();
    await page.getByTestId('report-format').selectOption('md');
    await expect.poll(() => page.locator('pre[data-testid="report-preview"]').textContent()).toContain('# Postmortem: INC-0001');
  });

  it('saves a PDF to the default path under the profile and shows where and its hash', async () => {
    await expect.poll(() => page.getByTestId('report-path').inputValue()).toMatch(/reports[\\/]INC-0001-postmortem\.pdf$/);
    const target = await page.getByTestId('report-path').inputValue();
    await page.getByTestId('report-save').click();
    await page.getByTestId('report-saved').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('report-saved').textContent()).toContain(target);
    const bytes = fs.readFileSync(target);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(await page.getByTestId('report-sha256').textContent()).toContain(sha);
    await page.screenshot({ path: artifactPath('report-02-saved.png') });
  });

  it('saves Markdown to a path the user types, and refuses a folder that does not exist', async () => {
    await page.getByTestId('report-save-format').selectOption('md');
    const target = path.join(test.services.home, 'typed.md');
    await page.getByTestId('report-path').fill(target);
    await page.getByTestId('report-save').click();
    await expect.poll(() => fs.existsSync(target)).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toContain('# Postmortem: INC-0001');
    await page.getByTestId('report-path').fill(path.join(test.services.home, 'nope', 'x.md'));
    await page.getByTestId('report-save').click();
    await expect.poll(() => page.getByTestId('report-error').textContent()).toContain('does not exist');
  });

  it('offers the rendered report as a download', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download').click()]);
    expect(download.suggestedFilename()).toBe('INC-0001-postmortem.md');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('timeline-export-csv').click()]);
    expect(csv.suggestedFilename()).toBe('INC-0001-timeline.csv');
    const text = fs.readFileSync((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toContain('prev_hash,hash');
    expect(text).toContain('token=abc123secret');
  });

  it('shows response metrics on the dashboard', async () => {
    await page.getByTestId('screen-dashboard').click();
    await expect.poll(() => page.getByTestId('metric-incidents').textContent()).toContain('1');
    expect(await page.getByTestId('metric-mtta').textContent()).toMatch(/MTTA\d+m \d+s/);
    expect(await page.getByTestId('dashboard-incidents').textContent()).toContain('INC-0001');
    await page.screenshot({ path: artifactPath('report-03-dashboard.png') });
  });
});
