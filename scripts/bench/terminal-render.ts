// Terminal throughput into the real renderer (issue 4): `cat` of a 200 MB file in a
// terminal of the Runbooks tab, through the browser host's WebSocket into xterm.js in
// headless Chromium, with acks sent from xterm's write callback. Done = the end marker
// went out and every character was acknowledged (xterm processed it). Reported next to
// `cat` to /dev/null in the same run, with the peak of unacknowledged characters, and
// Ctrl-C (typed in the page) → prompt back under `yes`.
// Run standalone: `npx tsx scripts/bench/terminal-render.ts` (needs `npm run build`).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { createDispatch } from '../../electron/dispatch';
import { createHandlers } from '../../electron/handlers';
import { startHost } from '../../electron/host/server';
import { createServices } from '../../electron/services';
import { DEFAULT_FLOW } from '../../electron/services/terminals/flow';
import { makeFile } from './terminals';
import { runStandalone } from './standalone';

const FILE_MB = Number(process.env.FB_BENCH_TERMINAL_MB ?? 200);
const CTRL_C_RUNS = Number(process.env.FB_BENCH_CTRL_C_RUNS ?? 10);
const PROMPT = 'FBPROMPT> ';
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => p && fs.existsSync(p));

const round = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * xterm.js alone on a blank page, all data queued at once (no pty, transport or acks):
 * the ceiling the full path can approach on this machine.
 */
async function xtermCeiling(browser: import('playwright-core').Browser, megabytes: number): Promise<{ ms: number; MBps: number }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.setContent('<div id="t" style="width:700px;height:460px"></div>');
    const lib = path.dirname(require.resolve('@xterm/xterm/package.json'));
    await page.addStyleTag({ path: path.join(lib, 'css/xterm.css') });
    await page.addScriptTag({ path: path.join(lib, 'lib/xterm.js') });
    // A string, not a function: the page must not see the bundler's helpers.
    return await page.evaluate(`(async () => {
      const term = new window.Terminal({ scrollback: 5000 });
      term.open(document.getElementById('t'));
      const line = 'firebreak terminal throughput 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\\r\\n';
      const chunk = line.repeat(Math.ceil(65536 / line.length)).slice(0, 65536);
      const total = ${megabytes} * 1024 * 1024;
      const t0 = performance.now();
      await new Promise((resolve) => {
        for (let sent = 0; sent < total; ) { sent += chunk.length; term.write(chunk, sent >= total ? resolve : undefined); }
      });
      const ms = performance.now() - t0;
      return { ms: Math.round(ms * 10) / 10, MBps: Math.round((total / 1e6 / (ms / 1000)) * 10) / 10 };
    })()`);
  } finally {
    await page.close();
  }
}

export async function runTerminalRenderBench(): Promise<Record<string, unknown>> {
  if (!CHROMIUM) throw new Error('no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)');
  const rendererDir = path.resolve(__dirname, '../../out/renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('the renderer is not built: npm run build');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-bench-render-'));
  const services = createServices({
    home: path.join(dir, 'home'),
    terminals: {
      env: { ...process.env, SHELL: '/bin/sh', PS1: PROMPT },
      ...(process.env.FB_BENCH_FLOW ? { flow: JSON.parse(process.env.FB_BENCH_FLOW) as Record<string, number> } : {}),
    },
  });
  const host = await startHost({ dispatch: createDispatch(createHandlers(services, 'websocket')), events: services.events, rendererDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const file = makeFile(dir, FILE_MB);
    const bytes = fs.statSync(file).size;
    spawnSync('sh', ['-c', `cat '${file}' > /dev/null`]); // warm the page cache
    const t = performance.now();
    spawnSync('sh', ['-c', `cat '${file}' > /dev/null`]);
    const devNullMs = performance.now() - t;

    const incident = services.incidents.create({ title: 'bench', severity: 'low' });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await page.goto(`${host.origin}/#/incidents/${incident.id}`);
    await page.getByTestId('tab-runbooks').click();
    await page.getByTestId('terminal-new').click();
    await page.getByTestId('terminal-view').waitFor();
    const id = services.terminals.service.list(incident.id)[0]!.id;

    // Follow the stream on the main side for the markers; the page acks as xterm processes.
    let tail = '';
    let seen = (_: string) => false;
    services.events.on('terminals.data', (e) => {
      if (e.id !== id) return;
      tail = (tail + e.data).slice(-64);
      seen(tail);
    });
    const waitFor = (needle: string, timeoutMs: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${JSON.stringify(needle)}`)), timeoutMs);
        seen = (text) => {
          if (!text.includes(needle)) return false;
          clearTimeout(timer);
          seen = () => false;
          resolve();
          return true;
        };
      });
    const write = (data: string) => services.terminals.call((s) => s.write(id, data));
    const acked = async () => {
      while (services.terminals.service.stats(id).unacked > 0) await sleep(2);
    };

    // FB_BENCH_HIDDEN=1: the Runbooks tab is left, so xterm parses without painting.
    if (process.env.FB_BENCH_HIDDEN) await page.getByTestId('tab-timeline').click();
    await sleep(500);
    tail = '';
    const before = services.terminals.service.stats(id);
    const done = waitFor('FBDONE', 600_000);
    const start = performance.now();
    write(`cat '${file}'; echo FB""DONE\r`);
    await done;
    await acked();
    const renderMs = performance.now() - start;
    const after = services.terminals.service.stats(id);
    await sleep(100); // the DOM renderer paints on the next animation frame
    const screenText = process.env.FB_BENCH_HIDDEN ? '' : await page.locator('.xterm-rows').innerText();

    // Ctrl-C typed in the page (xterm → WebSocket → pty) while `yes` floods the terminal.
    const ctrlC: number[] = [];
    if (process.env.FB_BENCH_HIDDEN) await page.getByTestId('tab-runbooks').click();
    await page.locator('.xterm-helper-textarea').focus();
    for (let i = 0; i < CTRL_C_RUNS; i++) {
      await acked();
      write('yes\r');
      await sleep(400);
      tail = '';
      const back = waitFor(PROMPT, 10_000);
      const t0 = performance.now();
      await page.keyboard.press('Control+C');
      await back;
      ctrlC.push(performance.now() - t0);
    }
    await acked();

    // 40 MB: xterm discards writes beyond its 50 MB internal buffer.
    const ceiling = await xtermCeiling(browser, Math.min(FILE_MB, 40));

    return {
      name: 'terminal-render',
      cpus: os.cpus().length,
      consumer: 'xterm.js 6 (DOM renderer) in headless Chromium via the browser host WebSocket; acks from the write callback',
      fileMB: FILE_MB,
      catToDevNull: { ms: round(devNullMs), MBps: round(bytes / 1e6 / (devNullMs / 1000)) },
      catRenderedInXterm: {
        ms: round(renderMs),
        MBps: round(bytes / 1e6 / (renderMs / 1000)),
        charsDelivered: after.totalChars - before.totalChars,
        peakUnacked: after.peakUnacked,
        highWaterMark: DEFAULT_FLOW.highWaterMark,
        pauses: after.pauseCount - before.pauseCount,
        markerOnScreen: screenText.includes('FBDONE'),
      },
      xtermAloneCeiling: { note: 'xterm.js write() of queued data on a blank page, no pty/transport/acks', ...ceiling },
      ctrlCToPromptInPage: { runs: ctrlC.length, medianMs: round(median(ctrlC)), maxMs: round(Math.max(...ctrlC)) },
    };
  } finally {
    await browser.close();
    await host.close();
    await services.terminals.close();
    services.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runStandalone('terminal-render', runTerminalRenderBench);
