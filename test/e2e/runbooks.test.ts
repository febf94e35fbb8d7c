import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

const SNAPSHOT = 'initial-response/status-check/snapshot';
const PROCESSES = 'initial-response/status-check/processes';
const PORT = 'initial-response/status-check/port';

describe.skipIf(!chromiumPath)('runbooks and terminals in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let incidentId: number;

  const step = (id: string) => page.locator(`[data-step-id="${id}"]`);
  const screen = () => page.locator('.xterm-rows').innerText();

  beforeAll(async () => {
    session = await openConsole({ host: { terminals: { env: { ...process.env, SHELL: '/bin/sh', PS1: '$ ' }, killGraceMs: 300 } } });
    ({ test, page } = session);
    incidentId = test.services.incidents.create({ title: 'Checkout API returns 502', severity: 'high', services: ['node'], tags: ['outage'] }).id;
  });

  afterAll(async () => {
    await session?.close();
  });

  it('suggests runbooks for the incident and starts the initial response', async () => {
    await page.goto(test.host.url);
    await page.goto(`${test.host.origin}/#/incidents/${incidentId}`);
    await page.getByTestId('tab-runbooks').click();
    await page.locator('[data-runbook-id="initial-response"]').waitFor();
    await page.screenshot({ path: artifactPath('runbooks-01-suggestions.png') });
    await page.getByTestId('start-initial-response').click();
    await page.getByTestId('checklist').waitFor();
    await expect.poll(() => page.getByTestId('run-progress').textContent()).toBe('0 of 12 steps');
    // The current platform's command is offered; the PowerShell one is folded away.
    await expect.poll(() => step(SNAPSHOT).locator('.cmd-lang').first().textContent()).toBe('sh');
    expect(await step(SNAPSHOT).locator('details.alternates').getAttribute('open')).toBeNull();
  });

  it('runs a step in the embedded terminal and shows its output and exit code', async () => {
    await step(SNAPSHOT).getByTestId('step-run').click();
    await page.getByTestId('terminal-view').waitFor();
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    await expect.poll(() => step(SNAPSHOT).getByTestId('last-run').textContent(), { timeout: 15_000 }).toMatch(/^exit 0 · \d+(\.\d)? m?s/);
    expect(await step(SNAPSHOT).getByTestId('last-run').textContent()).toContain('transcript sha256');
    await page.screenshot({ path: artifactPath('runbooks-02-ran-step.png') });
  });

  it('asks for a variable once, then runs with it', async () => {
    await step(PORT).getByTestId('step-run').click();
    const dialog = page.getByTestId('variables-dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.getByLabel('PORT').inputValue()).toBe('5000');
    await dialog.getByLabel('PORT').fill('5999');
    await page.screenshot({ path: artifactPath('runbooks-03-variables.png') });
    await dialog.getByRole('button', { name: 'Save and run' }).click();
    await expect.poll(() => step(PORT).getByTestId('last-run').textContent(), { timeout: 15_000 }).toMatch(/^exit 0/);
    await expect.poll(screen).toContain('nothing listening on port 5999');
    // Remembered for this incident: the second run does not ask.
    await step(PORT).getByTestId('step-run').click();
    await expect.poll(() => test.services.timeline.list(incidentId).filter((e) => e.kind === 'command.finished').length, { timeout: 15_000 }).toBe(3);
    expect(await page.getByTestId('variables-dialog').count()).toBe(0);
  });

  it('marks steps done and skipped (with a reason) and starts the phase timer', async () => {
    await step(SNAPSHOT).getByTestId('step-done').click();
    await expect.poll(() => step(SNAPSHOT).getAttribute('data-status')).toBe('done');
    await step(PROCESSES).getByTestId('step-skip').click();
    const reason = step(PROCESSES).getByTestId('step-reason');
    await expect.poll(() => step(PROCESSES).getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await reason.fill('service runs in a container on another host');
    await reason.press('Enter');
    await expect.poll(() => step(PROCESSES).getAttribute('data-status')).toBe('skipped');
    await expect.poll(() => page.getByTestId('run-progress').textContent()).toBe('2 of 12 steps');
    await expect.poll(() => page.getByTestId('phase-timer').first().textContent()).toMatch(/0m 0\ds of 2m 00s/);
    await page.screenshot({ path: artifactPath('runbooks-04-checklist.png'), fullPage: false });
  });

  it('Run all runs the phase\'s remaining unattended steps and ticks them off', async () => {
    const before = test.services.timeline.list(incidentId).filter((e) => e.kind === 'command.finished').length;
    await page.locator('[data-phase-id="status-check"]').getByTestId('phase-run-all').click();
    await expect.poll(() => step(PORT).getAttribute('data-status'), { timeout: 15_000 }).toBe('done');
    // Done and skipped steps are not run again: only the port check ran.
    expect(test.services.timeline.list(incidentId).filter((e) => e.kind === 'command.finished').length).toBe(before + 1);
    await expect.poll(() => page.locator('[data-phase-id="status-check"]').getByTestId('phase-timer').getAttribute('class')).not.toContain('live');
  });

  it('opens a second terminal, kills it, and records everything on the timeline', async () => {
    await page.getByTestId('terminal-new').click();
    await page.getByTestId('terminal-tab-2').waitFor();
    await page.getByTestId('terminal-kill').click();
    await page.getByTestId('terminal-ended').waitFor();
    expect(await page.getByTestId('terminal-ended').textContent()).toContain('killed');

    await page.getByTestId('tab-timeline').click();
    for (const kind of ['runbook.started', 'command.finished', 'runbook.step', 'terminal.started', 'terminal.exited']) {
      await page.locator(`[data-kind="${kind}"]`).first().waitFor();
    }
    const texts = await page.locator('[data-kind="command.finished"] .entry-text').allTextContents();
    expect(texts.some((text) => /exited 0 after .* · sha256 [0-9a-f]{12}/.test(text))).toBe(true);
    expect(await page.locator('[data-kind="runbook.step"] .entry-text').allTextContents()).toContain(
      'Step skipped: Check that the service\'s processes are running — service runs in a container on another host',
    );
    expect(await page.locator('[data-kind="terminal.exited"] .entry-text').first().textContent()).toContain('killed');
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('intact');
    await page.screenshot({ path: artifactPath('runbooks-05-timeline.png') });
  });

  it('keeps the terminal screen when coming back to the tab', async () => {
    await page.getByTestId('tab-runbooks').click();
    await page.getByTestId('terminal-tab-1').click();
    await expect.poll(screen).toContain('nothing listening on port 5999');
  });
});
