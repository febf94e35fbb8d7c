import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, VIEWPORT, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

describe.skipIf(!chromiumPath)('Japanese UI in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;

  beforeAll(async () => {
    // An English browser: Japanese only once the setting is changed.
    session = await openConsole({ locale: 'en-US' });
    ({ test, page } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('starts in English in an English browser', async () => {
    await page.goto(test.host.url);
    await page.getByText('No incidents yet').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('switches to Japanese from the top bar without a reload', async () => {
    // In-page code as strings: the Node-side typecheck has no DOM types.
    await page.evaluate('window.__marker = 1');
    await page.getByTestId('language').selectOption('ja');
    await page.getByText('インシデントはまだありません').waitFor();
    await expect.poll(() => page.getByTestId('new-incident').textContent()).toContain('新規インシデント');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    // Same document: the switch re-rendered, it did not reload.
    expect(await page.evaluate('window.__marker')).toBe(1);
  });

  it('opens an incident through the Japanese form and shows Japanese SLA clocks', async () => {
    await page.getByTestId('new-incident').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('タイトル').fill('決済APIが502を返す');
    await dialog.getByText('P0 · 緊急').click();
    // The targets line uses Japanese durations: 15分 initial response, 1時間 recovery.
    await expect.poll(() => dialog.textContent()).toContain('15分00秒以内に初期対応');
    await page.screenshot({ path: artifactPath('i18n-01-new-incident-ja.png') });
    await dialog.getByRole('button', { name: 'インシデントを起票' }).click();
    await expect.poll(() => page.getByTestId('incident-title').textContent()).toBe('決済APIが502を返す');
    const response = page.getByTestId('sla-response');
    await expect.poll(() => response.textContent()).toMatch(/初期対応残り \d+分\d\d秒目標 15分00秒/);
    await expect.poll(() => page.getByTestId('sla-recovery').textContent()).toMatch(/復旧残り \d+分\d\d秒目標 1時間00分/);
    await page.locator('[data-kind="incident.created"]', { hasText: 'インシデント起票' }).waitFor();
    await page.screenshot({ path: artifactPath('i18n-02-incident-ja.png') });
  });

  it('stays Japanese after a reload', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('sla-response').textContent()).toMatch(/初期対応残り \d+分\d\d秒/);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.getByTestId('language').inputValue()).toBe('ja');
  });

  it('offers the report in the UI language, and English on request', async () => {
    await page.getByTestId('tab-report').click();
    expect(await page.getByTestId('report-language').inputValue()).toBe('ja');
    const frame = page.frameLocator('[data-testid="report-preview"]');
    await frame.getByRole('heading', { name: 'インシデント報告書: INC-0001 決済APIが502を返す' }).waitFor();
    await expect.poll(() => frame.locator('body').textContent()).toContain('緊急 (P0)');
    await page.screenshot({ path: artifactPath('i18n-04-report-ja.png') });
    await page.getByTestId('report-language').selectOption('en');
    await frame.getByRole('heading', { name: 'Incident report: INC-0001 決済APIが502を返す' }).waitFor();
    await page.getByTestId('tab-timeline').click();
  });

  it('shows the dashboard with Japanese labels and durations', async () => {
    await page.getByTestId('screen-dashboard').click();
    await page.getByText('対応メトリクス').waitFor();
    await page.screenshot({ path: artifactPath('i18n-05-dashboard-ja.png') });
    await page.getByTestId('screen-incidents').click();
  });

  it('redraws the list rows (badges, clocks) in the new language without a reload', async () => {
    // The row badges read `t` through useT (i18n/use-t.ts), not useTranslation: they must still follow the switch.
    const row = page.getByTestId('incident-row-1');
    await expect.poll(() => row.textContent()).toMatch(/P0 · 緊急.*検知.*初期対応/);
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => row.textContent()).toMatch(/P0 · Critical.*Detected.*Initial response/);
    await page.getByTestId('language').selectOption('ja');
    await expect.poll(() => row.textContent()).toMatch(/P0 · 緊急.*検知.*初期対応/);
  });

  it('defaults to Japanese in a Japanese browser (ja-JP)', async () => {
    const ja = await session.browser.newContext({ viewport: VIEWPORT, locale: 'ja-JP' });
    try {
      const jaPage = await ja.newPage();
      await jaPage.goto(test.host.url);
      await expect.poll(() => jaPage.getByTestId('new-incident').textContent()).toContain('新規インシデント');
      expect(await jaPage.locator('html').getAttribute('lang')).toBe('ja');
      expect(await jaPage.evaluate("localStorage.getItem('firebreak.language')")).toBeNull();
      await jaPage.getByText('決済APIが502を返す').first().waitFor();
      await jaPage.screenshot({ path: artifactPath('i18n-03-ja-jp-default.png') });
    } finally {
      await ja.close();
    }
  });
});
