// Browser host: from `firebreak serve` process start to the first screen interactive in
// Chromium (connected, incident list rendered). The browser is already running, as a
// responder's would be; what is measured is our process start, server start and UI boot.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../..');
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => p && fs.existsSync(p));

function startServe(home: string): Promise<{ url: string; startedAt: number; stop(): void }> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'out/main/cli.js'), 'serve', '--home', home], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Firebreak console: (\S+)/.exec(out);
      if (match) resolve({ url: match[1]!, startedAt, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function runHostStartBench(runs = 7): Promise<Record<string, unknown>> {
  if (!CHROMIUM) throw new Error('Chromium is needed for the host start benchmark (apt-get install chromium)');
  if (!fs.existsSync(path.join(ROOT, 'out/main/cli.js'))) throw new Error('build first: npm run build');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const toListening: number[] = [];
  const toInteractive: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-host-'));
      const serve = await startServe(home);
      toListening.push(performance.now() - serve.startedAt);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(serve.url);
      await page.locator('.connection-open').waitFor();
      await page.getByText('No incidents yet').waitFor();
      toInteractive.push(performance.now() - serve.startedAt);
      await context.close();
      serve.stop();
      fs.rmSync(home, { recursive: true, force: true });
    }
  } finally {
    await browser.close();
  }
  return {
    runs,
    processStartToListeningMsMedian: Math.round(median(toListening)),
    processStartToInteractiveMsMedian: Math.round(median(toInteractive)),
    processStartToInteractiveMsMax: Math.round(Math.max(...toInteractive)),
    target: 'interactive < 1500 ms',
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  void runHostStartBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
