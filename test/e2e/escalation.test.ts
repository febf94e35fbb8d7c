import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

// Issue 17 end to end: a critical incident whose response SLA nears breach suggests Level 2;
// the operator escalates; an update is drafted in Japanese and copied; both reach the report.

const MIN = 60_000;

describe.skipIf(!chromiumPath)('escalation and stakeholder updates in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let id: number;

  beforeAll(async () => {
    session = await openConsole();
    ({ test, page } = session);
    await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: test.host.origin });
    const now = test.services.clock.now();
    const day = (offset: number) => new Date(now + offset * 24 * 3_600_000).toISOString();
    test.services.rotation.importCsv(`starts_at,ends_at,primary,secondary\n${day(-1)},${day(6)},Alice,Bob\n${day(6)},${day(13)},Carol,Alice\n`, 'rotation.csv');
    await session.open();
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows who is on call and adds a Level 2 contact on the Contacts screen', async () => {
    await page.getByTestId('screen-contacts').click();
    await expect.poll(() => page.getByTestId('oncall-primary').textContent()).toContain('Alice');
    expect(await page.getByTestId('oncall-secondary').textContent()).toContain('Bob');
    await page.getByTestId('contact-name').fill('Sato');
    await page.getByTestId('contact-level').selectOption('2');
    await page.getByTestId('contact-phone').fill('+81 3 0000 0000');
    await page.getByTestId('contact-timeZone').fill('Asia/Tokyo');
    await page.getByTestId('contact-save').click();
    await expect.poll(() => page.getByTestId('contacts-table').textContent()).toContain('Sato');
    // A holiday swap: Dave covers the primary for the next two hours, then it is removed again.
    const local = (offsetMs: number) =>
      page.evaluate((offset) => {
        const d = new Date(Date.now() + offset);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
      }, offsetMs);
    await page.getByTestId('override-name').fill('Dave');
    await page.getByTestId('override-from').fill(await local(-60 * MIN));
    await page.getByTestId('override-to').fill(await local(120 * MIN));
    await page.getByTestId('override-reason').fill('Alice on holiday');
    await page.getByTestId('override-add').click();
    await expect.poll(() => page.getByTestId('oncall-primary').textContent()).toContain('Dave');
    expect(await page.getByTestId('oncall-primary').textContent()).toContain('override: Alice on holiday');
    await page.getByTestId('oncall-primary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('escalation-01-contacts.png') });
    await page.getByTestId('override-list').getByRole('button').click();
    await expect.poll(() => page.getByTestId('oncall-primary').textContent()).toContain('Alice');
  });

  it('suggests Level 2 for a critical incident whose response SLA is about to breach', async () => {
    const { incidents, clock } = test.services;
    id = incidents.create({ title: 'Login API down', severity: 'critical', impact: '全ユーザーがログインできない', services: ['auth'], detectedAt: new Date(clock.now() - 12 * MIN).toISOString() }).id;
    incidents.addNote(id, 'ロードバランサを切り替え');
    await page.getByTestId('screen-incidents').click();
    await page.goto(`${test.host.url}#/incidents/${id}`);
    const suggestion = page.getByTestId('escalation-suggestion');
    await suggestion.waitFor();
    expect(await suggestion.getAttribute('data-level')).toBe('2');
    // Critical allows Level 2 at any hour, so everyone at Level 2 is offered, Sato included.
    expect(await suggestion.textContent()).toMatch(/Level 2[\s\S]*response SLA[\s\S]*Sato/);
    expect(await page.getByTestId('escalation-level').first().textContent()).toBe('L1');
    await page.screenshot({ path: artifactPath('escalation-02-suggestion.png') });
  });

  it('escalates from the suggestion and shows Level 2 in the header and the list', async () => {
    await page.getByTestId('escalate').click();
    const dialog = page.getByTestId('escalate-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('escalate-level').inputValue()).toBe('2');
    await page.getByTestId('escalate-contact').selectOption('Sato');
    await page.getByTestId('escalate-via').selectOption('phone');
    await page.getByTestId('escalate-reason').fill('Response SLA about to breach; DB failover needs an administrator');
    await page.screenshot({ path: artifactPath('escalation-03-dialog.png') });
    await page.getByTestId('escalate-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.incident-head [data-testid="escalation-level"]').textContent()).toBe('L2');
    await expect.poll(() => page.locator(`[data-testid="incident-row-${id}"] [data-testid="escalation-level"]`).textContent()).toBe('L2');
    await expect.poll(() => page.getByTestId('escalation-suggestion').count()).toBe(0);
    const recorded = test.services.timeline.list(id).filter((e) => e.kind === 'escalation.escalated');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.data).toMatchObject({ level: 2, contact: 'Sato', via: 'phone' });
  });

  it('drafts an update in Japanese, copies it and records it with its hash', async () => {
    await page.getByTestId('tab-comms').click();
    await page.getByTestId('update-language').selectOption('ja');
    const text = page.getByTestId('update-text');
    await expect.poll(() => text.inputValue()).toContain('第1報');
    const draft = await text.inputValue();
    expect(draft).toContain('全ユーザーがログインできない');
    expect(draft).toContain('ロードバランサを切り替え');
    expect(draft).toContain('レベル 2');
    await page.getByTestId('update-copy').click();
    await expect.poll(() => page.getByTestId('update-list').locator('li').count()).toBe(1);
    const clipboard = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    expect(clipboard).toContain('第1報');
    expect(clipboard).toBe(draft);
    const sent = test.services.timeline.list(id).find((e) => e.kind === 'update.sent')!;
    expect(sent.data).toMatchObject({ language: 'ja', via: 'clipboard', text: draft, onTime: true });
    expect(await page.getByTestId('update-list').textContent()).toContain(String(sent.data.sha256));
    await expect.poll(() => page.getByTestId('update-clock').textContent()).toMatch(/due in (29|30)m/);
    await page.screenshot({ path: artifactPath('escalation-04-update.png'), fullPage: true });
    (globalThis as { sentSha?: string }).sentSha = String(sent.data.sha256);
  });

  it('puts the escalation and the update in the report', async () => {
    const sha = (globalThis as { sentSha?: string }).sentSha!;
    await page.getByTestId('tab-report').click();
    await page.getByTestId('report-language').selectOption('ja');
    await page.getByTestId('report-format').selectOption('md');
    const preview = page.locator('pre[data-testid="report-preview"]');
    await expect.poll(() => preview.textContent()).toContain('## エスカレーション');
    const md = (await preview.textContent())!;
    expect(md).toMatch(/\| 2 \| Sato \| phone \| Response SLA about to breach; DB failover needs an administrator \|/);
    expect(md).toContain('## 関係者への連絡');
    expect(md).toContain(`本文 SHA-256: \`${sha}\``);
    expect(md).toContain('> 関係者各位');
    await page.getByTestId('report-format').selectOption('html');
    await page.locator('iframe[data-testid="report-preview"]').waitFor();
    const heading = page.frameLocator('iframe[data-testid="report-preview"]').getByRole('heading', { name: 'エスカレーション', exact: true });
    await heading.waitFor();
    await heading.scrollIntoViewIfNeeded();
    await page.getByTestId('report-preview').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('escalation-05-report.png') });
    expect(session.cspViolations).toEqual([]);
  });
});
