import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

// The collect form's level filter (issue 20): the same engine option as `collect --level`,
// on JSON (winston) and plain lines alike, and a collection's progress with lines matched,
// bytes of the total and the time left.

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe.skipIf(!chromiumPath)('log level filter in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let id: number;
  let logs: string;
  const lines = [
    '2026-11-23T09:00:00Z INFO checkout started',
    JSON.stringify({ level: 'error', message: 'db timeout', timestamp: '2026-11-23T09:00:01Z', service: 'api' }),
    '2026-11-23T09:00:02Z ERROR payment failed',
    '    at pay (/srv/app/pay.js:12:3)',
    JSON.stringify({ level: 'info', message: 'request ok', timestamp: '2026-11-23T09:00:03Z', service: 'api' }),
    '2026-11-23T09:00:04Z WARN slow query',
    '2026-11-23T09:00:05Z CRITICAL disk full',
  ];
  const appLog = lines.map((l) => `${l}\n`).join('');

  beforeAll(async () => {
    // The progress test collects 16 GiB (sparse); this test is not about the large-collection confirm.
    session = await openConsole({ host: { largeCollection: { files: 5000, bytes: 64 * 1024 ** 3 } } });
    ({ test, page } = session);
    id = test.services.incidents.create({ title: 'Checkout errors after deploy', severity: 'high' }).id;
    logs = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-e2e-level-'));
    fs.writeFileSync(path.join(logs, 'app.log'), appLog);
  });

  afterAll(async () => {
    await session?.close();
    if (logs) fs.rmSync(logs, { recursive: true, force: true });
  });

  const row = (suffix: string) => page.locator(`[data-testid="artifact-row"][data-name$="${suffix}"]`);

  it('keeps error lines and worse from JSON and plain lines, with the stack trace under an error', async () => {
    await page.goto(`${test.host.url}#/incidents/${id}`);
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('collect-files-open').click();
    await page.getByTestId('files-paths').fill(path.join(logs, 'app.log'));
    await page.getByTestId('files-level').selectOption('error');
    await page.getByTestId('files-form').screenshot({ path: artifactPath('log-level-01-form.png') });
    await page.getByTestId('files-submit').click();
    await expect.poll(async () => (await page.getByTestId('evidence-result').textContent()) ?? '').toMatch(/Collection #1 \(files\) complete: 1 artifact/);
    const kept = [lines[1], lines[2], lines[3], lines[6]].map((l) => `${l}\n`).join('');
    await expect.poll(() => row('/app.log.level-error.txt').count()).toBe(1);
    expect(await row('/app.log.level-error.txt').getByTestId('artifact-sha256').textContent()).toBe(sha256(kept));
    // The source's own hash is recorded beside the derived artifact.
    const artifact = test.services.evidence.listArtifacts(id).find((a) => a.name.endsWith('.level-error.txt'));
    expect(artifact?.sourceSha256).toBe(sha256(appLog));
    expect(artifact?.derivation).toMatchObject({ level: 'error', linesKept: 4 });
    await page.screenshot({ path: artifactPath('log-level-02-collected.png'), fullPage: true });

    // Warn adds the WARN line; "any level" stores the file whole.
    await page.getByTestId('files-level').selectOption('warn');
    await page.getByTestId('files-submit').click();
    await expect.poll(async () => (await page.getByTestId('evidence-result').textContent()) ?? '').toMatch(/Collection #2 \(files\) complete/);
    const warn = test.services.evidence.listArtifacts(id).find((a) => a.name.endsWith('.level-warn.txt'));
    expect(warn?.derivation).toMatchObject({ level: 'warn', linesKept: 5 });
  });

  it('filters the preview search by level too', async () => {
    // The warn artifact holds the two errors, the stack trace, the WARN line and CRITICAL.
    await expect.poll(() => row('/app.log.level-warn.txt').count()).toBe(1);
    await row('/app.log.level-warn.txt').getByTestId('artifact-open').click();
    await page.getByTestId('preview-level').selectOption('error');
    await page.getByTestId('preview-find').click();
    await expect.poll(() => page.getByTestId('preview-matches').textContent()).toContain('4 matching lines');
    expect(await page.getByTestId('preview-matches').textContent()).not.toContain('slow query');
    await page.getByTestId('evidence-preview').screenshot({ path: artifactPath('log-level-03-preview.png') });
    await page.getByTestId('preview-close').click();
  });

  it('shows lines matched, bytes of the total and the time left while a level filter runs, and cancels', async () => {
    const many = path.join(logs, 'many');
    fs.mkdirSync(many);
    const block = Buffer.from(Array.from({ length: 1000 }, (_, i) => `2026-11-23T09:${String(i % 60).padStart(2, '0')}:00.000Z ${i % 10 === 0 ? 'ERROR' : 'INFO'} request ${i}\n`).join(''));
    // Four files of 4 GiB, each a block of lines and then a hole (read as zeros: one long line
    // with no level, dropped), so the disk holds ~200 KiB. The scan must not finish before the
    // cancel, and hashing 16 GiB takes seconds on any machine (960 MiB of real lines was once
    // enough, until the scan ran at the speed of the hash).
    for (let i = 0; i < 4; i++) {
      const file = path.join(many, `big-${i}.log`);
      fs.writeFileSync(file, block);
      fs.truncateSync(file, 4 * 1024 ** 3);
    }
    await page.getByTestId('files-paths').fill(many);
    await page.getByTestId('files-level').selectOption('error');
    await page.getByTestId('files-submit').click();
    // Time left shows once a second has passed and 1 % is read.
    await expect.poll(() => page.getByTestId('evidence-progress').textContent(), { timeout: 30_000 }).toMatch(/lines matched.*left/);
    const text = (await page.getByTestId('evidence-progress-text').textContent()) ?? '';
    expect(text).toMatch(/ of 16\.0 GiB read/);
    expect(text).toMatch(/[\d.,]+k? lines matched/);
    await page.getByTestId('evidence-progress').screenshot({ path: artifactPath('log-level-04-progress.png') });
    await page.getByTestId('evidence-cancel').click();
    await expect.poll(async () => (await page.getByTestId('evidence-result').textContent()) ?? '', { timeout: 30_000 }).toMatch(/\(files\) cancelled/);
  });
});
