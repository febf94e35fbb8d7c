import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

describe.skipIf(!chromiumPath)('the renderer’s sandbox, as a page sees it', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;

  beforeAll(async () => {
    session = await openConsole();
    ({ test, page } = session);
    await session.open();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('has no Node globals', async () => {
    expect(await page.evaluate(() => [typeof (globalThis as any).require, typeof (globalThis as any).process, typeof (globalThis as any).module, typeof (globalThis as any).Buffer])).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  it('refuses inline scripts and foreign connections under its CSP', async () => {
    const result = await page.evaluate(async () => {
      // Runs in the page; the Node-side tsconfig has no DOM types, hence the casts.
      const { document, window } = globalThis as any;
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e: { violatedDirective: string }) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.appendChild(script);
      let fetched = false;
      try {
        await fetch('http://example.invalid/');
        fetched = true;
      } catch {
        fetched = false;
      }
      await new Promise((r) => setTimeout(r, 50));
      return { inline: window.__inlineRan === true, fetched, violations };
    });
    expect(result).toMatchObject({ inline: false, fetched: false });
    expect(result.violations).toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']));
  });

  it('cannot be framed and sends no referrer', async () => {
    const response = await fetch(`${test.host.origin}/`, { headers: { Authorization: `Bearer ${test.host.token}` } });
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    // (eval cannot be probed from page.evaluate, which DevTools runs outside the CSP.)
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-eval/);
  });
});
