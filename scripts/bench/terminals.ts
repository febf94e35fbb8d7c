// Terminal benchmarks (issue 4): not timed tests, figures to report.
//  (a) throughput pty → consumer for `cat` of a 200 MB file with the ack protocol in the
//      loop (the consumer touches every character, then acks asynchronously, as the
//      renderer does after xterm.js's write callback), next to `cat` to /dev/null in the
//      same run, with the peak of unacknowledged characters;
//  (b) Ctrl-C → prompt back under `yes`, median of 20 runs.
// Run standalone: `npx tsx scripts/bench/terminals.ts` (prints JSON).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { nodePtyFactory, TerminalService } from '../../electron/services/terminals';
import { DEFAULT_FLOW } from '../../electron/services/terminals/flow';
import { runStandalone } from './standalone';

const PROMPT = 'FBBENCH> ';
const FILE_MB = Number(process.env.FB_BENCH_TERMINAL_MB ?? 200);
const CTRL_C_RUNS = Number(process.env.FB_BENCH_CTRL_C_RUNS ?? 20);

export function makeFile(dir: string, megabytes: number): string {
  const file = path.join(dir, 'big.txt');
  const line = `${'firebreak terminal throughput 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ'.slice(0, 99)}\n`;
  const block = Buffer.from(line.repeat(Math.floor((1024 * 1024) / line.length) + 1).slice(0, 1024 * 1024));
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < megabytes; i++) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return file;
}

function catToDevNull(file: string): number {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', `cat '${file}' > /dev/null`], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('cat to /dev/null failed');
  return performance.now() - t0;
}

/** How the renderer stand-in acknowledges: next turn, after a delay (a slow renderer), or never. */
type AckMode = 'immediate' | 'never' | { readonly delayMs: number };

/** A renderer stand-in: processes each message (touches every character), then acks. */
function attachConsumer(
  svc: TerminalService,
  mode: AckMode,
  onText?: (id: string, data: string) => void,
): { chars: number; lines: number } {
  const seen = { chars: 0, lines: 0 };
  svc.on('data', (e) => {
    let lines = 0;
    for (let i = 0; i < e.data.length; i++) if (e.data.charCodeAt(i) === 10) lines++;
    seen.chars += e.data.length;
    seen.lines += lines;
    onText?.(e.id, e.data);
    if (mode === 'never') return;
    const ack = (): void => svc.ack(e.id, e.data.length);
    if (mode === 'immediate') setImmediate(ack);
    else setTimeout(ack, mode.delayMs);
  });
  return seen;
}

/** node-pty alone, no service, no consumer: the ceiling for the numbers above it. */
async function rawPty(file: string): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const pty = nodePtyFactory('cat', [file], { name: 'xterm-256color', cols: 120, rows: 40, cwd: tmpdir(), env: {} });
    pty.onData(() => undefined);
    pty.onExit(() => resolve(performance.now() - t0));
  });
}

function newService(): TerminalService {
  return new TerminalService({ env: { ...process.env, PS1: PROMPT }, killGraceMs: 500, transcriptCap: 256 * 1024 });
}

function shellOptions(): { shell: string; shellArgs: string[] } {
  return process.platform === 'win32'
    ? { shell: 'powershell.exe', shellArgs: ['-NoLogo', '-NoProfile'] }
    : { shell: 'bash', shellArgs: ['--noprofile', '--norc'] };
}

async function waitForPrompt(svc: TerminalService, id: string): Promise<void> {
  await new Promise<void>((resolve) => {
    let tail = '';
    const off = svc.on('data', (e) => {
      if (e.id !== id) return;
      tail = (tail + e.data).slice(-4096);
      if (tail.includes(PROMPT)) {
        off();
        resolve();
      }
    });
  });
}

