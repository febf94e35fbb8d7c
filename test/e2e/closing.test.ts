import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

// Issue 15: Resolve and Close are no longer one unchecked click.
describe.skipIf(!chromiumPath)('resolve and close show what is missing first', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let id: number;
  let terminalId: string;

  beforeAll(async () => {
    session = await openConsole({ host: { terminals: { env: { ...process.env, SHELL: '/bin/sh', PS1: '$ ' }, killGraceMs: 300 } } });
    ({ test, page } = session);
    const { incidents, runbooks, terminals } = test.services;
    // As a hurried operator leaves it: no responder, no root cause, a runbook barely started, a shell open.
    id = incidents.create({ title: 'Checkout API returns 502', severity: 'high', services: ['api'] }).id;
    incidents.transition({ id, to: 'mitigated', reason: 'failed over at once' });
    await runbooks.start(id, 'initial-response');
    terminalId = terminals.create({ incidentId: id, cols: 100, rows: 30 }).id;
    await session.open(`#/incidents/${id}`);
    await page.getByTestId('incident-title').waitFor();
  });

  afterAll(async () => {
    await session?.close();
  });

  const statusPill = () => page.locator('.incident .pill').textContent();

  it('Resolve lists the missing responder, root cause and every pending runbook step, and needs a reason', async () => {
    await page.getByTestId('advance-status').click();
    const check = page.getByTestId('close-check');
    await check.waitFor();
    expect(await check.locator('[data-gap]').evaluateAll((els) => els.map((e) => e.getAttribute('data-gap')))).toEqual(['responder', 'rootCause', 'pendingSteps']);
    const steps = test.services.runbooks.list(id)[0]!.runbook.phases.reduce((n, p) => n + p.steps.length, 0);
    expect(await check.locator('[data-gap="pendingSteps"] strong').textContent()).toBe(`${steps} runbook steps not done`);
    expect(await page.getByTestId('close-anyway').isDisabled()).toBe(true);
    await page.screenshot({ path: artifactPath('closing-01-resolve-check.png') });
    // Nothing happened yet.
    expect(await statusPill()).toBe('Mitigated');

    await page.getByTestId('close-reason').fill('customer impact over; runbook continues in INC-0002');
    await page.getByTestId('close-anyway').click();
    await expect.poll(statusPill).toBe('Resolved');
    const entry = page.locator('[data-kind="status.changed"]').first();
    await expect.poll(() => entry.textContent()).toContain('customer impact over');
    expect(await entry.textContent()).toContain('gone ahead with 3 missing: no responder; no root cause');
    // Resolving did not touch the shell.
    expect(test.services.terminals.service.get(terminalId).running).toBe(true);
  });

  it('Close names the open terminal it would end and the empty postmortem fields; Go back changes nothing', async () => {
    await page.getByTestId('advance-status').click();
    const check = page.getByTestId('close-check');
    await check.waitFor();
    expect(await check.locator('[data-gap]').evaluateAll((els) => els.map((e) => e.getAttribute('data-gap')))).toEqual([
      'responder',
      'rootCause',
      'pendingSteps',
      'openTerminals',
      'postmortem',
    ]);
    expect(await check.locator('[data-gap="openTerminals"]').textContent()).toMatch(/1 terminal open — closing ends it.*\(pid \d+\)/);
    await page.screenshot({ path: artifactPath('closing-02-close-check.png') });
    await page.getByRole('button', { name: 'Go back' }).click();
    await check.waitFor({ state: 'detached' });
    expect(await statusPill()).toBe('Resolved');
    expect(test.services.terminals.service.get(terminalId).running).toBe(true);

    await page.getByTestId('advance-status').click();
    await page.getByTestId('close-reason').fill('postmortem held on paper; shell no longer needed');
    await page.getByTestId('close-anyway').click();
    await expect.poll(statusPill).toBe('Closed');
    await expect.poll(() => test.services.terminals.service.list(id).every((t) => !t.running)).toBe(true);
    await page.screenshot({ path: artifactPath('closing-03-closed.png') });
  });

  it('a new incident names the operator (user@host) as responder', async () => {
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill('Disk almost full on db-1');
    await dialog.getByRole('button', { name: 'Open incident' }).click();
    await expect.poll(() => page.getByTestId('incident-title').textContent()).toBe('Disk almost full on db-1');
    const { actor, host } = test.services.identity;
    const created = test.services.incidents.list().find((i) => i.title === 'Disk almost full on db-1')!;
    expect(created.responder).toBe(`${actor}@${host}`);
    await page.getByText(`${actor}@${host}`).first().waitFor();
  });
});
