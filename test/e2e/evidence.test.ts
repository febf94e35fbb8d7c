import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBag } from '../../electron/services/evidence';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe.skipIf(!chromiumPath)('evidence in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let id: number;
  let logs: string;
  const appLog = Array.from({ length: 400 }, (_, i) => `2026-11-23T09:${String(i % 60).padStart(2, '0')}:00Z ${i % 40 === 0 ? 'ERROR upstream timeout' : i === 399 ? 'CRITICAL pool exhausted' : 'INFO request ok'} #${i}\n`).join('');

  beforeAll(async () => {
    session = await openConsole();
    ({ test, page } = session);
    id = test.services.incidents.create({ title: 'Checkout API returns 502', severity: 'high' }).id;
    // Seed 004's emergency log folder: incident_logs/<timestamp>/ with the service's logs.
    logs = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-e2e-logs-'));
    fs.mkdirSync(path.join(logs, 'api'), { recursive: true });
    fs.writeFileSync(path.join(logs, 'api', 'app.log'), appLog);
    fs.writeFileSync(path.join(logs, 'api', 'worker.log'), 'INFO worker up\n<script>alert(1)</script>\n');
    fs.writeFileSync(path.join(logs, 'nginx-error.log'), 'ERROR connect() failed (111: Connection refused)\n');
    page.on('dialog', (d) => void d.dismiss());
  });

  afterAll(async () => {
    await session?.close();
    if (logs) fs.rmSync(logs, { recursive: true, force: true });
  });

  const rows = () => page.getByTestId('artifact-row');
  /** The row of the artifact whose name ends with `suffix`. */
  const row = (suffix: string) => page.locator(`[data-testid="artifact-row"][data-name$="${suffix}"]`);

  it('starts empty, then collects the log preset in one click', async () => {
    await page.goto(`${test.host.url}#/incidents/${id}`);
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('evidence-empty').waitFor();
    await page.screenshot({ path: artifactPath('evidence-01-empty.png') });
    await page.getByTestId('collect-preset').click();
    await page.getByTestId('evidence-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('evidence-result').textContent()).toMatch(/Collection #1 \(log-preset\) complete/);
    // Whatever this machine has (logs, the journal export): each row with a status, missing locations left out.
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="artifact-row"][data-status="vanished"]').count()).toBe(0);
  });

  it('collects a folder of logs through the files form and shows each hash as taken at capture', async () => {
    await page.getByTestId('collect-files-open').click();
    await page.getByTestId('files-paths').fill(`${logs}/**/*.log`);
    await page.getByTestId('files-submit').click();
    await expect.poll(async () => (await page.getByTestId('evidence-result').textContent()) ?? '').toMatch(/Collection #2 \(files\) complete: 3 artifacts/);
    expect(await row('/api/app.log').getByTestId('artifact-sha256').textContent()).toBe(sha256(appLog));
    expect(await row('/api/app.log').getByTestId('artifact-status').textContent()).toBe('OK');

    await page.getByTestId('files-grep').fill('ERROR|CRITICAL');
    await page.getByTestId('files-tail').fill('200');
    await page.getByTestId('files-submit').click();
    await expect.poll(async () => (await page.getByTestId('evidence-result').textContent()) ?? '').toMatch(/Collection #3 \(files\) complete/);
    // tail keeps the last N lines that pass the other filters.
    const kept = appLog.split('\n').filter((l) => /ERROR|CRITICAL/.test(l)).slice(-200).map((l) => `${l}\n`).join('');
    expect(await row('/app.log.tail-200.grep.txt').getByTestId('artifact-sha256').textContent()).toBe(sha256(kept));
    await page.screenshot({ path: artifactPath('evidence-02-collected.png'), fullPage: true });
  });

  it('previews a text artifact as text (never HTML) and searches it', async () => {
    await row('/api/worker.log').getByTestId('artifact-open').click();
    await expect.poll(() => page.getByTestId('preview-text').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.getByTestId('evidence-preview').locator('script').count()).toBe(0);
    await row('/api/app.log').getByTestId('artifact-open').click();
    await expect.poll(() => page.getByTestId('preview-text').textContent()).toContain('#0');
    await page.getByTestId('preview-search').fill('critical');
    await page.getByTestId('preview-find').click();
    await expect.poll(() => page.getByTestId('preview-matches').textContent()).toContain('1 matching line');
    expect(await page.getByTestId('preview-matches').textContent()).toContain('CRITICAL pool exhausted #399');
    await page.screenshot({ path: artifactPath('evidence-03-preview.png'), fullPage: true });
    await page.getByTestId('preview-close').click();
  });

  it('verifies the store, exports a tar bag with its tag-manifest hash, and verifies the bag', async () => {
    await page.getByTestId('evidence-verify').click();
    await page.getByTestId('evidence-verify-result').waitFor();
    expect(await page.getByTestId('evidence-verify-result').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('evidence-verify-result').textContent()).toContain('Intact');

    await page.getByTestId('export-format').selectOption('tar');
    await expect.poll(() => page.getByTestId('export-path').inputValue()).toMatch(/exports[\\/]INC-0001-\d{8}T\d{6}Z\.tar$/);
    const target = await page.getByTestId('export-path').inputValue();
    await page.getByTestId('export-submit').click();
    await page.getByTestId('export-result').waitFor({ timeout: 30_000 });
    expect(fs.existsSync(target)).toBe(true);
    const report = await verifyBag(target);
    expect(report.failures).toEqual([]);
    const tagHash = (await page.getByTestId('export-tag-hash').textContent()) ?? '';
    expect(tagHash).toMatch(/^[0-9a-f]{64}$/);
    const exported = test.services.timeline.list(id).find((e) => e.kind === 'evidence.exported');
    expect(exported?.data.tagManifestSha256).toBe(tagHash);

    await page.getByTestId('export-verify').click();
    await page.getByTestId('bag-verify-result').waitFor();
    expect(await page.getByTestId('bag-verify-result').getAttribute('data-ok')).toBe('true');
    await page.getByTestId('export-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('evidence-04-verified-exported.png') });
  });

  it('shows a tampered blob as a mismatch naming the file', async () => {
    const artifact = test.services.evidence.listArtifacts(id).find((a) => a.name.endsWith('nginx-error.log'))!;
    const blob = test.services.evidence.blobPath(artifact)!;
    fs.chmodSync(blob, 0o644);
    const bytes = fs.readFileSync(blob);
    bytes[0] = bytes[0]! ^ 0xff;
    fs.writeFileSync(blob, bytes);
    await page.getByTestId('evidence-verify').click();
    await expect.poll(() => page.getByTestId('evidence-verify-result').getAttribute('data-ok')).toBe('false');
    expect(await page.getByTestId('verify-failures').textContent()).toContain('nginx-error.log: stored bytes do not match');
    await page.getByTestId('evidence-verify-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('evidence-05-mismatch.png') });
    bytes[0] = bytes[0]! ^ 0xff;
    fs.writeFileSync(blob, bytes);
  });

  it('asks before a large collection with its estimate, shows progress once confirmed, and cancels it', async () => {
    const many = path.join(logs, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(many, `big-${i}.log`), Buffer.alloc(24 << 20, `line ${i} INFO ok\n`));
    await page.getByTestId('files-grep').fill('');
    await page.getByTestId('files-tail').fill('');
    await page.getByTestId('files-paths').fill(many);
    await page.getByTestId('files-submit').click();
    // 960 MiB is above the 500 MB threshold: the quick count is shown and nothing starts yet.
    await page.getByTestId('large-confirm').waitFor();
    expect(await page.getByTestId('large-estimate').textContent()).toBe('A quick count found more than 21 files and more than 504.0 MiB before it stopped counting.');
    expect(await page.getByTestId('evidence-progress').count()).toBe(0);
    await page.getByTestId('files-form').screenshot({ path: artifactPath('evidence-06-large-confirm.png') });
    // Declining starts nothing; asking again and confirming collects.
    await page.getByTestId('large-confirm-no').click();
    expect(await page.getByTestId('large-confirm').count()).toBe(0);
    expect(test.services.evidence.listCollections(id).filter((c) => c.params.paths !== undefined && JSON.stringify(c.params.paths).includes('many'))).toEqual([]);
    await page.getByTestId('files-submit').click();
    await page.getByTestId('large-confirm-yes').click();
    await expect.poll(() => page.getByTestId('evidence-progress').textContent(), { timeout: 10_000 }).toMatch(/Collecting files.*MiB/);
    await page.getByTestId('evidence-progress').screenshot({ path: artifactPath('evidence-07-progress.png') });
    await page.getByTestId('evidence-cancel').click();
    await expect.poll(async () => (await page.getByTestId('evidence-result').textContent()) ?? '', { timeout: 30_000 }).toMatch(/\(files\) cancelled/);
    expect(await page.getByTestId('evidence-progress').count()).toBe(0);
  });

  it('shows a collection with a missing path and a glob that matched nothing as complete with warnings (amber), listing them', async () => {
    const missing = path.join(logs, 'gone.log');
    await page.getByTestId('files-paths').fill(`${path.join(logs, 'nginx-error.log')}\n${missing}\n${logs}/*.nomatch`);
    await page.getByTestId('files-submit').click();
    const result = page.getByTestId('evidence-result');
    await expect.poll(() => result.getAttribute('data-state'), { timeout: 30_000 }).toBe('complete-with-warnings');
    expect(await result.textContent()).toMatch(/Collection #\d+ \(files\) complete with warnings: 3 artifacts/);
    expect(await result.getAttribute('class')).toMatch(/warn-text/);
    const problems = (await page.getByTestId('evidence-problems').textContent()) ?? '';
    expect(problems).toContain(`ENOENT: ${missing}`);
    expect(problems).toContain(`no file matches: ${logs}/*.nomatch`);
    await page.screenshot({ path: artifactPath('evidence-08-warnings.png') });
  });

  it('retracts an artifact with a reason: hidden from the list unless "show retracted", then struck through with the reason', async () => {
    await page.getByTestId('artifact-filter-text').fill('worker.log');
    await expect.poll(() => row('/api/worker.log').count()).toBe(1);
    await row('/api/worker.log').getByTestId('artifact-open').click();
    await page.getByTestId('retract-open').click();
    // The reason is required.
    expect(await page.getByTestId('retract-submit').isDisabled()).toBe(true);
    await page.getByTestId('retract-reason').fill('collected from the wrong service');
    await page.getByTestId('evidence-preview').screenshot({ path: artifactPath('evidence-09-retract-form.png') });
    await page.getByTestId('retract-submit').click();
    await expect.poll(() => page.getByTestId('preview-retracted').textContent()).toMatch(/Retracted .* by .*: collected from the wrong service/);
    await page.getByTestId('preview-close').click();

    await expect.poll(() => row('/api/worker.log').count()).toBe(0);
    expect(await row('/worker.log.tail-200.grep.txt').count()).toBe(1);
    await page.getByTestId('artifact-show-retracted').check();
    await expect.poll(() => row('/api/worker.log').getAttribute('data-retracted')).toBe('true');
    expect(await row('/api/worker.log').getByTestId('artifact-retraction').textContent()).toMatch(/Retracted .* — collected from the wrong service/);
    const decoration = await row('/api/worker.log').getByTestId('artifact-open').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { textDecorationLine: string } }).getComputedStyle(el).textDecorationLine);
    expect(decoration).toBe('line-through');
    await page.getByTestId('artifacts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('evidence-10-retracted.png') });
    // Kept: the store still verifies, and the default bag leaves it out yet verifies.
    const worker = test.services.evidence.listArtifacts(id).find((a) => a.name.endsWith('/api/worker.log'))!;
    expect(fs.existsSync(test.services.evidence.blobPath(worker)!)).toBe(true);
    await page.getByTestId('artifact-show-retracted').uncheck();
    await page.getByTestId('artifact-filter-text').fill('');
  });

  it('writes readable custody entries on the timeline', async () => {
    await page.getByTestId('tab-timeline').click();
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.textContent()).toContain('Evidence collected (files, collection #2): 3 artifacts');
    const text = (await timeline.textContent()) ?? '';
    expect(text).toContain('Evidence store verified: intact');
    // The plain and the filtered copy of nginx-error.log are the same bytes: one blob, two artifacts.
    expect(text).toContain('Evidence store verified: 2 mismatches');
    expect(text).toMatch(/Evidence searched: .*app\.log for \/critical\/ \(1 match\)/);
    expect(text).toMatch(/Evidence exported as tar to .*\.tar/);
    expect(text).toContain('Evidence viewed: ');
    expect(text).toMatch(/Evidence retracted: .*\/api\/worker\.log — collected from the wrong service/);
    expect(text).toMatch(/Evidence collected \(files, collection #\d+\): 3 artifacts: [^#]*gone\.log[^#]* — collection complete with 2 warnings/);
    await page.screenshot({ path: artifactPath('evidence-11-timeline.png') });
  });
});
