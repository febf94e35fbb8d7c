import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumOrSkip, launchChromium } from './browser';
import { startTestHost, type TestHost, type TestHostOptions } from './host';

/** Debian's Chromium, or undefined (a skip locally, an error under CI): `describe.skipIf(!chromiumPath)`. */
export const chromiumPath = chromiumOrSkip();

/** The size every flow is tried at (a common laptop screen). */
export const VIEWPORT = { width: 1440, height: 900 } as const;

export interface ConsoleSession {
  readonly test: TestHost;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Content-Security-Policy violations the page reported, for tests that assert there are none. */
  readonly cspViolations: readonly string[];
  /** Loads the console with its token, waits for the live connection, then opens `route` (e.g. `#/incidents/1`). */
  open(route?: string): Promise<void>;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  readonly host?: TestHostOptions;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** The browser's language (Accept-Language and navigator.language). */
  readonly locale?: string;
}

/**
 * One browser host on a temp profile and one headless Chromium page on it, with page errors,
 * failed requests and CSP violations reported. Every end-to-end file starts here.
 */
export async function openConsole(options: ConsoleOptions = {}): Promise<ConsoleSession> {
  if (!chromiumPath) throw new Error('openConsole needs Chromium: guard the suite with describe.skipIf(!chromiumPath)');
  const test = await startTestHost(options.host);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(chromiumPath);
    const context = await browser.newContext({ viewport: options.viewport ?? VIEWPORT, ...(options.locale ? { locale: options.locale } : {}) });
    const page = await context.newPage();
    const cspViolations: string[] = [];
    page.on('pageerror', (error) => console.error('page error:', error));
    page.on('response', (response) => {
      if (response.status() >= 400) console.error('http', response.status(), response.url());
    });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    const opened = browser;
    return {
      test,
      browser: opened,
      context,
      page,
      cspViolations,
      async open(route) {
        await page.goto(test.host.url);
        await page.locator('.connection-open').waitFor();
        if (route) await page.goto(`${test.host.origin}/${route}`);
      },
      async close() {
        await opened.close();
        await test.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await test.stop();
    throw error;
  }
}
