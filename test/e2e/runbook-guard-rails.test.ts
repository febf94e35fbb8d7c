import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

// Issue 15: the bundled "Stop hung processes" step (pkill -KILL -f "${SERVICE}") no longer
// runs with a value nobody looked at.
describe.skipIf(!chromiumPath)('runbook values and the dangerous-step confirmation', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let incidentId: number;
  const STOP = 'critical-total-outage/immediate-safety/stop-hung';
  const step = (id: string) => page.locator(`[data-step-id="${id}"]`);

  beforeAll(async () => {
    session = await openConsole({ host: { terminals: { env: { ...process.env, SHELL: '/bin/sh', PS1: '$ ' }, killGraceMs: 300 } } });
    ({ test, page } = session);
    incidentId = test.services.incidents.create({ title: 'API down', severity: 'critical', services: ['api'], tags: ['outage'] }).id;
    await test.services.runbooks.start(incidentId, 'critical-total-outage');
    await session.open(`#/incidents/${incidentId}`);
    await page.getByTestId('tab-runbooks').click();
    await step(STOP).waitFor();
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows SERVICE guessed from the incident for confirmation before the first Run', async () => {
    await step(STOP).getByTestId('step-run').click();
    const dialog = page.getByTestId('variables-dialog');
    await dialog.waitFor();
    expect(await dialog.getByLabel('SERVICE').inputValue()).toBe('api');
    expect(await page.getByTestId('value-from-SERVICE').textContent()).toContain('guessed from the incident');
    await page.screenshot({ path: artifactPath('guard-rails-01-values.png') });
    await dialog.getByLabel('SERVICE').fill('redis-server');
    await dialog.getByRole('button', { name: 'Save and run' }).click();
  });

  it('the confirm dialog shows the exact command with the answer substituted and where it runs', async () => {
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    const command = await confirm.getByTestId('confirm-command').first().textContent();
    expect(command).toContain('pkill -KILL -f -- "redis-server"');
    expect(command).not.toContain('${SERVICE}');
    expect(command).not.toContain('"api"');
    expect(await confirm.getByTestId('confirm-where').first().textContent()).toBe(`Runs on this machine in ${test.services.runbooks.incidentDir(incidentId)}`);
    await page.screenshot({ path: artifactPath('guard-rails-02-confirm.png') });
    // Not run: cancelled.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(test.services.timeline.list(incidentId).some((e) => e.kind === 'command.finished')).toBe(false);
  });
});
