// What the browser benchmarks (lists, alert-history) share: a profile served by the browser
// host, headless Chromium, a console page opened and connected, the JS heap after GC.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createDispatch } from '../../electron/dispatch';
import { createHandlers } from '../../electron/handlers';
import { startHost, type RunningHost } from '../../electron/host/server';
import { createServices, type Services } from '../../electron/services';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => p && fs.existsSync(p));
// FB_RENDERER_DIR: a copy of a build, so a before/after comparison is not rebuilt underneath.
const RENDERER_DIR = process.env.FB_RENDERER_DIR ?? path.resolve(__dirname, '../../out/renderer');

export const round = (n: number): number => Math.round(n * 10) / 10;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export interface BenchProfile {
  readonly services: Services;
  readonly host: RunningHost;
  close(): Promise<void>;
}

/**
 * A fresh profile in a temporary folder, `seed` written before the host starts, served on a
 * random loopback port. The device key is loaded first: entries appended before it loads are
 * signed later in one pass that holds the event loop (~15 s for 100,000 at load 15), which
 * would land on the first case timed.
 */
export async function openBenchProfile(name: string, seed?: (services: Services) => void): Promise<BenchProfile> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fb-bench-${name}-`));
  const services = createServices({ home: dir });
  await services.devices.ready();
  seed?.(services);
  const host = await startHost({ dispatch: createDispatch(createHandlers(services, 'websocket')), events: services.events, rendererDir: RENDERER_DIR });
  return {
    services,
    host,
    close: async () => {
      await host.close();
      services.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium, after checking that it and the built renderer are there. */
export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)');
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('the renderer is not built: npm run build');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Opens the console at 1440×900 and waits until it is connected and idle, as a responder's tab would be. */
export async function openConsolePage(browser: Browser, profile: BenchProfile): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(profile.host.url);
  await page.locator('.connection-open').waitFor();
  return page;
}

/** Chrome DevTools: the JS heap in use after a full GC. */
export async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return round(usedSize / 1024 / 1024);
}
