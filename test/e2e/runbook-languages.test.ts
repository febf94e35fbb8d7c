import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

const CONFIRM_DOWN = 'critical-total-outage/immediate-safety/confirm-down';
const STOP_HUNG = 'critical-total-outage/immediate-safety/stop-hung';
const RUNTIME = 'critical-total-outage/system-diagnosis/runtime';
const JA_FILE = path.resolve(__dirname, '../../runbooks/critical-total-outage.ja.md');

describe.skipIf(!chromiumPath)('runbooks in the operator\'s language, in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let incidentId: number;

  const step = (id: string) => page.locator(`[data-step-id="${id}"]`);
  const checklist = () => page.getByTestId('checklist');

  beforeAll(async () => {
    // A Japanese browser: the UI starts in Japanese.
    session = await openConsole({ locale: 'ja-JP' });
    ({ test, page } = session);
    incidentId = test.services.incidents.create({ title: '決済APIが全面停止', severity: 'critical', services: ['python'], tags: ['outage'] }).id;
  });

  afterAll(async () => {
    await session?.close();
  });

  it('suggests the total-outage runbook in Japanese and starts it with Japanese steps', async () => {
    await page.goto(test.host.url);
    await page.goto(`${test.host.origin}/#/incidents/${incidentId}`);
    await page.getByTestId('tab-runbooks').click();
    const suggestion = page.locator('[data-runbook-id="critical-total-outage"]');
    await suggestion.waitFor();
    await expect.poll(() => suggestion.innerText()).toContain('Critical（緊急）: システム完全停止');
    await page.screenshot({ path: artifactPath('runbook-languages-01-suggestions-ja.png') });

    await page.getByTestId('start-critical-total-outage').click();
    await checklist().waitFor();
    await expect.poll(() => checklist().getAttribute('data-lang')).toBe('ja');
    await expect.poll(() => checklist().locator('h2').first().textContent()).toBe('Critical（緊急）: システム完全停止');
    expect(await page.locator('[data-phase-id="immediate-safety"] h3').textContent()).toBe('即座の安全確保');
    expect(await step(CONFIRM_DOWN).innerText()).toContain('サービスが本当に停止しているか確認する');
    expect(await step(CONFIRM_DOWN).innerText()).toContain('ネットワークの問題をシステム停止と取り違えないよう');
    // The commands are the same as in English.
    expect(await step(CONFIRM_DOWN).locator('.cmd-code').first().textContent()).toContain('ps -eo pid,etime,args');

    // The run records the language and the hash of the Japanese file.
    const [run] = test.services.runbooks.list(incidentId);
    expect(run).toMatchObject({ lang: 'ja', runbookId: 'critical-total-outage' });
    expect(run!.sha256).toBe(createHash('sha256').update(readFileSync(JA_FILE)).digest('hex'));
  });

  it('records progress in Japanese', async () => {
    await step(CONFIRM_DOWN).getByTestId('step-done').click();
    await expect.poll(() => step(CONFIRM_DOWN).getAttribute('data-status')).toBe('done');
    await step(STOP_HUNG).getByTestId('step-skip').click();
    const reason = step(STOP_HUNG).getByTestId('step-reason');
    await reason.fill('プロセスは応答している');
    await reason.press('Enter');
    await expect.poll(() => step(STOP_HUNG).getAttribute('data-status')).toBe('skipped');
    await page.screenshot({ path: artifactPath('runbook-languages-02-progress-ja.png') });
  });

  it('switching to English mid-run shows the same run in English with the progress intact', async () => {
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => checklist().getAttribute('data-lang')).toBe('en');
    await expect.poll(() => checklist().locator('h2').first().textContent()).toBe('Critical: total outage');
    expect(await page.locator('[data-phase-id="immediate-safety"] h3').textContent()).toBe('Immediate safety');
    expect(await step(CONFIRM_DOWN).innerText()).toContain('Confirm the service is really down');
    expect(await step(CONFIRM_DOWN).getAttribute('data-status')).toBe('done');
    expect(await step(STOP_HUNG).getAttribute('data-status')).toBe('skipped');
    expect(await step(STOP_HUNG).innerText()).toContain('プロセスは応答している'); // the operator's reason, as typed
    await expect.poll(() => page.getByTestId('run-progress').textContent()).toBe('2 of 9 steps');
    // The header says which file the run follows (its sha256 is the Japanese file's).
    expect(await page.getByTestId('run-started-in').textContent()).toBe(' · started from the text in 日本語');
    expect(await page.getByTestId('run-not-in-language').count()).toBe(0);
    // Same run: no second run was started, and it still records the file it was started from.
    expect(test.services.runbooks.list(incidentId).map((r) => r.lang)).toEqual(['ja']);
    await page.screenshot({ path: artifactPath('runbook-languages-03-switched-en.png') });
    await checklist().locator('h2').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('runbook-languages-03b-header-en.png') });
  });

  it('progress made in English shows when switching back to Japanese', async () => {
    await step(RUNTIME).getByTestId('step-done').click();
    await expect.poll(() => step(RUNTIME).getAttribute('data-status')).toBe('done');
    await page.getByTestId('language').selectOption('ja');
    await expect.poll(() => checklist().getAttribute('data-lang')).toBe('ja');
    expect(await step(RUNTIME).innerText()).toContain('Python環境とパッケージを確認する');
    expect(await step(RUNTIME).getAttribute('data-status')).toBe('done');
    expect(await step(CONFIRM_DOWN).getAttribute('data-status')).toBe('done');
    expect(await page.getByTestId('run-started-in').count()).toBe(0);
    await page.screenshot({ path: artifactPath('runbook-languages-04-back-ja.png') });
  });
});
