import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => Boolean(p),
);

export const ARTIFACTS = path.resolve(__dirname, '../../artifacts');

export function findChromium(): string | undefined {
  return CANDIDATES.find((p) => fs.existsSync(p));
}

/**
 * Debian's Chromium, headless. Under CI a missing browser is a failure, never a skip;
 * locally the e2e tests skip with a message saying how to install it.
 */
export function chromiumOrSkip(): string | undefined {
  const found = findChromium();
  if (!found && process.env.CI === 'true') throw new Error('Chromium is required under CI: apt-get install -y chromium');
  if (!found) console.warn('e2e skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');
  return found;
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
