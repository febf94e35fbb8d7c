import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

describe.skipIf(!chromiumPath)('incident log in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;

  beforeAll(async () => {
    session = await openConsole();
    ({ test, page } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('refuses the console without its token', async () => {
    const response = await fetch(`${test.host.origin}/`);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('<script');
    const asset = await fetch(`${test.host.origin}/assets/`);
    expect(asset.status).toBe(401);
  });

  it('shows the empty state to a first-time user', async () => {
    await page.goto(test.host.url);
    await expect.poll(() => page.getByTestId('connection').getAttribute('class')).toContain('connection-open');
    await page.getByText('No incidents yet').waitFor();
    // The token was traded for a cookie and is gone from the address bar.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: artifactPath('01-empty.png') });
  });

  it('creates an incident with the keyboard shortcut and the form', async () => {
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Title').fill('Checkout API returns 502');
    await dialog.getByText('P0 · Critical').click();
    await dialog.getByLabel('Summary').fill('Error rate above 40% since 09:12');
    await dialog.getByLabel('Affected services').fill('api, redis');
    await page.screenshot({ path: artifactPath('02-new-incident.png') });
    await dialog.getByRole('button', { name: 'Open incident' }).click();
    await expect.poll(() => page.getByTestId('incident-title').textContent()).toBe('Checkout API returns 502');
    await expect.poll(() => page.getByTestId('sla-response').getAttribute('data-level')).toBe('ok');
    await page.locator('[data-kind="incident.created"]').waitFor();
  });

  it('rejects bad input with a message that names the field', async () => {
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill('   ');
    await dialog.getByRole('button', { name: 'Open incident' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('title: must not be empty');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('moves the status forward and records it on the timeline', async () => {
    await page.getByTestId('advance-status').click();
    await page.locator('[data-kind="status.changed"]').first().waitFor();
    await expect.poll(() => page.locator('.incident .pill').textContent()).toBe('Acknowledged');
    // The response clock stopped in time.
    await expect.poll(() => page.getByTestId('sla-response').getAttribute('data-level')).toBe('met');
  });

  it('adds a note with Ctrl+Enter and keeps it after a reload', async () => {
    await page.getByTestId('note-input').fill('Restarted redis-1; error rate falling');
    await page.getByTestId('note-input').press('Control+Enter');
    await page.locator('[data-kind="note"]', { hasText: 'Restarted redis-1' }).waitFor();
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('intact');
    await page.screenshot({ path: artifactPath('03-incident.png') });

    await page.reload();
    await page.locator('[data-kind="note"]', { hasText: 'Restarted redis-1' }).waitFor();
    await expect.poll(() => page.getByTestId('incident-title').textContent()).toBe('Checkout API returns 502');
    expect(await page.locator('.entries .entry').count()).toBe(3);
  });

  it('sees changes made elsewhere (the CLI) without a reload', async () => {
    const [incident] = test.services.incidents.list();
    test.services.incidents.addNote(incident!.id, 'Note from the CLI');
    await page.locator('[data-kind="note"]', { hasText: 'Note from the CLI' }).waitFor();
  });

  it('edits details and corrects an entry without changing it', async () => {
    await page.getByTestId('edit-details').click();
    await page.getByRole('form', { name: 'Edit details' }).getByLabel('Impact').fill('All EU checkouts fail');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-kind="incident.updated"]').waitFor();
    await page.getByText('All EU checkouts fail').waitFor();

    const note = page.locator('[data-kind="note"]', { hasText: 'Restarted redis-1' });
    await note.hover();
    await note.getByRole('button', { name: 'Correct' }).click();
    await note.getByLabel('What should this entry have said?').fill('It was redis-2 that was restarted');
    await note.getByRole('button', { name: 'Add correction' }).click();
    await page.locator('[data-kind="correction"]', { hasText: 'It was redis-2' }).waitFor();
    await expect.poll(() => note.textContent()).toContain('corrected by #');
    expect(await note.textContent()).toContain('Restarted redis-1');
  });

  it('filters with / search and shows the empty-filter state', async () => {
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('/');
    await page.keyboard.type('nothing-matches-this');
    await page.getByText('No incidents match these filters.').waitFor();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('checkout');
    await page.keyboard.press('Escape');
    await page.getByTestId('incident-row-1').waitFor();
    await page.screenshot({ path: artifactPath('04-list.png') });
  });

  it('turns the SLA clocks amber, then red, and lists the most urgent first', async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const amber = test.services.incidents.create({ title: 'Queue backlog growing', severity: 'critical', detectedAt: ago(13) });
    const red = test.services.incidents.create({ title: 'Primary DB unreachable', severity: 'critical', detectedAt: ago(20) });
    test.services.sla.check();
    await page.getByTestId(`incident-row-${red.id}`).click();
    await expect.poll(() => page.getByTestId('sla-response').getAttribute('data-level')).toBe('breached');
    await page.locator('[data-kind="sla.breached"]').waitFor();
    await page.getByTestId(`incident-row-${amber.id}`).click();
    await expect.poll(() => page.getByTestId('sla-response').getAttribute('data-level')).toBe('warning');
    const rows = await page.locator('.incident-row .row-title').allTextContents();
    expect(rows.slice(0, 2)).toEqual(['Primary DB unreachable', 'Queue backlog growing']);
    await page.screenshot({ path: artifactPath('05-sla-amber.png') });
    await page.getByTestId(`incident-row-${red.id}`).click();
    await page.screenshot({ path: artifactPath('06-sla-red.png') });
  });
});