async function throughput(file: string, mode: AckMode): Promise<Record<string, unknown>> {
  const bytes = statSync(file).size;
  const catWarmMs = catToDevNull(file);
  const svc = newService();
  const seen = attachConsumer(svc, mode);
  try {
    const id = svc.create({ incidentId: 0, cwd: tmpdir(), cols: 120, rows: 40, ...shellOptions() });
    await waitForPrompt(svc, id);
    const charsBefore = seen.chars;
    const t0 = performance.now();
    const r = await svc.runCommand(id, { command: `cat '${file}'`, shell: 'sh', stepId: 'bench-cat' });
    const wallMs = performance.now() - t0;
    const stats = svc.stats(id);
    const catDevNullMs = catToDevNull(file);
    const ptyMs = r.durationMs > 0 ? r.durationMs : wallMs;
    return {
      fileMiB: bytes / 1024 / 1024,
      catToDevNullMs: round(Math.min(catWarmMs, catDevNullMs)),
      catToDevNullMBps: round(bytes / 1e6 / (Math.min(catWarmMs, catDevNullMs) / 1000)),
      ptyToConsumerMs: round(ptyMs),
      ptyToConsumerWallMs: round(wallMs),
      ptyToConsumerMBps: round(bytes / 1e6 / (ptyMs / 1000)),
      charsDelivered: seen.chars - charsBefore,
      exitCode: r.exitCode,
      peakUnackedChars: stats.peakUnacked,
      highWaterMark: DEFAULT_FLOW.highWaterMark,
      lowWaterMark: DEFAULT_FLOW.lowWaterMark,
      pauses: stats.pauseCount,
      messages: stats.batches,
      avgMessageChars: round(stats.totalChars / Math.max(1, stats.batches)),
    };
  } finally {
    await svc.dispose();
  }
}

async function ctrlCLatency(runs: number, mode: AckMode): Promise<Record<string, unknown>> {
  const svc = newService();
  const out = new Map<string, string>();
  attachConsumer(svc, mode, (id, data) => out.set(id, ((out.get(id) ?? '') + data).slice(-8192)));
  const samples: number[] = [];
  try {
    const id = svc.create({ incidentId: 0, cwd: tmpdir(), cols: 120, rows: 40, ...shellOptions() });
    await waitForPrompt(svc, id);
    for (let i = 0; i < runs; i++) {
      const start = svc.stats(id).totalChars;
      svc.write(id, 'yes\r');
      // Let it flood: 2 MB through the flow-controlled path, or until paused by a consumer that never acks.
      while (svc.stats(id).totalChars - start < 2_000_000 && !(mode === 'never' && svc.stats(id).paused)) {
        await new Promise((r) => setTimeout(r, 5));
      }
      const prompt = waitForPrompt(svc, id);
      const t0 = performance.now();
      svc.write(id, '\x03');
      await prompt;
      samples.push(performance.now() - t0);
      if (mode === 'never') svc.ack(id, svc.stats(id).unacked);
    }
  } finally {
    await svc.dispose();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return {
    runs,
    medianMs: round(q(0.5)),
    p90Ms: round(q(0.9)),
    minMs: round(sorted[0] ?? NaN),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    samplesMs: samples.map(round),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export async function runTerminalBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-bench-term-'));
  try {
    const file = makeFile(dir, FILE_MB);
    const rawMs = process.platform === 'win32' ? NaN : await rawPty(file);
    const cat = await throughput(file, 'immediate');
    const catSlow = await throughput(file, { delayMs: 1 });
    const ctrlC = await ctrlCLatency(CTRL_C_RUNS, 'immediate');
    const ctrlCPaused = await ctrlCLatency(CTRL_C_RUNS, 'never');
    return {
      name: 'terminals',
      at: new Date().toISOString(),
      platform: `${process.platform}-${process.arch}`,
      node: process.version,
      consumer: 'simulated renderer: touches every char, then acks (xterm.js-in-Chromium variant to come)',
      rawNodePtyCat: { ms: round(rawMs), MBps: round((FILE_MB * 1024 * 1024) / 1e6 / (rawMs / 1000)) },
      catThroughput: { ack: 'next turn (setImmediate)', ...cat },
      catThroughputSlowRenderer: { ack: 'setTimeout 1 ms per message (forces pause/resume)', ...catSlow },
      ctrlCToPrompt: { ack: 'next turn (setImmediate)', ...ctrlC },
      ctrlCToPromptWhilePaused: { ack: 'never (pty paused at the high-water mark when Ctrl-C is typed)', ...ctrlCPaused },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runStandalone('terminals', runTerminalBench);
